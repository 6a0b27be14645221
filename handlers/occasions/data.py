"""What the occasions table holds about a person: nothing (sign-ups are pseudonymous engagement rows)."""

NOTHING = ""
DATA = {
    "occasion": {"id": NOTHING, "code": NOTHING, "name": NOTHING, "created_at": NOTHING},
}
