"""Texts of the staff feature: staff groups."""

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
}
