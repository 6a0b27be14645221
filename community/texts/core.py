"""Texts every deployment has: help, refusals, greetings, language, /forget-me."""

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
        "Thanks for inviting me, {bot}, to {place}! To make this an event group, send \"/event bind CODE\".",
    ),
    "lang.set": ("表示言語を日本語にしました。", "Language set to English."),
    "lang.usage": ("「/lang ja」または「/lang en」と送ってください。", "Send \"/lang ja\" or \"/lang en\"."),
    "list.separator": ("・", ", "),
    "role.staff": ("市の職員", "city staff"),
    "role.organizer": ("主催者", "organizers"),
    "role.facilitator": ("世話人", "facilitators"),
    "role.resident": ("参加者", "members"),
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
    "join.named_place": ("「{name}」", "\"{name}\""),
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
        "raw webhook payloads past the retention period are deleted",
        "raw webhook payloads past the retention period are deleted",
    ),
    # ---- the process: CLI, console, renderers ----
    "cli.description": ("つながる: LINE と Discord のまちのコミュニティボット", "tsunagaru: LINE / Discord community bot"),
    "config.error": ("設定エラー", "configuration error"),
    "console.in_group": ("グループ「{group}」", "the group \"{group}\""),
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
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.help": ("ヘルプ", "使い方", "?"),
    "alias.lang": ("言語",),
    "alias.forget-me": ("データ削除",),
    "dialogue.cancel": ("やめる", "キャンセル", "中止", "cancel", "stop"),
    "answer.yes": ("はい", "yes", "ok", "うん", "同意", "同意する", "お願いします", "y"),
    "answer.no": ("いいえ", "no", "いや", "やめる", "やめます", "n"),
}
