"""Texts of the staff feature: staff groups and the audit log of staff actions."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.staff here": (
        "このグループを職員グループにする（週間レポートの送り先）",
        "make this group a staff group (gets the weekly digest)",
    ),
    "usage.staff here": ("/staff here", "/staff here"),
    "cmd.staff off": ("このグループを職員グループから外す", "stop using this group as a staff group"),
    "usage.staff off": ("/staff off", "/staff off"),
    "staff.here": (
        "このグループを職員グループにしました。毎週月曜 9:00 に週間レポートが届きます。",
        "This group is now a staff group. The weekly digest arrives here on Mondays at 9:00.",
    ),
    "staff.already": ("このグループはすでに職員グループです。", "This group is already a staff group."),
    "staff.other_purpose": (
        "このグループは別の用途（{purpose}）に使われているため、職員グループにできません。",
        "This group is used for something else ({purpose}) and cannot be a staff group.",
    ),
    "staff.off": ("このグループを職員グループから外しました。", "This group is no longer a staff group."),
    "staff.not_staff_space": ("このグループは職員グループではありません。", "This group is not a staff group."),
    # ---- the audit log (/audit, the dashboard) ----
    "cmd.audit": ("職員の操作の記録（監査ログ）を見る", "read the audit log of staff actions"),
    "usage.audit": ("/audit ・ /audit more ・ /audit ページ番号", "/audit, /audit more or /audit PAGE"),
    "audit.header": (
        "監査ログ（新しい順 {first}〜{last}件目 / 全{total}件）",
        "Audit log (newest first, {first} to {last} of {total})",
    ),
    "audit.line": ("{when} {actor}: {action}{target}{detail}", "{when} {actor}: {action}{target}{detail}"),
    "audit.more_hint": (
        "もっと古い記録: /audit more（または /audit {next}）",
        "Older entries: /audit more (or /audit {next})",
    ),
    "audit.more_button": ("もっと古い記録", "Older entries"),
    "audit.empty": ("監査ログにはまだ記録がありません。", "The audit log has no entries yet."),
    "audit.no_such_page": (
        "{page}ページ目はありません（最後は {last}ページ目です）。",
        "There is no page {page} (the last is page {last}).",
    ),
    "audit.bad_page": (
        "ページは /audit 2 のように数字で、または /audit more と指定してください。",
        "Name a page as a number, like /audit 2, or say /audit more.",
    ),
    "audit.system": ("システム（設定・コマンドライン・APIトークン）", "system (settings, command line, API token)"),
    "audit.action.role.grant": ("役割を付与", "granted a role"),
    "audit.action.export.kpi_csv": ("KPIのCSVをダウンロード", "downloaded the KPI CSV"),
    "audit.action.donations.import": ("寄附データを取り込み", "imported donations"),
    "audit.action.post.hide": ("投稿を非表示", "hid a post"),
    "audit.action.post.restore": ("投稿を再表示", "restored a post"),
    "audit.action.thread.hide": ("スレッドを非表示", "hid a thread"),
    "audit.action.thread.restore": ("スレッドを再表示", "restored a thread"),
    "audit.action.report.dismiss": ("通報を却下", "dismissed reports"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.audit": ("監査ログ",),
    "audit.more": ("more", "もっと", "次", "つぎ", "next"),
}
