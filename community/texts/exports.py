"""Texts of the exports (issue 15): the command line's help and messages, the dashboard's downloads page; and the
column names of the Digital Agency's standard open dataset for events, which are data, not prose."""

TEXTS: dict[str, tuple[str, str]] = {
    "cli.export.help": ("データを CSV か JSON で書き出す（監査ログに記録）", "export data as CSV or JSON (audited)"),
    "cli.export.kind": ("書き出すもの", "what to export"),
    "cli.export.fy": ("年度（4月〜3月）。省略: すべて", "fiscal year (April to March); default: everything"),
    "cli.export.format": ("形式 csv（UTF-8、BOM付き）か json", "csv (UTF-8 with a BOM) or json"),
    "cli.export.out": ("書き出すファイル（省略: 標準出力）", "the file to write (default: standard output)"),
    "cli.export.opendata": (
        "events を自治体標準オープンデータセット「イベント一覧」の形で",
        "events in the Digital Agency's standard open dataset form (イベント一覧)",
    ),
    "cli.export.done": ("{rows}行を {out} に書き出しました", "wrote {rows} rows to {out}"),
    "cli.export.bad_fy": ("年度は4桁の数字で指定してください（{fy}）", "give the fiscal year as four digits ({fy})"),
    "cli.export.opendata_events_only": (
        "--opendata は events だけに使えます",
        "--opendata is for events only",
    ),
    "export.kind.posts": ("掲示板の投稿", "board posts"),
    "export.kind.voices": ("市からの質問への回答", "answers to the city's questions"),
    "export.kind.surveys": ("子育て広場のアンケート", "the 子育て広場 survey"),
    "export.kind.events": ("イベント", "events"),
    "export.kind.touchpoints": ("接点ごとのQR（月別）", "QR per touchpoint (by month)"),
    "export.kind.referrals": ("紹介コードと寄附", "referral codes and donations"),
    "export.kind.events-opendata": (
        "イベント一覧（自治体標準オープンデータセット）",
        "events (the Digital Agency's standard open dataset)",
    ),
}

# 自治体標準オープンデータセット「イベント一覧」: its defined column names, in its order (the format published by the
# Digital Agency and used by cities' open data, e.g. Hamamatsu's; 32 columns).
OPENDATA_EVENT_COLUMNS: tuple[str, ...] = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)
