"""What the childcare tables hold about a person, column by column (README "SECURITY"; tests/test_privacy.py)."""

NOTHING = ""
DATA = {
    "childcare_child": {
        "id": NOTHING,
        "member_id": "the parent: the row is deleted by /forget-me and /child stop",
        "born_on": "the child's birth (or due) date: deleted with the row",
    },
    "childcare_notice": {
        "id": NOTHING,
        "child_id": "deleted with the child",
        "touchpoint": NOTHING,
        "sent_at": NOTHING,
    },
    "childcare_hiroba_survey": {
        "id": NOTHING,
        "plaza": NOTHING,
        "started_at": NOTHING,
        "ease": NOTHING,
        "again": NOTHING,
        "completed_at": NOTHING,
        "member_id": "the parent answering: cleared when the survey ends, after a day, or by /forget-me",
        "comment": "a free comment: kept without any link to who wrote it",
    },
    "app_download": {
        "id": NOTHING,
        "month": NOTHING,
        "ios": NOTHING,
        "android": NOTHING,
        "source": NOTHING,
        "recorded_at": NOTHING,
    },
}
