"""Texts of the childcare feature: touchpoints, checkup notices, /child, the 子育て広場 survey, the qr and
touchpoints CLI and the contact sheet."""

TEXTS: dict[str, tuple[str, str]] = {
    "touchpoint.unknown": (
        "「{id}」という接点IDはありません。使えるID: {ids}",
        'There is no touchpoint "{id}". Valid ids: {ids}',
    ),
    "touchpoint.which": (
        "どの接点のQRコードを配るか、「/touchpoint 接点ID」と送ってください（「/touchpoint 接点ID @名前」でその人に1:1で送ります）。"
        "使えるID: {ids}",
        'Say which touchpoint\'s QR code to hand out: "/touchpoint ID" ("/touchpoint ID @name" sends it to that '
        "person 1:1). Valid ids: {ids}",
    ),
    "touchpoint.sent_group": (
        "「{name}」のQRコードをこのグループに送りました。",
        'Sent the QR code for "{name}" to this group.',
    ),
    "touchpoint.sent_people": (
        "「{name}」のQRコードを{count}人に1:1で送りました。",
        'Sent the QR code for "{name}" to {count} people 1:1.',
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
        "お子さんの生年月日（または出産予定日）を「/child 2026-05-01」や「/child 令和8年5月1日」のように送ると、"
        "健診の{days}日前にお知らせします。",
        'Send your child\'s birth date (or due date) like "/child 2026-05-01" to get checkup notices {days} days ahead.',
    ),
    "child.bad_date": (
        "「{text}」は日付として読めません。「2026年5月1日」「令和8年5月1日」「2026-05-01」のように年・月・日で送ってください。",
        '"{text}" is not a date. Send it as YEAR-MONTH-DAY, e.g. 2026-05-01.',
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
        'Send "/child stop" to stop (all registered dates are deleted).',
    ),
    "child.next": ("{name}（{date}ごろ）", "{name} (around {date})"),
    "child.no_next": ("予定されている健診はもうありません", "no more checkups"),
    "child.list": (
        "登録しているお子さん:\n{lines}\nやめるときは「/child stop」と送ってください。",
        'Registered children:\n{lines}\nSend "/child stop" to stop.',
    ),
    "child.list_line": ("・{date} — 次は{next}", "- {date} — next: {next}"),
    "child.none": (
        "登録はありません。「/child 2026-05-01」のように生年月日か出産予定日を送ると登録できます。",
        'Nothing registered. Send "/child 2026-05-01" with a birth or due date to register.',
    ),
    "child.stopped": (
        "健診のお知らせを止め、登録していた日付（{count}件）をすべて削除しました。",
        "Checkup notices stopped; the {count} registered dates were deleted.",
    ),
    "checkup.notice": (
        "📅 {name}のお知らせ\n{child}は{date}に{age}になります。{name}の時期です。"
        "日程や持ち物は市からの案内とアプリ「{app}」で確認できます。",
        "📅 {name}\n{child} turns {age} on {date}: time for the {name}. "
        'Check the date and what to bring in the city\'s letter and the "{app}" app.',
    ),
    "checkup.child_born": ("{date}生まれのお子さん", "The child born on {date}"),
    "checkup.child_due": ("{date}生まれ（予定）のお子さん", "The child due on {date}"),
    "hiroba.choose": ("どの子育て広場に行きましたか？", "Which parenting plaza did you visit?"),
    "hiroba.unknown_plaza": (
        "「{plaza}」という広場は見つかりません。広場: {plazas}",
        'No plaza called "{plaza}". Plazas: {plazas}',
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
        'This survey has ended. Send "/hiroba" to answer again.',
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
    "childcare.table_header": ("接点ごとのQR (読み取り / 案内送信)", "QR per touchpoint (scans / notices)"),
    "childcare.csv_header.name": ("接点", "touchpoint"),
    "childcare.csv_header.id": ("接点ID", "touchpoint id"),
    "childcare.csv_header.scans": ("QR読み取り", "QR scans"),
    "childcare.csv_header.pushes": ("案内送信", "notices sent"),
    "digest.qr": ("■ QR読み取り (接点別: 読み取り / 案内)", "■ QR scans (per touchpoint: scans / notices)"),
    "digest.qr_line": ("・{name}: {scans} / {pushes}", "- {name}: {scans} / {pushes}"),
    "hiroba.default_plaza": ("子育て広場", "Parenting plaza"),
    "job.checkup-notices.schedule": ("毎日 10:00", "daily 10:00"),
    "job.checkup-notices.description": (
        "登録した保護者に、健診ごとのお知らせをアプリのQRコード付きで送る",
        "parents who opted in get each checkup notice with the app QR card",
    ),
    "job.checkup-notices.result": ("健診のお知らせ {sent}件を送りました", "sent {sent} checkup notices"),
    "job.checkup-notices.unreachable": ("（届かない人 {count}人）", ", {count} parents unreachable"),
    "job.checkup-notices.closed": (
        "。未完了のアンケート {count}件を閉じました",
        "; closed {count} unfinished surveys",
    ),
    "childcare.card_title": ("{app}（{name}）", "{app} ({name})"),
    "childcare.app_fallback": ("アプリ", "App"),
    "touchpoint.id_item": ("{id}（{name}）", "{id} ({name})"),
    "childcare.separator": ("、", ", "),
    "childcare.age.years_months": ("{years}歳{months}か月", "{years} years {months} months"),
    "childcare.age.years": ("{years}歳", "{years} years"),
    "childcare.age.months": ("{months}か月", "{months} months"),
    "childcare.date": ("{year}年{month}月{day}日({weekday})", "{weekday} {year}-{month:02d}-{day:02d}"),
    "childcare.weekdays": ("月 火 水 木 金 土 日", "Mon Tue Wed Thu Fri Sat Sun"),
    "hiroba.pick": ("下のボタンから選んでください。\n{question}", "Please choose one of the buttons.\n{question}"),
    # ---- commands: summaries and usage ----
    "cmd.touchpoint": ("子育てアプリのQRコードを配る", "hand out the childcare app QR code"),
    "usage.touchpoint": ("/touchpoint ID [@メンバー]", "/touchpoint ID [@MEMBER]"),
    "cmd.child": (
        "健診のお知らせを受け取る（お子さんの生年月日を登録）",
        "get checkup notices (register a child's birth date)",
    ),
    "usage.child": (
        "/child 生年月日（例: 2026年5月1日・令和8年5月1日・2026-05-01） | /child list | /child stop",
        "/child YYYY-MM-DD | /child list | /child stop",
    ),
    "cmd.hiroba": ("子育て広場のアンケートに答える", "answer the parenting plaza survey"),
    "usage.hiroba": ("/hiroba [広場の名前]", "/hiroba [PLAZA]"),
    "usage.childcare stats": ("/childcare stats", "/childcare stats"),
    "cmd.childcare stats": ("子育てアプリの今年度の数字", "childcare app figures this fiscal year"),
    # ---- python -m bot qr / touchpoints, and the contact sheet ----
    "cli.qr.choose": (
        "touchpoint id か --all のどちらかを指定してください / give a touchpoint id or --all",
        "give a touchpoint id or --all",
    ),
    "cli.qr.unknown": (
        "接点ID {id} はありません。使えるID: {ids} / unknown touchpoint {id}; valid ids: {ids}",
        "unknown touchpoint {id}; valid ids: {ids}",
    ),
    "cli.qr.local_address": (
        "PUBLIC_BASE_URL が未設定かローカルのアドレス（{url}）なので、QRコードは作りません。スマホで開ける公開アドレス"
        "（例: PUBLIC_BASE_URL=https://bot.example.jp）を設定してください。試すだけなら --allow-local / "
        "PUBLIC_BASE_URL is unset or local ({url}): set it to the public address phones can open "
        "(e.g. https://bot.example.jp), or pass --allow-local to try it out",
        "PUBLIC_BASE_URL is unset or local ({url}): set it to the public address phones can open "
        "(e.g. https://bot.example.jp), or pass --allow-local to try it out",
    ),
    "cli.qr.written": ("{id}: {url}", "{id}: {url}"),
    "cli.qr.no_font": (
        "注意: 日本語の字形を持つフォントが見つかりません。contact-sheet.png にはIDだけを載せます"
        "（fonts-noto-cjk を入れるか --font で指定してください。contact-sheet.svg には名前があります） / "
        "warning: no font with Japanese glyphs found: contact-sheet.png shows ids only "
        "(install fonts-noto-cjk or pass --font); contact-sheet.svg has the names",
        "warning: no font with Japanese glyphs found: contact-sheet.png shows ids only "
        "(install fonts-noto-cjk or pass --font); contact-sheet.svg has the names",
    ),
    "cli.qr.font_unusable": (
        "注意: --font {path} は日本語を描けないフォントか、ありません。ほかのフォントを探します / "
        "warning: --font {path} is missing or draws no Japanese; looking for another font",
        "warning: --font {path} is missing or draws no Japanese; looking for another font",
    ),
    "cli.qr.sheet_written": ("{name}.png, {name}.svg", "{name}.png, {name}.svg"),
    "cli.touchpoints.age": ("  月齢{months}か月", "  age {months} months"),
    "childcare.sheet.title": ("{app} QR — {city}", "{app} QR — {city}"),
    "childcare.sheet.title_ids": ("{city} app QR codes", "{city} app QR codes"),
    "childcare.sheet.label_age": ("{name}（{age}）", "{name} ({age})"),
    # ---- the app's store downloads (python -m bot appstats; the KPI app_downloads) ----
    "appstats.bad_month": ("月は 2026-10 のように書いてください（{text}）", "a month like 2026-10, got {text!r}"),
    "appstats.bad_count": (
        "ダウンロード数は0以上の整数で書いてください（{text}）",
        "a download count is a whole number of 0 or more, got {text!r}",
    ),
    "appstats.before_baseline": (
        "{month}は基準値の月 ({baseline_month}) 以前です。[app] downloads_baseline に含まれています",
        "{month} is not after the baseline month {baseline_month}: [app] downloads_baseline already counts it",
    ),
    "appstats.future_month": ("{month}はまだ来ていません", "{month} has not come yet"),
    "appstats.no_header": (
        "1行目に month, ios, android の列名が必要です",
        "the first row must name the columns month, ios and android",
    ),
    "appstats.recorded": ("{month}: iOS {ios} / Android {android}", "{month}: iOS {ios} / Android {android}"),
    "appstats.replaced": (
        "{month}: iOS {ios} / Android {android}（前の値 iOS {old_ios} / Android {old_android} を置き換え）",
        "{month}: iOS {ios} / Android {android} (replaced iOS {old_ios} / Android {old_android})",
    ),
    "appstats.total": (
        "累計ダウンロード数: {total}（基準値 {baseline}、{baseline_month}末時点）",
        "downloads so far: {total} (baseline {baseline} at the end of {baseline_month})",
    ),
    "appstats.none": ("まだ記録された月はありません", "no month recorded yet"),
    "appstats.errors": ("エラー: {count}行", "rows with errors: {count}"),
    "appstats.error_line": ("  {line}行目", "line {line}: {problem}"),
    "appstats.unreadable": ("ファイルを読めません", "cannot read {file}: {reason}"),
    "appstats.digest.title": ("■ {app} のダウンロード数", "■ {app} downloads"),
    "appstats.digest.latest": (
        "・{month}: iOS {ios} / Android {android}（累計 {total}）",
        "- {month}: iOS {ios} / Android {android} (total {total})",
    ),
    "appstats.digest.missing": (
        "・{month}のストアの数値が未記録です: python -m bot appstats record --month {month} --ios 数 --android 数",
        "- {month}'s store figures are not recorded yet: python -m bot appstats record --month {month} --ios N "
        "--android N",
    ),
    "audit.action.appstats.record": ("アプリのダウンロード数を記録", "recorded app downloads"),
    "cli.appstats.help": (
        "子育てアプリのストアのダウンロード数 (月ごと) を記録する",
        "record the childcare app's monthly store downloads",
    ),
    "cli.appstats.month": ("月 (例: 2026-10)", "the month, e.g. 2026-10"),
    "cli.appstats.ios": ("App Store のその月のダウンロード数", "the month's App Store downloads"),
    "cli.appstats.android": ("Google Play のその月のダウンロード数", "the month's Google Play downloads"),
    "cli.appstats.file": (
        "CSVファイル (列: month, ios, android; UTF-8 または Shift_JIS)",
        "a CSV file (columns month, ios, android; UTF-8 or Shift_JIS)",
    ),
    "cli.appstats.record": ("1か月分を記録する", "record one month"),
    "cli.appstats.import": ("CSVから複数月を記録する", "record several months from a CSV"),
    "cli.appstats.list": ("記録した月と累計を表示する", "list the recorded months and the total"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.child": ("子ども",),
    "alias.hiroba": ("広場",),
    "child.stop": ("stop", "停止", "やめる"),
    "child.list": ("list", "一覧"),
    # Dates as people type them (community.childcare.parse_date); compared folded (NFKC, lower case).
    "child.era.reiwa": ("令和", "R"),
    "child.era.heisei": ("平成", "H"),
    "child.era.first_year": ("元",),
    "child.date.year": ("年",),
    "child.date.month": ("月",),
    "child.date.day": ("日",),
    "hiroba.skip": ("スキップ", "skip", "なし"),
}

# Printed as one "ja / en" line (the appstats command): the details appear once, in the English half.
BILINGUAL = frozenset(
    {
        "appstats.error_line",
        "appstats.unreadable",
    }
)
