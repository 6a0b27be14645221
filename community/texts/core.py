"""Texts every deployment has: help, refusals, greetings, language, /forget-me."""

TEXTS: dict[str, tuple[str, str]] = {
    "help.header": ("使えるコマンド:", "Commands you can use:"),
    "help.footer": ("詳しくは「/help コマンド名」と送ってください。", 'Send "/help COMMAND" for details.'),
    "help.usage": ("使い方: {usage}", "Usage: {usage}"),
    "help.who": ("使える人: {who}", "Who: {who}"),
    "help.where": ("使う場所: {where}", "Where: {where}"),
    "help.where.direct": ("ボットとの1:1トーク", "a 1:1 chat with the bot"),
    "help.where.group": ("グループの中", "inside a group"),
    "help.where.direct+group": ("1:1トークでもグループでも", "a 1:1 chat or a group"),
    "help.not_for_you": ("※あなたはこのコマンドを使えません。", "(You cannot use this command.)"),
    "help.not_here": ("※ここでは使えません。上の場所で送ってください。", "(Not here: send it in the place above.)"),
    "unknown": (
        "「{name}」というコマンドはありません。/help で使えるコマンドを確認できます。",
        'There is no command "{name}". Send /help to see what you can use.',
    ),
    "forbidden": (
        "「{name}」は{roles}だけが使えるコマンドです。",
        '"{name}" is only for {roles}.',
    ),
    "place.direct": (
        "「{name}」はボットとの1:1トークで送ってください。",
        'Send "{name}" in a 1:1 chat with the bot.',
    ),
    "place.group": (
        "「{name}」はグループの中で送ってください。",
        'Send "{name}" inside a group.',
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
        'Thanks for inviting me, {bot}, to {place}! To make this an event group, send "/event bind CODE".',
    ),
    "lang.set": ("表示言語を日本語にしました。", "Language set to English."),
    "lang.usage": ("「/lang ja」または「/lang en」と送ってください。", 'Send "/lang ja" or "/lang en".'),
    "list.separator": ("・", ", "),
    "role.staff": ("市の職員", "city staff"),
    "role.organizer": ("主催者", "organizers"),
    "role.facilitator": ("世話人", "facilitators"),
    "role.resident": ("だれでも", "everyone"),
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
    "forget.usage": (
        "「/forget-me」で始めて、確認のボタンを押してください。",
        "Send /forget-me and press the confirm button.",
    ),
    "join.named_place": ("「{name}」", '"{name}"'),
    "join.this_group": ("このグループ", "this group"),
    "dialogue.cancelled": ("取り消しました。", "Cancelled."),
    # ---- commands: summaries and usage ----
    "cmd.help": ("使えるコマンドの一覧", "list the commands you can use"),
    "usage.help": ("/help [コマンド名]", "/help [COMMAND]"),
    "cmd.lang": ("表示言語を変える (ja / en)", "change language (ja / en)"),
    "usage.lang": ("/lang ja|en", "/lang ja|en"),
    "cmd.forget-me": ("自分のデータを削除する", "delete your data"),
    "usage.forget-me": ("/forget-me", "/forget-me"),
    # ---- jobs (python -m bot job --list) ----
    "job.purge-raw.schedule": ("毎日 03:30", "daily 03:30"),
    "job.purge-raw.description": (
        "保存期間を過ぎた受信データ（生のwebhook）と監査ログを削除",
        "raw webhook payloads and audit entries past their retention period are deleted",
    ),
    "job.purge-raw.done": (
        "保存期間（{days}日）を過ぎた受信データ {count}件、保存期間（{audit_days}日）を過ぎた監査ログ {audited}件を削除しました",
        "deleted {count} raw payloads older than {days} days and {audited} audit entries older than {audit_days} days",
    ),
    # ---- the process: CLI, console, renderers ----
    "cli.description": (
        "つながる: LINE と Discord のまちのコミュニティボット",
        "tsunagaru: LINE / Discord community bot",
    ),
    "config.error": ("設定エラー", "configuration error"),
    "console.in_group": ("グループ「{group}」", 'the group "{group}"'),
    "console.direct": ("1:1トーク", "a 1:1 chat"),
    "console.banner": (
        "{bot} コンソール — {user} として{where}で話しています。/help でコマンド一覧、Ctrl-D で終了。",
        "{bot} console: talking as {user} in {where}. /help lists the commands, Ctrl-D ends.",
    ),
    "console.howto": (
        "ボタンは番号（またはボタンの名前）を入力すると押せます。📨 の付いた行はボットからのプッシュ通知です。",
        "Press a button by typing its number (or its label). Lines marked 📨 are pushes from the bot.",
    ),
    "console.database": ("データベース: {url}（作業フォルダ {cwd}）", "database: {url} (working folder {cwd})"),
    "console.push": ("📨 プッシュ:", "📨 push:"),
    "console.push_direct": ("📨 プッシュ（{user} さんへの1:1）:", "📨 push (1:1 to {user}):"),
    "console.link": ("🔗 {label}: {url}（ブラウザで開いてください）", "🔗 {label}: {url} (open it in a browser)"),
    "render.list_alt": ("一覧", "List"),
    "qr.open_app": ("アプリを開く", "Open the app"),
    "plain.image": ("[画像] {what}", "[image] {what}"),
    "plain.create_space": ("[チャンネル作成] {title} ({code})", "[channel made] {title} ({code})"),
    "plain.archive_space": ("[チャンネル保存] {code}", "[channel archived] {code}"),
    "plain.mirror_thread": ("[掲示板スレッド #{id}] [{category}] {title}", "[board thread #{id}] [{category}] {title}"),
    "plain.mirror_post": ("[掲示板 #{id}] {author}: {text}", "[board #{id}] {author}: {text}"),
    "plain.unmirror_post": ("[掲示板から取り下げ] #{id}", "[taken off the board] #{id}"),
    "donation.csv.date": ("寄附日", "donation date"),
    "donation.csv.amount": ("寄附金額", "amount"),
    "donation.csv.code": ("紹介コード", "referral code"),
    "donation.csv.reason": ("寄附のきっかけ", "reason"),
    "discord.board_forum_name": ("関係人口-board", "community-board"),
    # ---- start-up problems: one line each, naming the setting and what to do ----
    "startup.bad_host": (
        "HOST「{host}」は使えない待ち受けアドレスです。127.0.0.1 や 0.0.0.0 を指定してください",
        "HOST {host!r} is not an address this machine can listen on; use e.g. 127.0.0.1 or 0.0.0.0",
    ),
    "startup.port_in_use": (
        "PORT {port} は別のプログラムが使っています。止めるか、PORT に別の番号を指定してください",
        "PORT {port} is already in use by another program; stop it or set PORT to another number",
    ),
    "startup.cannot_listen": (
        "HOST {host} の PORT {port} で待ち受けできません。HOST と PORT を確かめてください",
        "cannot listen on HOST {host} PORT {port}; check HOST and PORT",
    ),
    "startup.sqlite_unwritable": (
        "DATABASE_URL のデータベースファイルを作れません（{where}）。書き込めるフォルダを指定してください",
        "DATABASE_URL: cannot create the database file ({where}); point it at a folder you can write to",
    ),
    "startup.database_unreachable": (
        "DATABASE_URL のデータベースに接続できません（{where}, {reason}）。サーバーが動いているか、アドレスとパスワードを確かめてください",
        "DATABASE_URL: cannot reach the database ({where}, {reason}); check the server is running, the address and the password",
    ),
    "startup.local_public_url": (
        "PUBLIC_BASE_URL（{url}）はこのマシンの中だけのアドレスです。LINE から届く https のアドレスを設定してください",
        "PUBLIC_BASE_URL ({url}) is only reachable on this machine; set the https address LINE can reach",
    ),
    # ---- the greeting and the main actions (quick replies) ----
    "greeting": (
        "こんにちは！{bot}です。下のボタンから選んでください。コマンドの一覧は「ヘルプ」です。",
        'Hello! This is {bot}. Choose below; "Help" lists every command.',
    ),
    "menu.help": ("ヘルプ", "Help"),
    # ---- the LINE rich menu (python -m bot richmenu) ----
    "richmenu.no_font": (
        "日本語のフォントが見つからないため、メニューの文字は英語で描きます（Debian: apt-get install fonts-noto-cjk）",
        "no Japanese font found: the menu labels are drawn in English (Debian: apt-get install fonts-noto-cjk)",
    ),
    "richmenu.wrote": ("{path} に書き出しました（{width}x{height}）", "wrote {path} ({width}x{height})"),
    "richmenu.no_token": (
        "LINE_CHANNEL_ACCESS_TOKEN が設定されていないため、リッチメニューを設定できません",
        "LINE_CHANNEL_ACCESS_TOKEN is not set: cannot deploy the rich menu",
    ),
    "richmenu.local_public_url": (
        "PUBLIC_BASE_URL（{url}）が未設定かこのマシンの中だけのアドレスです。公開アドレスを設定してください（試すだけなら --allow-local）",
        "PUBLIC_BASE_URL ({url}) is unset or only reachable on this machine: set the public address "
        "(--allow-local to try anyway)",
    ),
    "richmenu.refused": (
        "LINE がリッチメニューを受け付けませんでした: {status} {body}",
        "LINE refused the rich menu: {status} {body}",
    ),
    "richmenu.deployed": (
        "リッチメニュー {id} を全員の標準メニューにしました",
        "rich menu {id} is now the default for every user",
    ),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.help": ("ヘルプ", "使い方", "?"),
    "alias.lang": ("言語",),
    "alias.forget-me": ("データ削除",),
    "dialogue.cancel": ("やめる", "キャンセル", "中止", "cancel", "stop"),
    "answer.yes": ("はい", "yes", "ok", "うん", "同意", "同意する", "お願いします", "y"),
    "answer.no": ("いいえ", "no", "いや", "やめる", "やめます", "n"),
}
