"""What the announcement tables hold about a person, column by column (tests/test_privacy.py checks every column has
a rule and that /forget-me leaves nothing of the person)."""

NOTHING = ""
DATA = {
    "announcement": {
        "id": NOTHING,
        "text": NOTHING,  # written by staff for many people
        "image_url": NOTHING,
        "link_label": NOTHING,
        "link_url": NOTHING,
        "topic": NOTHING,
        "segment": NOTHING,
        "status": NOTHING,
        "send_at": NOTHING,
        "created_at": NOTHING,
        "estimated": NOTHING,
        "over_budget": NOTHING,
        "sent_at": NOTHING,
        "recipients": NOTHING,
        "billable": NOTHING,
        "discord_post": NOTHING,
        "unit": NOTHING,
        "opened": NOTHING,
        "clicked": NOTHING,
        "stats_at": NOTHING,
        "created_by": "the staff member who wrote it: set to none by /forget-me (the audit log keeps who acted)",
    },
    "announce_optout": {
        "id": NOTHING,
        "topic": NOTHING,
        "at": NOTHING,
        "member_id": "someone who stopped announcements: deleted by /forget-me",
    },
}
