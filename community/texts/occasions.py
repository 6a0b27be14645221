"""Texts of the sign-up QR for occasions."""

TEXTS = {
    "cmd.occasion new": ("きっかけ（成人式など）の登録用QRを作る (職員)", "make a sign-up QR for an occasion (staff)"),
    "usage.occasion new": ("/occasion new 名前（例: 成人式2027）", "/occasion new NAME (e.g. Coming-of-age 2027)"),
    "cmd.occasion list": ("きっかけごとの読み取りと登録 (職員)", "scans and sign-ups per occasion (staff)"),
    "usage.occasion list": ("/occasion list", "/occasion list"),
    "occasion.signup_message": ("{name}から来ました #{code}", "I came from {name} #{code}"),
    "occasion.welcome": (
        "「{name}」から来てくださったのですね。{bot}へようこそ！\nまちのイベントや暮らしの情報をお届けします。/help で使い方を見られます。",
        'Welcome to {bot}, and thank you for coming from "{name}"!\nSend /help to see what I can do.',
    ),
    "occasion.already": (
        "「{name}」からの登録はもう済んでいます。ありがとうございます！",
        'You already signed up from "{name}". Thank you!',
    ),
    "occasion.card_note": (
        "コード {code}。印刷用は python -m bot occasion qr {code} で。",
        "Code {code}. For print: python -m bot occasion qr {code}",
    ),
    "occasion.card_button": ("案内ページを開く", "Open the page"),
    "occasion.created": (
        "「{name}」の登録用QRを作りました（コード {code}）。\n{url}\n読み取った人が友だちになりコードを送ると、「{name}」からの登録として数えます。",
        'Made the sign-up QR for "{name}" (code {code}).\n{url}\nPeople who scan it, add the account and send the code '
        'count as signed up from "{name}".',
    ),
    "occasion.none": (
        "きっかけはまだありません。/occasion new で作れます。",
        "No occasions yet; /occasion new makes one.",
    ),
    "occasion.list_header": ("きっかけ: 読み取り / 登録", "Occasions: scans / sign-ups"),
    "occasion.list_line": ("・{name}（{code}）: {scans} / {signups}", "- {name} ({code}): {scans} / {signups}"),
    "occasion.name_missing": ("名前を書いてください（例: 成人式2027）。", "Give the occasion a name."),
    "occasion.name_too_long": ("名前は{limit}字までです。", "Names are at most {limit} characters."),
    "occasion.csv_header.name": ("きっかけ", "occasion"),
    "occasion.csv_header.code": ("コード", "code"),
    "occasion.csv_header.scans": ("読み取り", "scans"),
    "occasion.csv_header.signups": ("登録", "sign-ups"),
    "occasion.table_header": ("きっかけごと（読み取り / 登録）", "Per occasion (scans / sign-ups)"),
    "kpi.occasion_signups": ("きっかけ（成人式など）からの登録", "sign-ups from occasions"),
    "digest.occasions": ("■ きっかけ別の登録（今週 / 累計）", "■ Sign-ups per occasion (this week / all)"),
    "digest.occasion_line": ("・{name}: {week} / {total}", "- {name}: {week} / {total}"),
    "cli.occasion.help": (
        "きっかけの登録用QR: 作る、書き出す、一覧",
        "sign-up QR for occasions: make one, write it, list them",
    ),
    "cli.occasion.new": ("きっかけを作り、印刷用QRを書き出す", "make an occasion and write its print-ready QR"),
    "cli.occasion.name": ("名前（例: 成人式2027）", "its name (e.g. 成人式2027)"),
    "cli.occasion.qr": ("きっかけの印刷用QRをもう一度書き出す", "write an occasion's print-ready QR again"),
    "cli.occasion.code": ("きっかけのコード", "the occasion's code"),
    "cli.occasion.out": ("書き出すフォルダ（なければ作ります）", "directory to write into (created if missing)"),
    "cli.occasion.allow_local": (
        "PUBLIC_BASE_URL がローカルのアドレスでも書き出す（試すとき）",
        "write codes even when PUBLIC_BASE_URL is a local address (for trying out)",
    ),
    "cli.occasion.list": ("きっかけごとの読み取りと登録", "scans and sign-ups per occasion"),
    "cli.occasion.unknown": ("コード {code} のきっかけはありません", "no occasion has the code {code}"),
    "cli.occasion.written": ("{name}（{code}）: {url} → {file}", "{name} ({code}): {url} -> {file}"),
    "cli.occasion.counts": ("読み取り {scans}・登録 {signups}", "scans {scans}, sign-ups {signups}"),
    "cli.occasion.none": ("きっかけはまだありません", "no occasions yet"),
}
