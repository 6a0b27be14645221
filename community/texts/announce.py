"""Texts of announcements (issue 15): the /announce dialogue, segments, the budget, members' stop, the digest."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- commands ----
    "cmd.announce": (
        "お知らせを配信する（対象・費用を確認してから）",
        "send an announcement (reach and cost shown first)",
    ),
    "usage.announce": (
        "/announce（1:1トークで。質問に答えていきます）",
        "/announce (in a 1:1 chat; answer the questions)",
    ),
    "cmd.announce list": ("予約中・保留中のお知らせ", "scheduled and held announcements"),
    "usage.announce list": ("/announce list", "/announce list"),
    "cmd.announce cancel": ("予約したお知らせを取り消す", "cancel a scheduled announcement"),
    "usage.announce cancel": (
        "/announce cancel 番号（/announce list の #）",
        "/announce cancel NUMBER (the # in /announce list)",
    ),
    "cmd.announce stop": ("市からのお知らせを止める", "stop the city's announcements"),
    "usage.announce stop": (
        "/announce stop（話題ごとなら /announce stop 話題）",
        "/announce stop (or /announce stop TOPIC)",
    ),
    "cmd.announce start": ("止めたお知らせをまた受け取る", "receive announcements again"),
    "usage.announce start": (
        "/announce start（話題ごとなら /announce start 話題）",
        "/announce start (or /announce start TOPIC)",
    ),
    # ---- the dialogue ----
    "announce.ask_text": (
        "お知らせの本文を送ってください（2,000字まで）。画像・リンク・送る相手はこのあと聞きます。",
        "Send the announcement's text (up to 2,000 characters). Image, link and recipients come next.",
    ),
    "announce.ask_image": (
        "画像を付けますか？ 画像のURL（https://…）を送るか「なし」を押してください。",
        'Add an image? Send its address (https://…) or press "None".',
    ),
    "announce.ask_link": (
        "リンクボタンを付けますか？「ボタンの文字 https://…」の形で送るか「なし」を押してください。",
        'Add a link button? Send "BUTTON TEXT https://…" or press "None".',
    ),
    "announce.ask_topic": ("どの話題のお知らせですか？", "Which topic is it about?"),
    "announce.ask_segment": (
        "だれに送りますか？ ボタンから選ぶか、「イベント コード」「子育て 0-2歳」「区 小川1区」「小学校区 小川小学校」のように送ってください。",
        'Who should get it? Press a button, or send e.g. "event CODE", "parents 0-2", "area 小川1区" or "school 小川小学校".',
    ),
    "announce.preview_note": (
        "↑ 受け取る人にはこのように届きます（送る相手: {segment}）。",
        "↑ This is how it arrives (recipients: {segment}).",
    ),
    "announce.reach": ("対象: {people}人（うち LINE {line}人）", "Reach: {people} people ({line} on LINE)"),
    "announce.reach_discord": (
        "Discord ではお知らせチャンネルに1回投稿します。",
        "On Discord it is posted once in the announcement channel.",
    ),
    "announce.cost": (
        "この配信は {cost} 通分です。今月の残りは {remaining} 通です。",
        "This announcement costs {cost} messages. {remaining} are left this month.",
    ),
    "announce.cost_no_cap": (
        "この配信は {cost} 通分です（月の上限は設定されていません）。",
        "This announcement costs {cost} messages (no monthly cap is set).",
    ),
    "announce.over_budget_note": (
        "今月の残りを超えるため、このままでは送れません。",
        "It is over what is left this month and cannot be sent as it is.",
    ),
    "announce.ask_when": (
        "いつ送りますか？「今すぐ送る」を押すか、日時を {example} の形で送ってください。",
        'When? Press "Send now" or send a date and time like {example}.',
    ),
    "announce.now_button": ("今すぐ送る", "Send now"),
    "announce.none_button": ("なし", "None"),
    "announce.cancel_button": ("やめる", "Cancel"),
    "announce.override_button": ("上限を超えて送る", "Send over the cap"),
    "announce.ask_override": (
        "管理者として上限を超えて送りますか？（監査ログに記録されます）",
        "Send it over the cap as an admin? (Recorded in the audit log.)",
    ),
    "announce.over_budget_later": (
        "相手を絞るか（やめる → /announce）、来月の日時を送ってください。上限を超える配信は管理者だけができます。",
        "Narrow the recipients (Cancel, then /announce) or send a date next month. Only an admin can send over the cap.",
    ),
    "announce.send_again": (
        "{problem}\nもう一度送ってください（やめるときは「やめる」）。",
        '{problem}\nPlease send it again (or "cancel").',
    ),
    "announce.sent": (
        "お知らせ #{id} を送りました（{count}人、LINE {cost}通分）。",
        "Announcement #{id} is on its way ({count} people, {cost} LINE messages).",
    ),
    "announce.scheduled": (
        "お知らせ #{id} を {when} に予約しました（{cost}通分）。取り消しは /announce cancel {id}",
        "Announcement #{id} is scheduled for {when} ({cost} messages). To cancel: /announce cancel {id}",
    ),
    "announce.no_longer_staff": (
        "職員ではなくなったため、お知らせは送れません。",
        "You are no longer staff: the announcement cannot be sent.",
    ),
    "announce.held_now": (
        "お知らせ #{id} は今月の残りに収まらなくなったため保留にしました。/announce list で確認できます。",
        "Announcement #{id} no longer fits this month's budget and is held. See /announce list.",
    ),
    "announce.held_notice": (
        "予約していたお知らせ #{id}（{cost}通分）は、今月の残りに収まらなくなったため送らずに保留しました。"
        "内容を見直して送り直すか、/announce cancel {id} で取り消してください。",
        "Scheduled announcement #{id} ({cost} messages) no longer fits this month's budget and was not sent. "
        "Send it again after a review, or cancel it with /announce cancel {id}.",
    ),
    # ---- problems ----
    "announce.text_missing": ("本文がありません。", "The text is empty."),
    "announce.text_too_long": (
        "本文は{limit}字までです（いま{length}字）。",
        "The text may be at most {limit} characters (it has {length}).",
    ),
    "announce.bad_url": (
        "https:// で始まるアドレスを送ってください（{url}）。",
        "Send an address starting with https:// ({url}).",
    ),
    "announce.bad_link": (
        "リンクは「ボタンの文字 https://…」の形で送ってください。",
        'Send the link as "BUTTON TEXT https://…".',
    ),
    "announce.label_too_long": (
        "ボタンの文字は{limit}字までです。",
        "A button's text may be at most {limit} characters.",
    ),
    "announce.link_default": ("くわしく見る", "Read more"),
    "announce.no_such_topic": (
        "「{topic}」という話題はありません（話題: {topics}）。",
        'There is no topic "{topic}" (topics: {topics}).',
    ),
    "announce.bad_when": ("日時は {example} の形で送ってください。", "Send the date and time like {example}."),
    "announce.when_past": ("過ぎた日時は指定できません。", "That time has passed."),
    "announce.over_budget": (
        "この配信は {cost} 通分です。今月の残りは {remaining} 通です。残りを超えるため送れません。",
        "This announcement costs {cost} messages. {remaining} are left this month: it cannot be sent.",
    ),
    "announce.override_admins_only": (
        "上限を超える配信は管理者（ADMIN_*）だけができます。",
        "Only a staff admin (ADMIN_*) can send over the cap.",
    ),
    "announce.no_such": ("お知らせ #{id} はありません。", "There is no announcement #{id}."),
    "announce.not_cancellable": (
        "お知らせ #{id} は予約中・保留中ではないため取り消せません。",
        "Announcement #{id} is not scheduled or held and cannot be cancelled.",
    ),
    "announce.which": (
        "取り消すお知らせの番号を付けてください（/announce list の #）。",
        "Give the announcement's number (the # in /announce list).",
    ),
    # ---- list and cancel ----
    "announce.list_empty": ("予約中・保留中のお知らせはありません。", "No announcement is scheduled or held."),
    "announce.list_header": ("予約中・保留中のお知らせ", "Scheduled and held announcements"),
    "announce.list_line": (
        "#{id} {when} {status} ・ {segment} ・ {cost}通分 ・ {text}",
        "#{id} {when} {status}, {segment}, {cost} messages: {text}",
    ),
    "announce.list_footer": ("取り消し: /announce cancel 番号", "To cancel: /announce cancel NUMBER"),
    "announce.status.scheduled": ("予約", "scheduled"),
    "announce.status.held": ("保留（枠不足）", "held (over budget)"),
    "announce.cancelled": ("お知らせ #{id}（{text}）を取り消しました。", "Announcement #{id} ({text}) is cancelled."),
    # ---- what members see ----
    "announce.footer": (
        "― 市からのお知らせを止めるには「{command}」と送ってください。",
        '― To stop the city\'s announcements, send "{command}".',
    ),
    "announce.footer_topic": (
        "― 「{topic}」のお知らせを止めるには「{command}」と送ってください。",
        '― To stop announcements about "{topic}", send "{command}".',
    ),
    "announce.footer_channel": (
        "― このチャンネルのお知らせは、チャンネルの通知設定でいつでも止められます。",
        "― You can mute this channel's announcements in its notification settings at any time.",
    ),
    "announce.stop_button": ("お知らせを止める", "Stop announcements"),
    "announce.all_button": ("すべて止める", "Stop all"),
    "announce.ask_stop_topic": ("どのお知らせを止めますか？", "Which announcements should stop?"),
    "announce.stopped": (
        "市からのお知らせを止めました。また受け取るときは /announce start と送ってください。",
        "The city's announcements are stopped. To receive them again, send /announce start.",
    ),
    "announce.stopped_topic": (
        "「{topic}」のお知らせを止めました。また受け取るときは {command} と送ってください。",
        'Announcements about "{topic}" are stopped. To receive them again, send {command}.',
    ),
    "announce.started": ("市からのお知らせをまた受け取ります。", "You will receive the city's announcements again."),
    "announce.started_topic": (
        "「{topic}」のお知らせをまた受け取ります。",
        'You will receive announcements about "{topic}" again.',
    ),
    # ---- segments ----
    "segment.unknown": (
        "「{text}」がだれのことか分かりませんでした。ボタンから選んでください。",
        'Could not tell who "{text}" means. Please choose a button.',
    ),
    "segment.event_code": (
        "イベントコードも送ってください（例: イベント AB12CD）。",
        "Add the event code (e.g. event AB12CD).",
    ),
    "segment.bad_band": (
        "年齢は「子育て 0-2歳」のように送ってください（{text}）。",
        'Send ages like "parents 0-2" ({text}).',
    ),
    "segment.school_name": (
        "小学校区の名前も送ってください（例: 小学校区 小川小学校）。",
        "Add the school district's name (e.g. school Ogawa Elementary).",
    ),
    "segment.no_such_school": (
        "「{name}」という小学校区は登録されていません。",
        'No school district "{name}" is registered.',
    ),
    "segment.label.area": (
        "{area}に住む人（/area mine で登録した人）",
        "members of {area} (who recorded it with /area mine)",
    ),
    "segment.label.school": (
        "{school}区に住む人（/area mine で登録した人）",
        "members in the {school} district (who recorded it with /area mine)",
    ),
    "segment.label.all": ("コミュニティの全員", "every community member"),
    "segment.label.relation": ("{relation}", "{relation}"),
    "segment.label.platform": ("{platform} の参加者", "members on {platform}"),
    "segment.label.childcare": ("子育て中の保護者（健診のお知らせ登録者）", "parents (signed up for checkup notices)"),
    "segment.label.childcare_band": (
        "子育て中の保護者（子ども{low}〜{high}歳）",
        "parents (children aged {low} to {high})",
    ),
    "segment.label.prenatal": ("出産予定の保護者", "expecting parents"),
    "segment.label.event": ("イベント {code} の参加者", "people who joined event {code}"),
    "segment.button.all": ("全員", "Everyone"),
    "segment.button.resident": ("住んでいる", "Residents"),
    "segment.button.native": ("出身", "Natives"),
    "segment.button.visitor": ("訪れた", "Visitors"),
    "segment.button.fan": ("ファン", "Fans"),
    "segment.button.line": ("LINE", "LINE"),
    "segment.button.discord": ("Discord", "Discord"),
    "segment.button.childcare": ("子育て", "Parents"),
    "segment.button.childcare_young": ("子育て 0-2歳", "Parents 0-2"),
    "segment.button.childcare_older": ("子育て 3-5歳", "Parents 3-5"),
    "segment.button.prenatal": ("妊娠中", "Expecting"),
    # ---- the budget ----
    "budget.kind.checkup": ("健診のお知らせ", "checkup notices"),
    "budget.kind.reminder": ("イベントの前日案内・繰り上げ", "event reminders and waiting-list places"),
    "budget.kind.nudge": ("世話人への声かけ", "facilitator nudges"),
    "budget.kind.tip": ("イベント後の案内", "after-event tips"),
    "budget.kind.staff": ("職員への通知", "staff notices"),
    "budget.kind.event_news": ("新しいイベントのお知らせ", "new-event news"),
    "budget.kind.announcement": ("お知らせ配信", "announcements"),
    "budget.kind.answer": ("返信・その他", "answers and other pushes"),
    # ---- the job and the digest ----
    "job.announcements.schedule": ("毎分", "every minute"),
    "job.announcements.description": (
        "予約したお知らせを送る（各お知らせは一度だけ）。枠に空きができたら保留した自動送信を送る",
        "send scheduled announcements (each once); release held automated pushes when the budget has room",
    ),
    "job.announcements.done": (
        "お知らせ {sent}件（{reached}人）、保留から送信 {released}件",
        "{sent} announcements ({reached} people), {released} held pushes released",
    ),
    "digest.announce": ("■ お知らせ配信と LINE の配信枠", "■ Announcements and the LINE budget"),
    "digest.announce_line": (
        "#{id} {day} {segment}「{text}」: 対象 {recipients}人・{billable}通 {figures}",
        '#{id} {day} {segment} "{text}": {recipients} people, {billable} messages {figures}',
    ),
    "digest.announce_line_stats": (
        "・開封 {opened}人・クリック {clicked}人",
        "- opened by {opened}, clicked by {clicked}",
    ),
    "digest.announce_line_waiting": ("（開封・クリックは LINE の集計待ち）", "(LINE's open and click figures pending)"),
    "digest.announce_none": ("今週のお知らせ配信はありませんでした。", "No announcement this week."),
    "digest.held_line": (
        "枠に収まらず保留: {kind} {pushes}件（{messages}通分）",
        "Held back by the budget: {kind}, {pushes} ({messages} messages)",
    ),
    "digest.budget_line": (
        "今月の配信枠: {used} / {cap}通（送信待ち {queued}通、お知らせに使える残り {remaining}通）",
        "This month: {used} of {cap} messages ({queued} queued, {remaining} left for announcements)",
    ),
}

WORDS: dict[str, tuple[str, ...]] = {
    "announce.none": ("なし", "無し", "ない", "いらない", "不要", "none", "no", "skip", "-"),
    "announce.now": ("今すぐ", "いますぐ", "今すぐ送る", "すぐ", "now", "send now"),
    "announce.all": ("all", "すべて", "全部", "ぜんぶ", "全て"),
    "segment.all": ("全員", "みんな", "全体", "everyone", "all members"),
    "segment.relation.resident": ("住んでいる", "住民", "residents", "resident"),
    "segment.relation.native": ("出身", "natives", "native"),
    "segment.relation.visitor": ("訪れた", "来訪者", "visitors", "visitor"),
    "segment.relation.fan": ("ファン", "fans", "fan"),
    "segment.childcare": ("子育て", "保護者", "parents", "childcare"),
    "segment.prenatal": ("妊娠中", "出産予定", "expecting", "prenatal"),
    "segment.event": ("イベント", "event"),
    "segment.area": ("区", "行政区", "area"),
    "segment.school": ("小学校区", "学区", "school"),
}
