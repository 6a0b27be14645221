"""User-facing strings: Japanese first, English when the member chose it (/lang en)."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "help.header": ("使えるコマンド:", "Commands you can use:"),
    "help.footer": ("詳しくは「/help コマンド名」と送ってください。", "Send \"/help COMMAND\" for details."),
    "help.usage": ("使い方: {usage}", "Usage: {usage}"),
    "unknown": (
        "「{name}」というコマンドはありません。/help で使えるコマンドを確認できます。",
        "There is no command \"{name}\". Send /help to see what you can use.",
    ),
    "forbidden": (
        "「{name}」は{roles}だけが使えるコマンドです。",
        "\"{name}\" is only for {roles}.",
    ),
    "place.direct": (
        "「{name}」はボットとの1:1トークで送ってください。",
        "Send \"{name}\" in a 1:1 chat with the bot.",
    ),
    "place.group": (
        "「{name}」はグループの中で送ってください。",
        "Send \"{name}\" inside a group.",
    ),
    "bad_args": ("{problem}\n使い方: {usage}", "{problem}\nUsage: {usage}"),
    "failed": (
        "ごめんなさい、処理中にエラーが起きました。時間をおいてもう一度お試しください。",
        "Sorry, something went wrong. Please try again later.",
    ),
    "follow": (
        "友だち追加ありがとうございます！{city}の「{bot}」です。\n/help で使えるコマンドを確認できます。",
        "Thanks for adding {bot} of {city}! Send /help to see what you can do.",
    ),
    "join": (
        "{place}に招待ありがとうございます！{bot}です。\nイベントのグループにする場合は、イベントコードを「/event bind コード」と送ってください。",
        "Thanks for inviting me to {place}! To make this an event group, send \"/event bind CODE\".",
    ),
    "lang.set": ("表示言語を日本語にしました。", "Language set to English."),
    "lang.usage": ("「/lang ja」または「/lang en」と送ってください。", "Send \"/lang ja\" or \"/lang en\"."),
    "role.staff": ("市の職員", "city staff"),
    "role.organizer": ("主催者", "organizers"),
    "role.facilitator": ("世話人", "facilitators"),
    "role.resident": ("参加者", "members"),
    # ---- events (community/events.py, handlers/events.py) ----
    "event.new_fields": (
        "タイトル・日時・場所を「|」で区切って送ってください。例: /event new 秋の交流会 | 2026-12-05 14:00 | 四季文化館みの〜れ",
        "Send the title, date and place separated by \"|\".",
    ),
    "event.too_long": ("タイトルと場所は{limit}文字以内にしてください。", "Keep the title and place within {limit} characters."),
    "event.bad_date": (
        "日時「{text}」が読めません。「2026-12-05 14:00」の形で送ってください。",
        "Cannot read the date \"{text}\". Use the form 2026-12-05 14:00.",
    ),
    "event.past_date": ("その日時はもう過ぎています。これからの日時を送ってください。", "That time has passed; send a future date."),
    "event.created": (
        "イベント「{title}」を作りました。\nイベントコード: {code}\n日時: {when}\n場所: {place}\n\n"
        "世話人の方へ、次の手順です:\n1. LINEグループを作り、このボットを招待する\n2. グループで「/event bind {code}」と送る\n"
        "3. グループで「/event facilitator @名前」と送って世話人を指名する\n4. グループの招待リンクを「/event invite リンク」で登録する\n"
        "参加者は「/join {code}」でグループの案内を受け取れます。",
        "Created \"{title}\". Event code: {code}\nWhen: {when}\nWhere: {place}\n\nNext steps for the facilitator:\n"
        "1. Create a LINE group and invite this bot\n2. In the group send \"/event bind {code}\"\n"
        "3. Send \"/event facilitator @name\" to name facilitators\n4. Register the group's invite link with \"/event invite LINK\"\n"
        "Attendees send \"/join {code}\" to get the group link.",
    ),
    "event.code_missing": ("イベントコード (6文字) を添えて送ってください。", "Add the 6-character event code."),
    "event.no_such_code": (
        "イベントコード「{code}」が見つかりません。コードをもう一度確かめてください。",
        "No event has the code \"{code}\". Please check the code.",
    ),
    "event.bind_taken": (
        "このグループはすでにイベント「{title}」({code}) に登録されています。別のイベントには新しいグループを作ってください。",
        "This group already belongs to \"{title}\" ({code}). Make a new group for another event.",
    ),
    "event.bind_same": ("このグループはすでに「{title}」に登録済みです。", "This group already belongs to \"{title}\"."),
    "event.closed": ("イベント「{title}」は終了しています。", "The event \"{title}\" has ended."),
    "event.already_closed": ("イベント「{title}」はすでに終了しています。", "The event \"{title}\" has already ended."),
    "event.bound": (
        "このグループをイベント「{title}」({when}・{place}) の交流グループにしました！\n"
        "世話人を「/event facilitator @名前」で指名し、招待リンクを「/event invite リンク」で登録してください。",
        "This group is now the community group of \"{title}\" ({when}, {place}).\n"
        "Name facilitators with \"/event facilitator @name\" and register the invite link with \"/event invite LINK\".",
    ),
    "event.not_bound": (
        "このグループはまだイベントに登録されていません。先に「/event bind コード」と送ってください。",
        "This group is not bound to an event yet. Send \"/event bind CODE\" first.",
    ),
    "event.not_allowed": (
        "この操作は市の職員・このイベントの主催者・世話人だけができます。",
        "Only city staff, this event's organizer or its facilitators can do this.",
    ),
    "event.close_not_allowed": (
        "イベントの終了は市の職員かこのイベントの主催者だけができます。",
        "Only city staff or this event's organizer can end it.",
    ),
    "event.facilitator_who": (
        "グループでは「/event facilitator @名前」、1:1トークでは「/event facilitator コード 公開ID」と送ってください。",
        "In the group send \"/event facilitator @name\"; in a 1:1 chat \"/event facilitator CODE PUBLIC-ID\".",
    ),
    "event.no_such_member": (
        "公開ID「{id}」の人が見つかりません。本人に「/event id」で確かめてもらってください。",
        "Nobody has the public id \"{id}\". Ask them to check with \"/event id\".",
    ),
    "event.facilitators_added": ("{names} さんを「{title}」の世話人にしました。", "{names} now facilitate \"{title}\"."),
    "event.facilitators_already": ("{names} さんはすでに世話人です。", "{names} already facilitate this event."),
    "event.facilitator_guide": (
        "イベント「{title}」({code}) の世話人になりました。ありがとうございます！\n世話人のお願い:\n"
        "・グループで最初のあいさつや話題づくりをする\n・困っている人がいたら声をかける\n"
        "・グループが静かなときは、ボットから話題の案内が届きます\n"
        "状況は「/event status {code}」で見られます。案内を止めるには「/event facilitator stop {code}」と送ってください。",
        "You now facilitate \"{title}\" ({code}). Thank you!\nWhat a facilitator does:\n"
        "- say hello and start conversations in the group\n- help people who seem lost\n"
        "- when the group is quiet, the bot sends you a topic idea\n"
        "See \"/event status {code}\". To stop the nudges send \"/event facilitator stop {code}\".",
    ),
    "event.stop_which": (
        "どのイベントの案内を止めるか、「/event facilitator stop コード」と送ってください。",
        "Say which event: \"/event facilitator stop CODE\".",
    ),
    "event.not_facilitator": ("あなたは「{title}」の世話人ではありません。", "You do not facilitate \"{title}\"."),
    "event.stopped": (
        "「{title}」の世話人向けの案内を止めました。再開は主催者か世話人にもう一度指名してもらってください。",
        "Nudges for \"{title}\" are off. Ask to be named again to restart them.",
    ),
    "event.already_stopped": ("「{title}」の案内はすでに止まっています。", "Nudges for \"{title}\" are already off."),
    "event.invite_usage": (
        "グループでは「/event invite 招待リンク」、1:1トークでは「/event invite コード 招待リンク」と送ってください。",
        "In the group send \"/event invite LINK\"; in a 1:1 chat \"/event invite CODE LINK\".",
    ),
    "event.invite_bad": (
        "LINEグループの招待リンク (https://line.me/R/ti/g/… または https://line.me/ti/g2/…) を送ってください。",
        "Send a LINE group invitation link (https://line.me/R/ti/g/... or https://line.me/ti/g2/...).",
    ),
    "event.invite_saved": (
        "「{title}」の招待リンクを登録しました。「/join {code}」と送った人に案内します。",
        "Saved the invite link of \"{title}\". People who send \"/join {code}\" get it.",
    ),
    "event.card_text": ("日時: {when}\n場所: {place}", "When: {when}\nWhere: {place}"),
    "event.join_button": ("グループに参加", "Join the group"),
    "event.join_link": ("参加用リンク: {url}", "Join link: {url}"),
    "event.join_pending": (
        "グループの招待リンクはまだ準備中です。しばらくしてから「/join {code}」ともう一度送ってください。",
        "The group link is not ready yet. Send \"/join {code}\" again later.",
    ),
    "event.join_code": ("参加するイベントのコードを「/join コード」と送ってください。", "Send \"/join CODE\"."),
    "event.list_empty": ("予定されているイベントはまだありません。", "No upcoming events yet."),
    "event.list_header": ("これからのイベント:", "Upcoming events:"),
    "event.list_footer": ("参加するには「/join コード」と送ってください。", "Send \"/join CODE\" to join."),
    "event.status_header": ("イベント「{title}」({code})\n日時: {when}\n場所: {place}\n状態: {state}\n招待リンク: {invite}",
                            "\"{title}\" ({code})\nWhen: {when}\nWhere: {place}\nState: {state}\nInvite link: {invite}"),
    "event.state_open": ("開催予定・開催中", "open"),
    "event.state_closed": ("終了", "ended"),
    "event.invite_set": ("登録済み", "set"),
    "event.invite_unset": ("未登録", "not set"),
    "event.status_facilitators": ("世話人: {names}", "Facilitators: {names}"),
    "event.status_no_facilitator": ("世話人: まだいません", "Facilitators: none yet"),
    "event.status_opted_out": ("案内停止中", "nudges off"),
    "event.status_no_space": ("グループ: まだありません (「/event bind {code}」で登録)", "Groups: none yet (\"/event bind {code}\")"),
    "event.status_space": (
        "・{name}: メンバー{members}人 / 今週のメッセージ{messages}件 / 最終発言 {last}",
        "- {name}: {members} members / {messages} messages this week / last message {last}",
    ),
    "event.status_never": ("まだなし", "none yet"),
    "event.status_detached": ("  ⚠ ボットがグループから退出しました ({at})", "  ⚠ the bot was removed ({at})"),
    "event.status_which": (
        "イベントコードを添えて「/event status コード」と送ってください。",
        "Send \"/event status CODE\".",
    ),
    "event.closed_done": ("イベント「{title}」を終了しました。", "Ended \"{title}\"."),
    "event.myid": (
        "あなたの公開ID: {id}\n主催者や世話人に指名してもらうときに伝えてください。",
        "Your public id: {id}\nGive it to staff or organizers when they name you.",
    ),
    "event.organizer_who": (
        "グループでは「/organizer @名前」、1:1トークでは「/organizer 公開ID」と送ってください。",
        "In a group send \"/organizer @name\"; in a 1:1 chat \"/organizer PUBLIC-ID\".",
    ),
    "event.organizer_added": ("{names} さんを主催者にしました。", "{names} can now create events."),
    "event.organizer_guide": (
        "イベントの主催者として登録されました。1:1トークで「/event new タイトル | 2026-12-05 14:00 | 場所」と送るとイベントを作れます。",
        "You can now create events: send \"/event new TITLE | 2026-12-05 14:00 | PLACE\" in a 1:1 chat.",
    ),
    "event.space_ready": (
        "このチャンネルはイベント「{title}」({when}・{place}) の交流の場です。気軽に話しかけてください！",
        "This channel is the community space of \"{title}\" ({when}, {place}). Say hello!",
    ),
    "event.nudge": (
        "「{place}」(イベント「{title}」) は{days}日ほど静かです。こんな話題はいかがでしょう:\n「{starter}」\n"
        "この案内を止めるには「/event facilitator stop {code}」と送ってください。",
        "\"{place}\" (event \"{title}\") has been quiet for {days} days. A topic idea:\n\"{starter}\"\n"
        "To stop these notes send \"/event facilitator stop {code}\".",
    ),
    "event.nudge_default_starter": ("最近のできごとを気軽に共有してみませんか？", "Share something from your week?"),
    "event.orphan_report": (
        "世話人のいない静かなイベントグループがあります。「/event facilitator コード 公開ID」で世話人を指名してください:",
        "Quiet event groups without a facilitator:",
    ),
    "event.orphan_line": ("・{place} (「{title}」{code}) — {days}日間発言なし", "- {place} ({title}, {code}): quiet for {days} days"),
    "event.after_header": (
        "「{title}」へのご参加ありがとうございました！{venue}の近くのおすすめをご紹介します。",
        "Thank you for joining \"{title}\"! Some tips near {venue}.",
    ),
    "event.after_spots": ("📍 近くのスポット", "📍 Nearby spots"),
    "event.after_shops": ("🛍 参加者特典のあるお店", "🛍 Shops with offers for attendees"),
    # ---- childcare (community/childcare.py, handlers/childcare.py) ----
    "touchpoint.unknown": (
        "「{id}」という接点IDはありません。使えるID: {ids}",
        "There is no touchpoint \"{id}\". Valid ids: {ids}",
    ),
    "touchpoint.sent_group": (
        "「{name}」のQRコードをこのグループに送りました。",
        "Sent the QR code for \"{name}\" to this group.",
    ),
    "touchpoint.sent_people": (
        "「{name}」のQRコードを{count}人に1:1で送りました。",
        "Sent the QR code for \"{name}\" to {count} people 1:1.",
    ),
    "touchpoint.unreachable": (
        "{count}人にはボットがブロックされているため届けられませんでした。",
        "{count} people could not be reached (they blocked the bot).",
    ),
    "hiroba.invite": (
        "子育て広場はいかがでしたか？3つの質問にお答えいただけると、広場づくりに役立ちます。",
        "How was the parenting plaza? Three quick questions help us improve it.",
    ),
    "hiroba.invite_button": ("アンケートに答える", "Answer the survey"),
    "child.usage": (
        "お子さんの生年月日（または出産予定日）を「/child 2026-05-01」のように送ると、健診の{days}日前にお知らせします。",
        "Send your child's birth date (or due date) like \"/child 2026-05-01\" to get checkup notices {days} days ahead.",
    ),
    "child.bad_date": (
        "「{text}」は日付として読めません。「2026-05-01」のように年-月-日で送ってください。",
        "\"{text}\" is not a date. Send it as YEAR-MONTH-DAY, e.g. 2026-05-01.",
    ),
    "child.too_future": (
        "{date}は先すぎます。出産予定日は10か月以内の日付を送ってください。",
        "{date} is too far ahead: a due date must be within 10 months.",
    ),
    "child.too_past": (
        "{date}は6年以上前です。健診のお知らせは6歳までのお子さんが対象です。",
        "{date} is more than 6 years ago: checkup notices are for children up to 6.",
    ),
    "child.duplicate": ("{date}はすでに登録されています。", "{date} is already registered."),
    "child.too_many": ("登録できるのは{count}人までです。", "You can register up to {count} children."),
    "child.added": (
        "{date}を登録しました。健診の{days}日前に、このトークでお知らせします。\n次は{next}です。\n"
        "やめるときは「/child stop」と送ってください（登録した日付はすべて削除されます）。",
        "Registered {date}. You will get a notice here {days} days before each checkup.\nNext: {next}.\n"
        "Send \"/child stop\" to stop (all registered dates are deleted).",
    ),
    "child.next": ("{name}（{date}ごろ）", "{name} (around {date})"),
    "child.no_next": ("予定されている健診はもうありません", "no more checkups"),
    "child.list": (
        "登録しているお子さん:\n{lines}\nやめるときは「/child stop」と送ってください。",
        "Registered children:\n{lines}\nSend \"/child stop\" to stop.",
    ),
    "child.list_line": ("・{date} — 次は{next}", "- {date} — next: {next}"),
    "child.none": (
        "登録はありません。「/child 2026-05-01」のように生年月日か出産予定日を送ると登録できます。",
        "Nothing registered. Send \"/child 2026-05-01\" with a birth or due date to register.",
    ),
    "child.stopped": (
        "健診のお知らせを止め、登録していた日付（{count}件）をすべて削除しました。",
        "Checkup notices stopped; the {count} registered dates were deleted.",
    ),
    "checkup.notice": (
        "📅 {name}のお知らせ\n{born}生まれ（予定）のお子さんは{date}に{age}になります。{name}の時期です。"
        "日程や持ち物は市からの案内とアプリ「{app}」で確認できます。",
        "📅 {name}\nThe child born (due) on {born} turns {age} on {date}: time for the {name}. "
        "Check the date and what to bring in the city's letter and the \"{app}\" app.",
    ),
    "hiroba.choose": ("どの子育て広場に行きましたか？", "Which parenting plaza did you visit?"),
    "hiroba.unknown_plaza": (
        "「{plaza}」という広場は見つかりません。広場: {plazas}",
        "No plaza called \"{plaza}\". Plazas: {plazas}",
    ),
    "hiroba.q_ease": (
        "【{plaza}】1/3 入りやすさはいかがでしたか？（1=入りにくい〜5=入りやすい）",
        "[{plaza}] 1/3 How easy was it to go in? (1 = hard, 5 = easy)",
    ),
    "hiroba.q_again": ("2/3 また来たいと思いますか？", "2/3 Would you come again?"),
    "hiroba.again.yes": ("また来たい", "Yes"),
    "hiroba.again.maybe": ("たぶん", "Maybe"),
    "hiroba.again.no": ("来ないと思う", "No"),
    "hiroba.q_comment": (
        "3/3 ひとことコメントがあれば送ってください（なければ「スキップ」）。",
        "3/3 Any comment? Send it as a message (or tap Skip).",
    ),
    "hiroba.skip": ("スキップ", "Skip"),
    "hiroba.thanks": (
        "ご回答ありがとうございました！回答は匿名で集計し、広場づくりに使います。",
        "Thank you! Answers are counted anonymously to improve the plaza.",
    ),
    "hiroba.stale": (
        "このアンケートは終了しています。もう一度答えるときは「/hiroba」と送ってください。",
        "This survey has ended. Send \"/hiroba\" to answer again.",
    ),
    "childcare.stats.header": ("📊 {app} {fy}年度の数字", "📊 {app} figures, fiscal year {fy}"),
    "childcare.stats.touchpoint": (
        "・{name}: 読み取り {scans} / 配布 {pushes}",
        "- {name}: scans {scans} / pushes {pushes}",
    ),
    "childcare.stats.total": (
        "合計: 読み取り {scans}（iPhone {ios}・Android {android}・その他 {other}）/ 配布 {pushes}",
        "Total: scans {scans} (iPhone {ios}, Android {android}, other {other}) / pushes {pushes}",
    ),
    "childcare.stats.optin": (
        "健診お知らせ: 今年度の登録 {optins}件 / 現在 {parents}人（お子さん{children}人）",
        "Checkup notices: {optins} registrations this year / now {parents} parents ({children} children)",
    ),
    "childcare.stats.plaza": (
        "【{plaza}】回答 {responses}件・入りやすさ平均 {average}・また来たい {yes}/たぶん {maybe}/来ない {no}・コメント {comments}件",
        "[{plaza}] {responses} answers, ease {average}, again yes {yes}/maybe {maybe}/no {no}, {comments} comments",
    ),
    # ---- staff (handlers/staff.py) ----
    "donate.title": ("ふるさと納税で応援", "Support the city with furusato nozei"),
    "donate.text": (
        "ふるさと納税で{city}を応援できます。下のリンクはあなた専用の紹介リンクです（何度送っても同じリンクです）。\n{url}",
        "You can support {city} with furusato nozei. This is your own referral link (always the same):\n{url}",
    ),
    "donate.button": ("寄附ページを開く", "Open the donation page"),
    "donate.unset": ("ふるさと納税のページがまだ設定されていません。", "The donation page is not configured yet."),
    "staff.here": (
        "このグループを職員グループにしました。毎週月曜 9:00 に週間レポートが届きます。",
        "This group is now a staff group. The weekly digest arrives here on Mondays at 9:00.",
    ),
    "staff.already": ("このグループはすでに職員グループです。", "This group is already a staff group."),
    "staff.other_purpose": (
        "このグループは別の用途（{purpose}）に使われているため、職員グループにできません。",
        "This group is used for something else ({purpose}) and cannot be a staff group.",
    ),
    "staff.off": ("このグループを職員グループから外しました。", "This group is no longer a staff group."),
    "staff.not_staff_space": ("このグループは職員グループではありません。", "This group is not a staff group."),
    "digest.sent_direct": (
        "週間レポートは1:1トークに送りました（このグループは職員グループではないため）。",
        "The digest went to your 1:1 chat (this group is not a staff group).",
    ),
    "digest.no_direct": (
        "1:1トークに送れませんでした。ボットを友だち追加してから、1:1トークで /digest と送ってください。",
        "Could not reach your 1:1 chat. Add the bot as a friend and send /digest there.",
    ),
    "dashboard.link": (
        "職員ダッシュボードのログインリンクです（{minutes}分間・1回だけ有効）。他の人に渡さないでください。\n{url}",
        "Your staff dashboard login link (valid once, for {minutes} minutes). Do not share it.\n{url}",
    ),
    "forget.ask": (
        "あなたのデータを削除します: LINE・Discordのアカウントとの紐付け、ニックネーム、お子さまの日付、紹介リンク、"
        "投稿の本文、役割。集計の件数は個人がわからない形で残ります。削除してよろしいですか？",
        "This deletes your data: the links to your LINE and Discord accounts, your nickname, your children's dates, your "
        "referral link, the text of your posts and your roles. Counts stay, with nothing that identifies you. Delete?",
    ),
    "forget.yes": ("削除する", "Delete"),
    "forget.no": ("やめる", "Cancel"),
    "forget.done": (
        "削除しました。これまでありがとうございました。またいつでも /help から始められます。",
        "Deleted. Thank you. You can start again any time with /help.",
    ),
    "forget.cancelled": ("削除はしませんでした。", "Nothing was deleted."),
    "forget.usage": ("「/forget-me」で始めて、確認のボタンを押してください。", "Send /forget-me and press the confirm button."),
}

def t(lang: str, key: str, **values: object) -> str:
    ja, en = TEXTS[key]
    template = en if lang == "en" else ja
    return template.format(**values)
