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
    "audit.action.role.revoke": ("役割を解除", "took a role away"),
    "audit.action.announce.create": ("お知らせを配信・予約", "sent or scheduled an announcement"),
    "audit.action.announce.override": ("上限を超えてお知らせを配信", "sent an announcement over the cap"),
    "audit.action.announce.cancel": ("お知らせを取り消し", "cancelled an announcement"),
    "audit.action.export.data": ("データを書き出し", "exported data"),
    # ---- staff accounts (/staff add, remove, list) ----
    "role.admin": ("職員の管理者（ADMIN_*）", "staff admins (ADMIN_*)"),
    "cmd.staff add": ("職員を追加する（管理者）", "make someone staff (admins)"),
    "usage.staff add": ("/staff add @名前 または /staff add m-で始まるID", "/staff add @someone or /staff add m-ID"),
    "cmd.staff remove": ("職員を外す（管理者）", "take someone off staff (admins)"),
    "usage.staff remove": (
        "/staff remove @名前 または /staff remove m-で始まるID",
        "/staff remove @someone or /staff remove m-ID",
    ),
    "cmd.staff list": ("職員の一覧", "list the staff"),
    "usage.staff list": ("/staff list", "/staff list"),
    "staff.who": (
        "だれのことか、@で名前を付けるか m- で始まるIDを送ってください。",
        "Say who: mention them with @ or give their m- ID.",
    ),
    "staff.no_such_member": ("{id} という人は見つかりません。", "Nobody has the ID {id}."),
    "staff.added": ("職員にしました: {names}", "Now staff: {names}"),
    "staff.already_staff": ("すでに職員です: {names}", "Already staff: {names}"),
    "staff.removed": ("職員から外しました: {names}", "No longer staff: {names}"),
    "staff.not_staff": ("職員ではありません: {names}", "Not staff: {names}"),
    "staff.remove_admin": (
        "管理者（ADMIN_*）は設定で決まるため、ここでは外せません。",
        "A staff admin (ADMIN_*) comes from the settings and cannot be removed here.",
    ),
    "staff.account_forgotten": ("この人はデータの削除を済ませています。", "This person has been forgotten."),
    "staff.list_header": ("職員（{count}人）", "Staff ({count})"),
    "staff.list_line": ("・{name}（{public_id}）{admin}", "- {name} ({public_id}){admin}"),
    "staff.list_line_id": ("・{public_id}{admin}", "- {public_id}{admin}"),
    "staff.admin_mark": (" 管理者", " admin"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.audit": ("監査ログ",),
    "audit.more": ("more", "もっと", "次", "つぎ", "next"),
}
