"""Texts of referrals, KPIs and the digest: /donate, /digest, /dashboard, KPI labels, the weekly digest, the LINE
quota, the donation import and the `kpi` / `donations` commands."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- commands: summaries and usage ----
    "cmd.donate": (
        "ふるさと納税で応援する（あなた専用の紹介リンク）",
        "support the city with furusato nozei (your referral link)",
    ),
    "usage.donate": ("/donate", "/donate"),
    "cmd.digest": ("週間レポートを今すぐ受け取る", "get the weekly digest now"),
    "usage.digest": ("/digest", "/digest"),
    "cmd.dashboard": ("職員ダッシュボードのログインリンクを受け取る", "get a staff dashboard login link"),
    "usage.dashboard": ("/dashboard", "/dashboard"),
    # ---- chat answers ----
    "donate.title": ("ふるさと納税で応援", "Support the city with furusato nozei"),
    "donate.text": (
        "ふるさと納税で{city}を応援できます。下のリンクはあなた専用の紹介リンクです（何度送っても同じリンクです）。\n{url}",
        "You can support {city} with furusato nozei. This is your own referral link (always the same):\n{url}",
    ),
    "donate.button": ("寄附ページを開く", "Open the donation page"),
    "donate.unset": ("ふるさと納税のページがまだ設定されていません。", "The donation page is not configured yet."),
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
    # ---- KPI labels (tables, the digest, the CSV, the dashboard) ----
    "kpi.participants": ("参加者数", "Participants"),
    "kpi.participants_total": ("参加者数(累計)", "Participants (total)"),
    "kpi.posts": ("投稿数", "Posts"),
    "kpi.posts_cumulative": ("投稿数(累計)", "Posts (cumulative)"),
    # Only donations attributed to a referral link or keyword count: the labels say so, and the total of every
    # imported donation is shown beside them (kpi.donations_imported_yen; not a KPI, not in the JSON).
    "kpi.donations_yen": ("紹介経由のふるさと納税額(円)", "Furusato-nozei donations via referrals (yen)"),
    "kpi.donations_count": ("紹介経由のふるさと納税件数", "Furusato-nozei donations via referrals"),
    "kpi.donations_imported_yen": ("取り込んだ寄附の総額(円)", "All imported donations (yen)"),
    "kpi.beside_line": ("  （{label}: {value}）", "  ({label}: {value})"),
    "kpi.referral_clicks": ("紹介リンクのクリック", "Referral link clicks"),
    "kpi.referral_clicks_unattributed": ("うちコード不明", "of which unknown code"),
    "kpi.event_spaces": ("イベントグループ数", "Event groups"),
    "kpi.event_spaces_with_active_facilitator": ("世話人が活動中のグループ", "Groups with an active facilitator"),
    "kpi.event_messages": ("イベントグループの発言", "Messages in event groups"),
    "kpi.childcare_optins": ("子育てアプリ案内の登録", "Childcare notice sign-ups"),
    "kpi.participants_at_fy_end": ("参加者数(期末時点の在籍)", "Participants at the period's end"),
    "kpi.events_held": ("開催したイベント", "Events held"),
    "kpi.events_with_group_and_facilitator": (
        "LINEグループと世話人のあるイベント",
        "Events with a group and a facilitator",
    ),
    "kpi.events_with_group_and_facilitator_percent": (
        "LINEグループと世話人のあるイベントの割合(%)",
        "Share of events with a group and a facilitator (%)",
    ),
    "kpi.app_downloads": ("子育てアプリのダウンロード数(累計)", "Childcare app downloads (cumulative)"),
    # ---- a region's (広域) report ----
    "kpi.region_table_header": (
        "{region} 広域KPI {fy}年度 ({start}〜{end}) — {cities}",
        "{region} wide-area KPIs, fiscal year {fy} ({start} to {end}): {cities}",
    ),
    "kpi.region_cities_separator": ("・", ", "),
    "kpi.csv_region_year": ("{region} {fy}年度", "{region} FY{fy}"),
    "kpi.csv_city": ("{city}", "{city}"),
    "kpi.table_header": ("{city} KPI {fy}年度 ({start}〜{end})", "{city} KPIs, fiscal year {fy} ({start} to {end})"),
    "kpi.csv_year": ("{fy}年度", "FY{fy}"),
    "kpi.csv_period": ("{start}〜{end}", "{start} to {end}"),
    "kpi.csv_header.label": ("指標", "KPI"),
    "kpi.csv_header.name": ("指標名", "name"),
    "kpi.csv_header.value": ("実績", "value"),
    "kpi.csv_header.target": ("目標", "target"),
    "kpi.csv_header.percent": ("達成率(%)", "progress (%)"),
    "kpi.bar_full": ("■", "#"),
    "kpi.bar_empty": ("□", "-"),
    # ---- the KPI API (JSON errors; operator-facing, in English) ----
    "kpi.api.disabled": (
        "the staff API is disabled (STAFF_API_TOKEN is not set)",
        "the staff API is disabled (STAFF_API_TOKEN is not set)",
    ),
    "kpi.api.unauthorized": ("unauthorized", "unauthorized"),
    "kpi.api.no_such_city": ("no such city", "no such city"),
    "kpi.api.no_such_region": ("no such region", "no such region"),
    "kpi.api.city_or_region": ("give city or region, not both", "give city or region, not both"),
    "kpi.api.bad_fy": ("fy must be a fiscal year like 2026 (年度)", "fy must be a fiscal year like 2026 (年度)"),
    "kpi.chart.no_such_week": ("no such week", "no such week"),
    # ---- the weekly digest ----
    "digest.title": ("📊 {bot} 週間レポート", "📊 {bot} weekly report"),
    "digest.week": ("{start}〜{end} ({week})", "{start} to {end} ({week})"),
    "digest.day": ("{month}/{day}({weekday})", "{month}/{day} ({weekday})"),
    "digest.targets": ("■ {fy}年度の目標に対して", "■ Against the FY{fy} targets"),
    "digest.this_week": ("■ 今週の数字 (前週比)", "■ This week (change from last week)"),
    "digest.none": ("なし", "none"),
    "digest.none_this_week": ("今週はありません", "none this week"),
    "digest.more": ("  ほか{count}件", "  and {count} more"),
    "digest.donations": ("■ ふるさと納税", "■ Furusato nozei"),
    "digest.referral_clicks": (
        "紹介リンクのクリック: {clicks} (前週比 {change}, うちコード不明 {unattributed})",
        "Referral link clicks: {clicks} ({change} on last week, {unattributed} with an unknown code)",
    ),
    "digest.donated": (
        "紹介経由の寄附: {count}件 {yen}円 (前週比 {change}円)",
        "Donations through referrals: {count}, {yen} yen ({change} yen on last week)",
    ),
    "digest.donated_imported": (
        "取り込んだ寄附の総額: {yen}円 (紹介経由以外も含む)",
        "All imported donations: {yen} yen (referrals or not)",
    ),
    "digest.line_quota": ("■ LINEのメッセージ送信数 (今月)", "■ LINE messages sent (this month)"),
    "digest.line_quota_figures": (
        "{used}通 / 上限 {limit}通 (月末の見込み 約{projected}通)",
        "{used} / limit {limit} (about {projected} by the month's end)",
    ),
    "digest.line_quota_warning": (
        "⚠️ このペースだと今月の上限を超えます。お知らせの配信を減らすか、プランの変更を検討してください。"
        "上限を超えるとプッシュ通知が届かなくなります (返信は届きます)。",
        "⚠️ At this pace the month's limit will be passed. Send fewer notices or consider another plan. "
        "Past the limit, pushes stop arriving (replies still do).",
    ),
    "digest.chart": ("📈 グラフ: {url}", "📈 Chart: {url}"),
    "digest.chart_alt": ("週間グラフ {week}", "Weekly chart {week}"),
    "weekday.short": ("月火水木金土日", "MTWTFSS"),
    # ---- the weekly chart (drawn in English: the image font has no Japanese glyphs) ----
    "kpi.chart.title": ("週ごとの活動 {first}〜{last}", "Weekly activity, {first} to {last}"),
    "kpi.chart.series": ("{label} (今週 {value})", "{label} (this week {value})"),
    "kpi.chart.participants": ("参加者", "Participants"),
    "kpi.chart.posts": ("投稿", "Posts"),
    "kpi.chart.event_messages": ("イベントの発言", "Event messages"),
    "kpi.chart.referral_clicks": ("紹介リンクのクリック", "Referral clicks"),
    # ---- jobs ----
    "job.weekly-digest.schedule": ("毎週月曜 09:00", "Mondays 09:00"),
    "job.weekly-digest.description": (
        "先週のKPI・静かなグループ・QR読み取り・寄附を職員グループへ",
        "last week's KPIs, quiet groups, QR scans and donations to the staff groups",
    ),
    "job.weekly-digest.done": (
        "週間レポート {week}: 職員グループ {sent}件に送りました（送信済み {skipped}件）",
        "digest {week}: sent to {sent} staff spaces, {skipped} already had it",
    ),
    # ---- the command line (python -m bot kpi / donations import): printed in both languages ----
    "cli.kpi.help": ("年度のKPIを表示する (4月〜3月)", "show the fiscal year's KPIs (年度, April to March)"),
    "cli.kpi.json": (
        "運用契約のJSONを出力する (GET /api/kpi と同じ)",
        "print the operator contract JSON (same as GET /api/kpi)",
    ),
    "cli.kpi.fy": (
        "年度 (例: 2026 = 2026-04-01..2027-03-31、省略時は今年度)",
        "fiscal year, e.g. 2026 = 2026-04-01..2027-03-31 (default: this one)",
    ),
    "cli.kpi.bad_fy": (
        "--fy: 年度は 2026 のように西暦4桁で指定してください（{fy}）",
        "--fy: a fiscal year like 2026, got {fy}",
    ),
    "cli.kpi.no_data": (
        "--fy: {fy}年度のデータはありません。データがあるのは {first}〜{last}年度です",
        "--fy: there is no data for FY{fy}; the data covers FY{first} to FY{last}",
    ),
    "cli.kpi.no_data_yet": (
        "--fy: まだデータがありません（今年度は {current}年度です）",
        "--fy: there is no data yet (this fiscal year is FY{current})",
    ),
    "cli.kpi.region": (
        "広域 (regionファイルのid) のKPI: 構成市町の合計と各市町の内訳",
        "a region's KPIs (its region file's id): the member cities summed, and each city's",
    ),
    "cli.kpi.city_and_region": (
        "--city と --region は同時に使えません",
        "--city and --region cannot be used together",
    ),
    "cli.donations.help": ("ふるさと納税の寄附", "furusato-nozei donations"),
    "cli.donations.action": ("import: 寄附ポータルのCSVを取り込む", "import: read a donation portal CSV export"),
    "cli.donations.file": ("CSVファイル (UTF-8 または Shift_JIS)", "the CSV file (UTF-8 or Shift_JIS)"),
    "cli.donations.unreadable": ("ファイルを読めません", "cannot read {file}: {reason}"),
    "donations.imported": (
        "取り込み: {added}件 (うち紹介経由 {attributed}件・{yen}円)",
        "imported {added} ({attributed} attributed, ¥{yen})",
    ),
    "donations.duplicates": ("取り込み済みのため省略: {count}件", "already imported, skipped: {count}"),
    "donations.errors": ("エラー: {count}行", "rows with errors: {count}"),
    "donations.error_line": ("  {line}行目", "line {line}: {problem}"),
    # ---- problems of a donation portal export, by line ----
    "donations.not_text": ("文字コードが UTF-8 でも Shift_JIS でもありません", "not UTF-8 or Shift_JIS"),
    "donations.empty": ("空のファイルです", "the file is empty"),
    "donations.no_column": ("列「{name}」が見つかりません ([donation.csv] {setting})", "column {name!r} not found"),
    "donations.malformed": ("CSVとして読めません", "malformed CSV: {error}"),
    "donations.bad_date": ("日付が読めません", "unreadable date: {text!r}"),
    "donations.impossible_date": ("ありえない日付です", "impossible date: {text!r}"),
    "donations.bad_amount": ("金額が読めません", "unreadable amount: {text!r}"),
    "donations.zero_amount": ("金額が0円です", "amount is zero: {text!r}"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.donate": ("寄附", "ふるさと納税"),
    "alias.digest": ("レポート",),
    "alias.dashboard": ("ダッシュボード",),
}

# Printed as one "ja / en" line (CLI output, import errors): the details appear once, in the English half.
BILINGUAL = frozenset(
    {
        "cli.donations.unreadable",
        "donations.error_line",
        "donations.no_column",
        "donations.malformed",
        "donations.bad_date",
        "donations.impossible_date",
        "donations.bad_amount",
        "donations.zero_amount",
    }
)
