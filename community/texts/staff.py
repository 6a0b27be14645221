"""Texts of the staff feature: staff groups."""

TEXTS: dict[str, tuple[str, str]] = {
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
