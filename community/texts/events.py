"""Texts of the events feature: events, event spaces, facilitators, nudges, after-event tips."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- dates and lists ----
    "event.when": ("{year}年{month}月{day}日({weekday}) {time}", "{weekday} {year}-{month:02d}-{day:02d} {time}"),
    "event.weekdays": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "event.name_separator": ("、", ", "),
    "event.new_fields": (
        "タイトル・日時・場所を「|」で区切って送ってください。例: /event new 秋の交流会 | 2026-12-05 14:00 | 四季文化館みの〜れ",
        'Send the title, date and place separated by "|".',
    ),
    "event.too_long": (
        "タイトルと場所は{limit}文字以内にしてください。",
        "Keep the title and place within {limit} characters.",
    ),
    "event.bad_date": (
        "日時「{text}」が読めません。「2026-12-05 14:00」の形で送ってください。",
        'Cannot read the date "{text}". Use the form 2026-12-05 14:00.',
    ),
    "event.past_date": (
        "その日時はもう過ぎています。これからの日時を送ってください。",
        "That time has passed; send a future date.",
    ),
    "event.created": (
        "イベント「{title}」を作りました。\nイベントコード: {code}\n日時: {when}\n場所: {place}\n\n"
        "世話人の方へ、次の手順です:\n1. LINEグループを作り、このボットを招待する\n2. グループで「/event bind {code}」と送る\n"
        "3. グループで「/event facilitator @名前」と送って世話人を指名する\n4. グループの招待リンクを「/event invite リンク」で登録する\n"
        "参加者は「/join {code}」でグループの案内を受け取れます。",
        'Created "{title}". Event code: {code}\nWhen: {when}\nWhere: {place}\n\nNext steps for the facilitator:\n'
        '1. Create a LINE group and invite this bot\n2. In the group send "/event bind {code}"\n'
        '3. Send "/event facilitator @name" to name facilitators\n'
        '4. Register the group\'s invite link with "/event invite LINK"\n'
        'Attendees send "/join {code}" to get the group link.',
    ),
    "event.code_missing": ("イベントコード (6文字) を添えて送ってください。", "Add the 6-character event code."),
    "event.no_such_code": (
        "イベントコード「{code}」が見つかりません。コードをもう一度確かめてください。",
        'No event has the code "{code}". Please check the code.',
    ),
    "event.bind_taken": (
        "このグループはすでにイベント「{title}」({code}) に登録されています。別のイベントには新しいグループを作ってください。",
        'This group already belongs to "{title}" ({code}). Make a new group for another event.',
    ),
    "event.bind_same": ("このグループはすでに「{title}」に登録済みです。", 'This group already belongs to "{title}".'),
    "event.closed": ("イベント「{title}」は終了しています。", 'The event "{title}" has ended.'),
    "event.already_closed": ("イベント「{title}」はすでに終了しています。", 'The event "{title}" has already ended.'),
    "event.bound": (
        "このグループをイベント「{title}」({when}・{place}) の交流グループにしました！\n"
        "世話人を「/event facilitator @名前」で指名し、招待リンクを「/event invite リンク」で登録してください。",
        'This group is now the community group of "{title}" ({when}, {place}).\n'
        'Name facilitators with "/event facilitator @name" and register the invite link with "/event invite LINK".',
    ),
    "event.not_bound": (
        "このグループはまだイベントに登録されていません。先に「/event bind コード」と送ってください。",
        'This group is not bound to an event yet. Send "/event bind CODE" first.',
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
        'In the group send "/event facilitator @name"; in a 1:1 chat "/event facilitator CODE PUBLIC-ID".',
    ),
    "event.no_such_member": (
        "公開ID「{id}」の人が見つかりません。本人に「/event id」で確かめてもらってください。",
        'Nobody has the public id "{id}". Ask them to check with "/event id".',
    ),
    "event.facilitators_added": ("{names} さんを「{title}」の世話人にしました。", '{names} now facilitate "{title}".'),
    "event.facilitators_already": ("{names} さんはすでに世話人です。", "{names} already facilitate this event."),
    "event.facilitator_guide": (
        "イベント「{title}」({code}) の世話人になりました。ありがとうございます！\n世話人のお願い:\n"
        "・グループで最初のあいさつや話題づくりをする\n・困っている人がいたら声をかける\n"
        "・グループが静かなときは、ボットから話題の案内が届きます\n"
        "状況は「/event status {code}」で見られます。案内を止めるには「/event facilitator stop {code}」と送ってください。",
        'You now facilitate "{title}" ({code}). Thank you!\nWhat a facilitator does:\n'
        "- say hello and start conversations in the group\n- help people who seem lost\n"
        "- when the group is quiet, the bot sends you a topic idea\n"
        'See "/event status {code}". To stop the nudges send "/event facilitator stop {code}".',
    ),
    "event.stop_which": (
        "どのイベントの案内を止めるか、「/event facilitator stop コード」と送ってください。",
        'Say which event: "/event facilitator stop CODE".',
    ),
    "event.not_facilitator": ("あなたは「{title}」の世話人ではありません。", 'You do not facilitate "{title}".'),
    "event.stopped": (
        "「{title}」の世話人向けの案内を止めました。再開は主催者か世話人にもう一度指名してもらってください。",
        'Nudges for "{title}" are off. Ask to be named again to restart them.',
    ),
    "event.already_stopped": ("「{title}」の案内はすでに止まっています。", 'Nudges for "{title}" are already off.'),
    "event.invite_usage": (
        "グループでは「/event invite 招待リンク」、1:1トークでは「/event invite コード 招待リンク」と送ってください。",
        'In the group send "/event invite LINK"; in a 1:1 chat "/event invite CODE LINK".',
    ),
    "event.invite_bad": (
        "LINEグループの招待リンク (https://line.me/R/ti/g/… または https://line.me/ti/g2/…) を送ってください。",
        "Send a LINE group invitation link (https://line.me/R/ti/g/... or https://line.me/ti/g2/...).",
    ),
    "event.invite_saved": (
        "「{title}」の招待リンクを登録しました。「/join {code}」と送った人に案内します。",
        'Saved the invite link of "{title}". People who send "/join {code}" get it.',
    ),
    "event.card_text": ("日時: {when}\n場所: {place}", "When: {when}\nWhere: {place}"),
    "event.join_button": ("グループに参加", "Join the group"),
    "event.join_link": ("参加用リンク: {url}", "Join link: {url}"),
    "event.join_pending": (
        "グループの招待リンクはまだ準備中です。しばらくしてから「/join {code}」ともう一度送ってください。",
        'The group link is not ready yet. Send "/join {code}" again later.',
    ),
    "event.join_code": ("参加するイベントのコードを「/join コード」と送ってください。", 'Send "/join CODE".'),
    "event.list_empty": ("予定されているイベントはまだありません。", "No upcoming events yet."),
    "event.list_header": ("これからのイベント:", "Upcoming events:"),
    "event.list_line": ("・{code}  {when}  {title} @{place}", "- {code}  {when}  {title} @{place}"),
    "event.list_footer": ("参加するには「/join コード」と送ってください。", 'Send "/join CODE" to join.'),
    "event.status_header": (
        "イベント「{title}」({code})\n日時: {when}\n場所: {place}\n状態: {state}\n招待リンク: {invite}",
        '"{title}" ({code})\nWhen: {when}\nWhere: {place}\nState: {state}\nInvite link: {invite}',
    ),
    "event.state.upcoming": ("開催予定", "upcoming"),
    "event.state.running": ("開催中", "under way"),
    "event.state.ended": ("終了", "ended"),
    "event.invite_set": ("登録済み", "set"),
    "event.invite_unset": ("未登録", "not set"),
    "event.status_facilitators": ("世話人: {names}", "Facilitators: {names}"),
    "event.status_no_facilitator": ("世話人: まだいません", "Facilitators: none yet"),
    "event.status_person_off": ("{name} (案内停止中)", "{name} (nudges off)"),
    "event.status_no_space": (
        "グループ: まだありません (「/event bind {code}」で登録)",
        'Groups: none yet ("/event bind {code}")',
    ),
    "event.status_space": (
        "・{name}: メンバー{members}人 / 今週のメッセージ{messages}件 / 最終発言 {last}",
        "- {name}: {members} members / {messages} messages this week / last message {last}",
    ),
    "event.status_space_name": ("{name}（{platform}）", "{name} ({platform})"),
    "event.platform.line": ("LINE", "LINE"),
    "event.platform.discord": ("Discord", "Discord"),
    "event.platform.console": ("コンソール", "console"),
    "event.status_never": ("まだなし", "none yet"),
    "event.status_detached": ("  ⚠ ボットがグループから退出しました ({at})", "  ⚠ the bot was removed ({at})"),
    "event.status_which": (
        "イベントコードを添えて「/event status コード」と送ってください。",
        'Send "/event status CODE".',
    ),
    "event.closed_done": ("イベント「{title}」を終了しました。", 'Ended "{title}".'),
    "event.myid": (
        "あなたの公開ID: {id}\n主催者や世話人に指名してもらうときに伝えてください。",
        "Your public id: {id}\nGive it to staff or organizers when they name you.",
    ),
    "event.organizer_who": (
        "グループでは「/organizer @名前」、1:1トークでは「/organizer 公開ID」と送ってください。",
        'In a group send "/organizer @name"; in a 1:1 chat "/organizer PUBLIC-ID".',
    ),
    "event.organizer_added": ("{names} さんを主催者にしました。", "{names} can now create events."),
    "event.organizer_guide": (
        "イベントの主催者として登録されました。1:1トークで「/event new タイトル | 2026-12-05 14:00 | 場所」と送るとイベントを作れます。",
        'You can now create events: send "/event new TITLE | 2026-12-05 14:00 | PLACE" in a 1:1 chat.',
    ),
    "event.space_ready": (
        "このチャンネルはイベント「{title}」({when}・{place}) の交流の場です。気軽に話しかけてください！",
        'This channel is the community space of "{title}" ({when}, {place}). Say hello!',
    ),
    "event.nudge": (
        "「{place}」(イベント「{title}」) は{days}日ほど静かです。こんな話題はいかがでしょう:\n「{starter}」\n"
        "この案内を止めるには「/event facilitator stop {code}」と送ってください。",
        '"{place}" (event "{title}") has been quiet for {days} days. A topic idea:\n"{starter}"\n'
        'To stop these notes send "/event facilitator stop {code}".',
    ),
    "event.nudge_default_starter": ("最近のできごとを気軽に共有してみませんか？", "Share something from your week?"),
    "event.orphan_report": (
        "世話人のいない静かなイベントグループがあります。「/event facilitator コード 公開ID」で世話人を指名してください:",
        "Quiet event groups without a facilitator:",
    ),
    "event.orphan_line": (
        "・{place} (「{title}」{code}) — {days}日間発言なし",
        "- {place} ({title}, {code}): quiet for {days} days",
    ),
    "event.after_header": (
        "「{title}」へのご参加ありがとうございました！{venue}の近くのおすすめをご紹介します。",
        'Thank you for joining "{title}"! Some tips near {venue}.',
    ),
    "event.after_spots": ("📍 近くのスポット", "📍 Nearby spots"),
    "event.after_shops": ("🛍 参加者特典のあるお店", "🛍 Shops with offers for attendees"),
    "event.after_item": ("・{item}", "- {item}"),
    "digest.quiet_groups": ("■ 静かなイベントグループ", "■ Quiet event groups"),
    "digest.nobody": ("なし", "none"),
    "digest.quiet_group": (
        "・{title} ({days}日発言なし / 世話人: {who})",
        "- {title} (quiet {days} days / facilitators: {who})",
    ),
    "event.tip_separator": ("\uff1a", ": "),
    # ---- commands: summaries and usage ----
    "cmd.organizer": ("イベントの主催者を指名する (職員)", "name an event organizer (staff)"),
    "usage.organizer": (
        "/organizer @名前 (グループ) または /organizer 公開ID (1:1)",
        "/organizer @name (group) or /organizer PUBLIC-ID (1:1)",
    ),
    "cmd.event new": ("イベントを作る (職員・主催者)", "create an event (staff, organizers)"),
    "usage.event new": ("/event new タイトル | 2026-12-05 14:00 | 場所", "/event new TITLE | 2026-12-05 14:00 | PLACE"),
    "cmd.event bind": ("このグループをイベントに登録する", "bind this group to an event"),
    "usage.event bind": ("/event bind イベントコード", "/event bind CODE"),
    "cmd.event facilitator": ("世話人を指名する / stop で案内を止める", "name facilitators / stop the nudges"),
    "usage.event facilitator": (
        "/event facilitator @名前 (グループ) | /event facilitator コード 公開ID (1:1) | /event facilitator stop [コード]",
        "/event facilitator @name (group) | /event facilitator CODE PUBLIC-ID (1:1) | /event facilitator stop [CODE]",
    ),
    "cmd.event invite": ("グループの招待リンクを登録する", "store the group's invite link"),
    "usage.event invite": (
        "/event invite 招待リンク (グループ) | /event invite コード 招待リンク (1:1)",
        "/event invite LINK (group) | /event invite CODE LINK (1:1)",
    ),
    "cmd.join": ("イベントのグループに参加する", "join an event's group"),
    "usage.join": ("/join イベントコード", "/join CODE"),
    "cmd.event list": ("これからのイベント", "upcoming events"),
    "usage.event list": ("/event list", "/event list"),
    "cmd.event status": ("イベントとグループの様子 (職員・主催者・世話人)", "event and group status"),
    "usage.event status": ("/event status [イベントコード]", "/event status [CODE]"),
    "cmd.event close": ("イベントを終了する (職員・主催者)", "end an event (staff, organizer)"),
    "usage.event close": ("/event close イベントコード", "/event close CODE"),
    "cmd.event id": ("自分の公開IDを見る (世話人・主催者の指名用)", "show your public id"),
    "usage.event id": ("/event id", "/event id"),
    # ---- jobs (python -m bot job --list) ----
    "job.quiet-groups.schedule": ("毎日 10:30", "daily 10:30"),
    "job.quiet-groups.description": (
        "[events] quiet_days 日静かなイベントグループの世話人にそっと声をかける。世話人のいないグループは職員に知らせる",
        "facilitators of event groups quiet for [events] quiet_days get a gentle nudge; groups without one go to staff",
    ),
    "job.quiet-groups.result": (
        "世話人 {nudged}人に声かけを送りました。世話人のいない静かなグループ {orphans}件を職員に知らせました",
        "nudged {nudged} facilitators; reported {orphans} spaces without a facilitator to staff",
    ),
    "job.after-event.schedule": ("毎日 18:00", "daily 18:00"),
    "job.after-event.description": (
        "イベントが終わったら、そのグループに会場近くのスポットとお店の特典を1回だけ投稿する",
        "after an event ends, its groups get the venue's nearby spots and shop offers (once)",
    ),
    "job.after-event.result": (
        "イベント後のおすすめを {posted}か所に投稿しました",
        "posted after-event tips in {posted} spaces",
    ),
}

WORDS: dict[str, tuple[str, ...]] = {
    "event.stop_words": ("stop", "停止"),  # /event facilitator stop
}
