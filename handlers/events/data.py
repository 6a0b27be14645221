"""What the events tables hold about a person, column by column (README "SECURITY"; tests/test_privacy.py)."""

NOTHING = ""
DATA = {
    "event": {
        "id": NOTHING,
        "code": NOTHING,
        "title": NOTHING,
        "starts_at": NOTHING,
        "location": NOTHING,
        "venue": NOTHING,
        "invite_url": NOTHING,
        "created_at": NOTHING,
        "closed_at": NOTHING,
        "after_event_posted_at": NOTHING,
        "organizer_id": "who made it: kept (pseudonymous once the organizer is forgotten)",
    },
    "event_space": {
        "id": NOTHING,
        "event_id": NOTHING,
        "space_id": NOTHING,
        "bound_at": NOTHING,
        "last_message_at": NOTHING,
        "nudged_at": NOTHING,
        "nudges": NOTHING,
    },
    "event_space_member": {
        "id": NOTHING,
        "event_space_id": NOTHING,
        "joined_at": NOTHING,
        "left_at": NOTHING,
        "member_id": "who is in a group: deleted by /forget-me",
    },
    "event_facilitator_optout": {
        "id": NOTHING,
        "event_id": NOTHING,
        "at": NOTHING,
        "member_id": "a facilitator who stopped the nudges: deleted by /forget-me",
    },
}
