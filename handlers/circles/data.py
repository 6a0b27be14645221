"""What the circles table holds about a person, column by column (tests/test_privacy.py checks every column)."""

NOTHING = ""  # holds nothing about a person
DELETED = "about the circle, public once approved: deleted by its submitter's /forget-me"
DATA = {
    "circle": {
        "id": NOTHING,
        "name": DELETED,
        "category": NOTHING,
        "activity": DELETED,
        "area": DELETED,
        "join_url": "the circle's invitation link: " + DELETED,
        "submitter_member_id": "who submitted it (never shown): the row is deleted by their /forget-me",
        "status": NOTHING,
        "created_at": NOTHING,
        "reviewed_at": NOTHING,
        "closed_at": NOTHING,
    },
}
