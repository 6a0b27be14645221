"""Texts of referrals, KPIs and the digest: /donate, /digest, /dashboard, KPI labels."""

TEXTS: dict[str, tuple[str, str]] = {
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
    "kpi.donations_yen": ("ふるさと納税額(円)", "Furusato-nozei donations (yen)"),
    "kpi.donations_count": ("ふるさと納税件数", "Furusato-nozei donations"),
    "kpi.referral_clicks": ("紹介リンクのクリック", "Referral link clicks"),
    "kpi.referral_clicks_unattributed": ("うちコード不明", "of which unknown code"),
    "kpi.event_spaces": ("イベントグループ数", "Event groups"),
    "kpi.event_spaces_with_active_facilitator": ("世話人が活動中のグループ", "Groups with an active facilitator"),
    "kpi.event_messages": ("イベントグループの発言", "Messages in event groups"),
    "kpi.childcare_optins": ("子育てアプリ案内の登録", "Childcare notice sign-ups"),
    "kpi.table_header": ("{city} KPI {fy}年度 ({start}〜{end})", "{city} KPIs, fiscal year {fy} ({start} to {end})"),
    "kpi.csv_year": ("{fy}年度", "FY{fy}"),
    "kpi.csv_header.label": ("指標", "KPI"),
    "kpi.csv_header.name": ("指標名", "name"),
    "kpi.csv_header.value": ("実績", "value"),
    "kpi.csv_header.target": ("目標", "target"),
    "kpi.csv_header.percent": ("達成率(%)", "progress (%)"),
    "kpi.bar_full": ("■", "#"),
    "kpi.bar_empty": ("□", "-"),
    # ---- the weekly digest ----
    "digest.title": ("📊 {bot} 週間レポート", "📊 {bot} weekly report"),
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
    "digest.chart": ("📈 グラフ: {url}", "📈 Chart: {url}"),
    "digest.chart_alt": ("週間グラフ {week}", "Weekly chart {week}"),
    "weekday.short": ("月火水木金土日", "MTWTFSS"),
    "job.weekly-digest.schedule": ("毎週月曜 09:00", "Mondays 09:00"),
    "job.weekly-digest.description": (
        "last week's KPIs, quiet groups, QR scans and donations to the staff groups",
        "last week's KPIs, quiet groups, QR scans and donations to the staff groups",
    ),
}
