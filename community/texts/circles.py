"""Texts of the circles directory."""

TEXTS = {
    "cmd.circles": ("サークルを探す（子育てサークルなど）", "find circles (parents' circles and more)"),
    "usage.circles": ("/circles [ことば]", "/circles [words]"),
    "cmd.circle new": ("サークルを載せてもらう", "submit a circle"),
    "usage.circle new": ("/circle new", "/circle new"),
    "cmd.circle close": ("サークルの掲載を終える (載せた人・職員)", "remove a circle (its submitter or staff)"),
    "usage.circle close": ("/circle close 番号", "/circle close ID"),
    "cmd.circle pending": ("承認待ちのサークル (職員)", "circles waiting for approval (staff)"),
    "usage.circle pending": ("/circle pending", "/circle pending"),
    "cmd.circle approve": ("サークルを承認して載せる (職員)", "approve a circle (staff)"),
    "usage.circle approve": ("/circle approve 番号", "/circle approve ID"),
    "cmd.circle reject": ("サークルを見送る (職員)", "reject a circle (staff)"),
    "usage.circle reject": ("/circle reject 番号 [理由]", "/circle reject ID [reason]"),
    # ---- the directory ----
    "circle.none": (
        "載っているサークルはまだありません。/circle new で載せられます。\n{url}",
        "No circles yet; /circle new submits one.\n{url}",
    ),
    "circle.intro": (
        "サークル {count}件（子育てサークルが先頭です）。\n{url}",
        "{count} circles (parents' circles first).\n{url}",
    ),
    "circle.list_alt": ("サークルの一覧", "Circles"),
    "circle.more_title": ("もっと見る", "More"),
    "circle.more_text": ("全部で{count}件あります。", "{count} in all."),
    "circle.more_button": ("次を見る", "Next"),
    "circle.category.kosodate": ("子育てサークル", "Parents' circle"),
    "circle.category.other": ("サークル", "Circle"),
    "circle.line_area": ("活動場所: {area}", "Where: {area}"),
    "circle.join_button": ("参加する", "Join"),
    "circle.contact_button": ("連絡する", "Contact"),
    "circle.no_contact": (
        "このサークルにはいまボットから連絡できません。",
        "This circle cannot be contacted through the bot now.",
    ),
    # ---- the dialogue ----
    "circle.new_intro": (
        "載せたいサークルについて順に質問します。職員が確認してから載ります。",
        "I will ask about the circle in turn; staff check it first.",
    ),
    "circle.step": ("({number}/{total}) {question}", "({number}/{total}) {question}"),
    "circle.q.name": ("サークルの名前は？", "The circle's name?"),
    "circle.q.category": ("どんなサークルですか？", "What kind of circle?"),
    "circle.q.activity": ("活動の内容を教えてください（いつ・何をしているか）。", "What does it do, and when?"),
    "circle.q.area": ("活動している場所・地区は？", "Where does it meet (地区 or place)?"),
    "circle.q.join": (
        "参加の方法は？ LINEのオープンチャットかグループの招待リンク（https://line.me/…）を送るか、"
        "「ボットで連絡」を選ぶと、参加したい人のメッセージをボットがあなたに伝えます（お互いのアカウントは伝わりません）。",
        "How do people join? Send the LINE open chat or group link (https://line.me/...), or choose "
        '"Through the bot": the bot passes their messages to you (neither sees the other\'s account).',
    ),
    "circle.q.confirm": ("この内容で申し込みますか？\n{summary}", "Send this?\n{summary}"),
    "circle.contact_choice": ("ボットで連絡", "Through the bot"),
    "circle.send_button": ("申し込む", "Send"),
    "circle.cancel_button": ("やめる", "cancel"),
    "circle.pick_a_button": ("ボタンから選ぶか、ボタンの言葉を送ってください。", "Press a button, or type its words."),
    "circle.summary_name": ("名前: {name}", "Name: {name}"),
    "circle.summary_join": ("参加方法: {join}", "How to join: {join}"),
    "circle.required": ("ここは空欄にできません。もう一度どうぞ。", "This one cannot be blank. Try again."),
    "circle.too_long": (
        "{limit}字までにしてください（いま{length}字）。もう一度どうぞ。",
        "At most {limit} characters (this was {length}). Try again.",
    ),
    "circle.bad_link": (
        "LINEのオープンチャットかグループのリンク（https://line.me/… か https://lin.ee/…）を送ってください。",
        "Send a LINE open chat or group link (https://line.me/... or https://lin.ee/...).",
    ),
    "circle.bad_category": ("種類がわかりません。", "Unknown kind."),
    "circle.submitted": (
        "受け付けました（#{id}）。職員が確認してから載ります。",
        "Received (#{id}). Staff check it before it is listed.",
    ),
    "circle.staff_new": (
        "サークルの掲載申請があります:「{name}」\n確認: /circle pending ・ 承認: /circle approve {id}",
        'A circle waits for approval: "{name}"\nSee /circle pending, approve with /circle approve {id}',
    ),
    # ---- staff ----
    "circle.none_pending": ("承認待ちのサークルはありません。", "No circles are waiting."),
    "circle.pending_header": ("承認待ち {count}件:", "{count} waiting:"),
    "circle.pending_footer": (
        "承認: /circle approve 番号 ・ 見送り: /circle reject 番号 理由",
        "Approve: /circle approve ID; reject: /circle reject ID reason",
    ),
    "circle.approved": ("載せました:「{name}」", 'Listed: "{name}"'),
    "circle.owner_approved": ("サークル「{name}」が載りました。\n{url}", 'Your circle "{name}" is listed.\n{url}'),
    "circle.rejected": ("見送りました:「{name}」", 'Rejected: "{name}"'),
    "circle.owner_rejected": (
        "サークル「{name}」は見送りになりました。理由: {reason}",
        'Your circle "{name}" was not listed. Why: {reason}',
    ),
    "circle.closed": ("掲載を終えました:「{name}」", 'Removed: "{name}"'),
    "circle.not_yours": ("#{id} は、あなたが載せたサークルではありません。", "Circle #{id} is not yours."),
    "circle.no_such": ("#{id} のサークルはありません。", "There is no circle #{id}."),
    "circle.id_missing": ("サークルの番号を書いてください。", "Give the circle's number."),
    "circle.not_pending": ("#{id} は承認待ちではありません。", "Circle #{id} is not waiting for approval."),
    "circle.already_closed": ("#{id} はもう終わっています。", "Circle #{id} is already removed."),
    # ---- KPIs, digest, audit ----
    "kpi.circles_listed": ("載せたサークル", "circles listed"),
    "digest.circles": ("■ サークル", "■ Circles"),
    "digest.circles_line": ("承認待ち {pending}件・掲載中 {open}件", "{pending} waiting, {open} listed"),
    "audit.action.circle.approve": ("サークルを承認", "approved a circle"),
    "audit.action.circle.reject": ("サークルを見送り", "rejected a circle"),
    "audit.action.circle.close": ("サークルの掲載を終了", "removed a circle"),
}

WORDS = {
    "alias.circles": ("サークル",),
    "circle.category_words.kosodate": ("子育てサークル", "子育て", "parents' circle", "parents", "kosodate"),
    "circle.category_words.other": ("サークル", "その他", "circle", "other"),
    "circle.contact_words": ("ボットで連絡", "ボット", "through the bot", "bot", "連絡"),
    "circle.send_words": ("申し込む", "送信", "send", "はい", "yes"),
}
