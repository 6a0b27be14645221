"""What the board's tables hold about a person, column by column (README "SECURITY"; tests/test_privacy.py)."""

NOTHING = ""
LINK = "which member: kept so counts and threads stay whole (pseudonymous once the member is forgotten)"
DATA = {
    "community_member": {
        "id": NOTHING,
        "member_id": LINK,
        "relation": NOTHING,
        "platform": NOTHING,
        "joined_at": NOTHING,
        "left_at": NOTHING,
        "nickname": "the name they chose for the board: erased by /forget-me and on leaving",
    },
    "board_thread": {
        "id": NOTHING,
        "category": NOTHING,
        "official": NOTHING,
        "created_at": NOTHING,
        "last_post_at": NOTHING,
        "hidden_at": NOTHING,
        "hidden_by": "which staff member hid it",
        "title": "what they wrote: replaced by a notice on every platform by /forget-me",
        "author_member_id": "who opened it: cleared by /forget-me",
    },
    "board_post": {
        "id": NOTHING,
        "thread_id": NOTHING,
        "member_id": LINK,
        "reply_to": NOTHING,
        "platform": NOTHING,
        "created_at": NOTHING,
        "hidden_at": NOTHING,
        "hidden_by": "which staff member hid it",
        "text": "what they wrote: replaced by a notice on every platform (copies deleted) by /forget-me",
    },
    "board_reaction": {"id": NOTHING, "post_id": NOTHING, "member_id": LINK, "created_at": NOTHING},
    "board_report": {
        "id": NOTHING,
        "post_id": NOTHING,
        "member_id": LINK,
        "created_at": NOTHING,
        "resolved_at": NOTHING,
        "reason": "the reason they gave: blanked by /forget-me",
    },
    "board_link": {
        "id": NOTHING,
        "platform": NOTHING,
        "kind": NOTHING,
        "board_id": NOTHING,
        "platform_id": NOTHING,
        "place_id": NOTHING,
        "origin": NOTHING,
    },
}
