"""What the listings tables hold about a person, column by column (tests/test_privacy.py checks every column)."""

NOTHING = ""  # holds nothing about a person
DELETED = "deleted with the listing: by its owner's /forget-me"
DATA = {
    "listing": {
        "id": NOTHING,
        "kind": NOTHING,
        "owner_member_id": "who offers it (never shown): the row is deleted by the owner's /forget-me",
        "place": "the district (never an address): " + DELETED,
        "size": DELETED,
        "price": DELETED,
        "conditions": "the owner's conditions, public once approved: " + DELETED,
        "photo_url": "a link the owner gave, public once approved: " + DELETED,
        "status": NOTHING,
        "created_at": NOTHING,
        "reviewed_at": NOTHING,
        "expires_at": NOTHING,
        "closed_at": NOTHING,
    },
    "inquiry": {
        "id": NOTHING,
        "subject": NOTHING,
        "subject_id": NOTHING,
        "asker_member_id": "who asked (never shown to the owner): deleted by either person's /forget-me",
        "owner_member_id": "whom they asked (never shown to the asker): deleted by either person's /forget-me",
        "created_at": NOTHING,
        "last_message_at": NOTHING,
        "from_asker": "how many messages (never their text)",
        "from_owner": "how many messages (never their text)",
    },
}
