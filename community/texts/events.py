"""Texts of the events feature: events, event spaces, facilitators, nudges, after-event tips."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- dates and lists ----
    "event.when": ("{year}年{month}月{day}日({weekday}) {time}", "{weekday} {year}-{month:02d}-{day:02d} {time}"),
    "event.weekdays": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "event.name_separator": ("、", ", "),
    "event.new_fields": (
        "タイトル・日時・場所（と定員）を「|」で区切って送ってください。例: /event new 秋の交流会 | 2026-12-05 14:00 | 四季文化館みの〜れ | 定員 30",
        'Send the title, date and place (and a capacity) separated by "|".',
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
        "イベント「{title}」を作りました。\nイベントコード: {code}\n日時: {when}\n場所: {place}\n{capacity}\n",
        'Created "{title}". Event code: {code}\nWhen: {when}\nWhere: {place}\n{capacity}\n',
    ),
    "event.capacity_line": (
        "定員: {capacity}人（超えた申し込みはキャンセル待ち）",
        "Capacity: {capacity} (more wait for a place)",
    ),
    "event.capacity_open": ("定員: なし", "Capacity: no limit"),
    "event.steps_header": ("次にできること:", "What you can do next:"),
    "event.step_discord_channel": (
        "・Discordにこのイベントのチャンネルを作っています（参加登録した人・世話人・職員だけが見られます）",
        "- The bot is making this event's Discord channel (only those registered, facilitators and staff see it)",
    ),
    "event.step_discord_facilitator": (
        "・世話人を指名: 「/event facilitator」でコード {code} と相手を選ぶ（公開IDでも指名できます）",
        '- Name facilitators: "/event facilitator" with the code {code} and the person (or their public id)',
    ),
    "event.step_discord_also": (
        "・Discordにもこのイベントのチャンネルが自動でできます（参加登録した人だけが見られます）",
        "- A Discord channel for it is made too (only those registered see it)",
    ),
    "event.step_line_group": (
        "・LINEグループを作ってこのボットを招待し、グループで「/event bind {bind}」と送る（登録用の秘密のコードです。"
        "グループを作る人にだけ伝えてください。世話人を指名していなければ、送った人が世話人になります）",
        '- Make a LINE group, invite this bot and send "/event bind {bind}" there (the secret bind code: give it only '
        "to whoever makes the group; unless a facilitator is named, they become it)",
    ),
    "event.step_facilitator_by_id": (
        "・先に世話人を指名するなら「/event facilitator {code} 公開ID」（公開IDは本人が「/event id」で確かめられます）",
        '- To name a facilitator first: "/event facilitator {code} PUBLIC-ID" (they see theirs with "/event id")',
    ),
    "event.step_capacity": (
        "・定員を決める・変える: 「/event capacity {code} 30」",
        '- Set the capacity: "/event capacity {code} 30"',
    ),
    "event.step_share": (
        "・参加者は「/join {code}」で参加登録します（このイベントコードは公開して大丈夫です）",
        '- People register with "/join {code}" (this event code may be shared publicly)',
    ),
    "event.step_status": (
        "・申し込みの状況と、会場に貼る来場記録用のQRコード: 「/event status {code}」",
        '- Registrations and the check-in QR code to put up at the venue: "/event status {code}"',
    ),
    "event.bind_code_missing": (
        "主催者に届いた登録用コード（10文字）を添えて「/event bind 登録用コード」と送ってください。",
        'Send "/event bind BIND-CODE" with the 10-character bind code the organizer has.',
    ),
    "event.bind_needs_secret": (
        "「{code}」は参加用のイベントコードです。グループの登録には、主催者に届いた10文字の登録用コードを使ってください。",
        '"{code}" is the event code for joining. To bind a group use the 10-character bind code the organizer has.',
    ),
    "event.bind_code_wrong": (
        "登録用コード「{code}」が見つかりません。主催者に届いた10文字のコードを確かめてください。",
        'No event has the bind code "{code}". Check the 10-character code with the organizer.',
    ),
    "event.bind_staff_space": (
        "ここは職員グループなので、イベントのグループにはできません。イベント用に新しいグループを作ってください。",
        "This is a staff group and cannot become an event group. Make a new group for the event.",
    ),
    "event.bind_other_purpose": (
        "このグループは別の用途に使われているため、イベントのグループにはできません。",
        "This group serves another purpose and cannot become an event group.",
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
        "このグループをイベント「{title}」({when}・{place}) の交流グループにしました！",
        'This group is now the community group of "{title}" ({when}, {place}).',
    ),
    "event.bound_you_facilitate": (
        "あなたがこのグループの世話人になりました。1:1トークに世話人の案内を送りました。",
        "You now facilitate this group; a guide is in your 1:1 chat with the bot.",
    ),
    "event.bound_ask_facilitator": (
        "世話人: {names}。グループのことは世話人に相談してください。",
        "Facilitators: {names}. Ask them about the group.",
    ),
    "event.step_more_facilitators": (
        "・ほかの世話人を指名: 「/event facilitator @名前」",
        '- Name other facilitators: "/event facilitator @name"',
    ),
    "event.step_invite": (
        "・グループの招待リンクを登録: 「/event invite リンク」（「/join」した人に案内されます）",
        '- Store the group\'s invite link: "/event invite LINK" (people who "/join" get it)',
    ),
    "event.step_unbind": ("・この登録を取り消す: 「/event unbind」", '- Undo this: "/event unbind"'),
    "event.unbound": (
        "このグループとイベント「{title}」の登録を取り消しました。",
        'This group is no longer the group of "{title}".',
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
    "event.facilitator_guide_bind": (
        "LINEグループを作るときは、ボットを招待してグループで「/event bind {bind}」と送ってください（登録用の秘密のコードです）。",
        'To make a LINE group for it, invite the bot and send "/event bind {bind}" there (the secret bind code).',
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
    "event.join_registered": (
        "「{title}」に参加登録しました。前日にお知らせが届きます。",
        'You are registered for "{title}". A reminder comes the day before.',
    ),
    "event.join_already": ("「{title}」にはもう参加登録しています。", 'You are already registered for "{title}".'),
    "event.join_waiting": (
        "満員のため、キャンセル待ち（{position}番目）で受け付けました。空きが出たらお知らせします。",
        "It is full: you are number {position} on the waiting list. You will hear when a place frees up.",
    ),
    "event.join_still_waiting": (
        "キャンセル待ちの{position}番目です。空きが出たらお知らせします。",
        "You are number {position} on the waiting list. You will hear when a place frees up.",
    ),
    "event.join_channel": (
        "イベントのチャンネルが見られるようになりました。",
        "You can now see the event's channel.",
    ),
    "event.join_cancel_hint": (
        "行けなくなったら「/event cancel {code}」と送ってください。",
        'If you cannot come, send "/event cancel {code}".',
    ),
    "event.cancel_which": (
        "取り消すイベントのコードを添えて「/event cancel コード」と送ってください。",
        'Send "/event cancel CODE".',
    ),
    "event.cancel_none": ("「{title}」には参加登録していません。", 'You are not registered for "{title}".'),
    "event.cancel_done": ("「{title}」の参加登録を取り消しました。", 'Your place at "{title}" is cancelled.'),
    "event.cancel_waiting_done": (
        "「{title}」のキャンセル待ちを取り消しました。",
        'You left the waiting list of "{title}".',
    ),
    "event.moved_up": (
        "キャンセルが出たので、「{title}」({when}・{place}) に参加できることになりました！\n"
        "行けなくなったら「/event cancel {code}」と送ってください。",
        'A place freed up: you are now registered for "{title}" ({when}, {place})!\n'
        'If you cannot come, send "/event cancel {code}".',
    ),
    "event.capacity_usage": (
        "「/event capacity コード 30」（定員なしは「/event capacity コード なし」）と送ってください。",
        'Send "/event capacity CODE 30" ("/event capacity CODE none" for no limit).',
    ),
    "event.capacity_bad": (
        "定員「{text}」が読めません。「30」のように人数を送ってください（定員なしは「なし」）。",
        'Cannot read the capacity "{text}". Send a number such as 30 ("none" for no limit).',
    ),
    "event.capacity_of": ("（定員{capacity}人）", " (of {capacity})"),
    "event.capacity_set": (
        "「{title}」の定員を{capacity}人にしました。キャンセル待ちから{moved}人が繰り上がりました。",
        'The capacity of "{title}" is now {capacity}; {moved} moved up from the waiting list.',
    ),
    "event.capacity_removed": (
        "「{title}」の定員をなくしました。キャンセル待ちから{moved}人が繰り上がりました。",
        '"{title}" has no capacity limit now; {moved} moved up from the waiting list.',
    ),
    "event.checkin_code": (
        "来場を記録するイベントのコードを添えて「/checkin コード」と送ってください。",
        'Send "/checkin CODE".',
    ),
    "event.checkin_done": (
        "「{title}」へのご来場を記録しました。ありがとうございます！",
        'Your visit to "{title}" is recorded. Thank you for coming!',
    ),
    "event.checkin_again": (
        "「{title}」へのご来場はもう記録されています。",
        'Your visit to "{title}" is recorded already.',
    ),
    "event.checkin_early": (
        "「{title}」の来場受付は開始1時間前からです。",
        'Check-in for "{title}" opens an hour before it starts.',
    ),
    "event.checkin_over": ("「{title}」は終了しています。", '"{title}" is over.'),
    "event.reminder": (
        "明日は「{title}」です！\n日時: {when}\n場所: {place}\n"
        "会場のQRコードを読み取ると来場が記録されます。行けなくなったら「/event cancel {code}」と送ってください。",
        'Tomorrow: "{title}"!\nWhen: {when}\nWhere: {place}\n'
        'Scan the QR code at the venue to check in. If you cannot come, send "/event cancel {code}".',
    ),
    "event.news_subscribed": (
        "新しいイベントができたらお知らせします。止めるときは「/event news off」と送ってください。",
        'You will hear of new events. Send "/event news off" to stop.',
    ),
    "event.news_unsubscribed": ("新しいイベントのお知らせを止めました。", "You will no longer hear of new events."),
    "event.news_was_off": ("新しいイベントのお知らせは届かない設定です。", "You do not get news of new events."),
    "event.news_usage": (
        "「/event news on」（受け取る）または「/event news off」（止める）と送ってください。",
        'Send "/event news on" or "/event news off".',
    ),
    "event.news_state_on": (
        "新しいイベントのお知らせが届く設定です。",
        "You hear of new events.",
    ),
    "event.news_state_off": (
        "新しいイベントができたらお知らせしましょうか？",
        "Shall the bot tell you of new events?",
    ),
    "event.news_on_button": ("お知らせを受け取る", "Tell me"),
    "event.news_off_button": ("お知らせを止める", "Stop the news"),
    "event.news_no_button": ("今はいい", "Not now"),
    "event.news_title": ("新しいイベント: {title}", "New event: {title}"),
    "event.news_text": (
        "日時: {when}\n場所: {place}\n参加するにはボタンを押すか「/join {code}」と送ってください。",
        'When: {when}\nWhere: {place}\nPress the button or send "/join {code}" to take part.',
    ),
    "event.news_join": ("参加する", "Join"),
    "event.calendar_name": ("{city}のイベント", "Events in {city}"),
    "event.calendar_description": (
        "参加登録はボットに「/join {code}」と送ってください。 {url}",
        'To take part send "/join {code}" to the bot. {url}',
    ),
    "plain.space_access": ("[イベントのチャンネルに参加] {code}", "[let into the event channel] {code}"),
    "plain.space_access_removed": ("[イベントのチャンネルから退出] {code}", "[taken out of the event channel] {code}"),
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
    "event.status_registrations": (
        "参加登録: {registered}人{capacity} / キャンセル待ち: {waiting}人 / 来場: {attended}人",
        "Registered: {registered}{capacity} / waiting: {waiting} / checked in: {attended}",
    ),
    "event.status_registered": ("登録: {names}{more}", "People registered: {names}{more}"),
    "event.status_waiting": ("キャンセル待ち: {names}{more}", "Waiting: {names}{more}"),
    "event.status_more": (" ほか{count}人", " and {count} more"),
    "event.status_secret": (
        "登録用コード（グループを作る人にだけ）: {bind}\n来場記録用QR（印刷用）: {qr}",
        "Bind code (only for whoever makes the group): {bind}\nCheck-in QR code (to print): {qr}",
    ),
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
    "usage.event new": (
        "/event new タイトル | 2026-12-05 14:00 | 場所 [| 定員 30]",
        "/event new TITLE | 2026-12-05 14:00 | PLACE [| CAPACITY]",
    ),
    "cmd.event bind": ("このグループをイベントに登録する", "bind this group to an event"),
    "usage.event bind": ("/event bind 登録用コード [@世話人]", "/event bind BIND-CODE [@facilitator]"),
    "cmd.event unbind": ("このグループとイベントの登録を取り消す", "undo binding this group to its event"),
    "usage.event unbind": ("/event unbind", "/event unbind"),
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
    "cmd.join": ("イベントに参加登録する", "register for an event"),
    "usage.join": ("/join イベントコード", "/join CODE"),
    "cmd.event cancel": ("参加登録を取り消す", "cancel your registration"),
    "usage.event cancel": ("/event cancel イベントコード", "/event cancel CODE"),
    "cmd.event capacity": ("イベントの定員を決める (主催者・世話人・職員)", "set an event's capacity"),
    "usage.event capacity": (
        "/event capacity イベントコード 30 (定員なしは なし)",
        "/event capacity CODE 30 (or none)",
    ),
    "cmd.checkin": ("会場で来場を記録する", "check in at the venue"),
    "usage.checkin": ("/checkin イベントコード", "/checkin CODE"),
    "cmd.event news": ("新しいイベントのお知らせを受け取る・止める", "hear of new events, or stop"),
    "usage.event news": ("/event news [on | off]", "/event news [on | off]"),
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
    "job.event-reminders.schedule": ("毎日 18:00", "daily 18:00"),
    "job.event-reminders.description": (
        "翌日のイベントに参加登録した人に、お知らせを1回だけ送る",
        "people registered for an event tomorrow get one reminder",
    ),
    "job.event-reminders.result": (
        "明日のイベント {events}件の参加者 {sent}人にお知らせを送りました",
        "reminded {sent} people of {events} events tomorrow",
    ),
    # ---- KPIs, visitors counted at venues (python -m bot visitors) ----
    "kpi.event_registrations": ("イベントの参加登録", "Event registrations"),
    "kpi.event_attendance": ("イベントの来場（チェックイン）", "Event check-ins"),
    "kpi.visitors": ("交流人口（来場者数）", "Visitors (交流人口)"),
    "visitors.bad_month": ("月「{text}」が読めません（2026-05 の形）", "unreadable month {text!r} (use 2026-05)"),
    "visitors.bad_venue": (
        "会場名がないか長すぎます（{limit}文字まで）",
        "the venue is empty or too long (at most {limit})",
    ),
    "visitors.bad_count": ("人数「{text}」が読めません", "unreadable count {text!r}"),
    "visitors.bad_row": ("列が足りません（会場,月,人数）", "too few columns (venue, month, count)"),
    "visitors.bad_encoding": ("UTF-8 でも Shift_JIS でも読めません", "neither UTF-8 nor Shift_JIS"),
    "visitors.line": ("・{month} {venue}: {visitors}人", "- {month} {venue}: {visitors}"),
    "cli.visitors.help": ("会場ごと・月ごとの来場者数（交流人口）", "visitors counted at venues per month (交流人口)"),
    "cli.visitors.add": ("ひとつの会場の月の人数を入れる", "set one venue's count for a month"),
    "cli.visitors.import": ("CSV（会場,月,人数）を取り込む", "import a CSV of venue, month, count"),
    "cli.visitors.list": ("年度の人数を見る", "list a fiscal year's counts"),
    "cli.visitors.added": ("{venue} {month}: {count}人を記録しました", "recorded {count} for {venue} in {month}"),
    "cli.visitors.replaced": ("{venue} {month}: {count}人に置き換えました", "replaced {venue} in {month} with {count}"),
    "cli.visitors.unreadable": ("ファイルが読めません", "cannot read {file}: {reason}"),
    "cli.visitors.imported": ("{added}件を追加、{replaced}件を置き換えました", "added {added}, replaced {replaced}"),
    "cli.visitors.error_line": ("{line}行目: {problem}", "line {line}: {problem}"),
    "cli.visitors.header": ("{fy}年度の会場ごとの来場者数", "visitors counted at venues in FY {fy}"),
    "cli.visitors.none": ("まだ記録がありません", "none yet"),
    "job.after-event.result": (
        "イベント後のおすすめを {posted}か所に投稿しました",
        "posted after-event tips in {posted} spaces",
    ),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.event list": ("events", "イベント", "イベント一覧"),  # /events, as the web page is called
    "event.stop_words": ("stop", "停止"),  # /event facilitator stop
    "event.capacity_none": ("なし", "無し", "無制限", "none", "no", "0"),  # /event capacity CODE なし
    "event.capacity_prefix": ("定員", "capacity", "cap"),  # /event new ... | 定員 30
    "event.capacity_suffix": ("人", "名", "people"),
    "event.news_on": ("on", "オン", "受け取る", "はい"),
    "event.news_off": ("off", "オフ", "止める", "やめる", "停止"),
}

# Printed as one "ja / en" line (the visitors CLI): the details appear once, in the English half.
BILINGUAL = frozenset(
    {
        "cli.visitors.unreadable",
        "visitors.bad_month",
        "visitors.bad_count",
    }
)
