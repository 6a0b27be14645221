"""What the 行政区 tables hold about a person, column by column (tests/test_privacy.py checks every column has a
rule). A 区's representative and an area community's facilitators are roles (member_role), erased by the core."""

NOTHING = ""  # holds nothing about a person
DATA = {
    "area": {
        "id": NOTHING,
        "name": NOTHING,
        "district": NOTHING,
        "school": NOTHING,
        "entry_fee": "the 区's rules as its representative wrote them (about the association, not a person)",
        "dues": "the 区's rules as its representative wrote them",
        "garbage": "the 区's rules as its representative wrote them",
        "cleanup": "the 区's rules as its representative wrote them",
        "social": "the 区's customs as its representative wrote them",
        "notes": "free notes by the 区's representative: public only once the 区 chose to publish",
        "newcomers": NOTHING,
        "published": NOTHING,
        "published_at": NOTHING,
        "updated_at": NOTHING,
        "created_at": NOTHING,
    },
    "area_space": {
        "id": NOTHING,
        "space_id": NOTHING,
        "area_id": NOTHING,
        "school": NOTHING,
        "bound_at": NOTHING,
        "last_message_at": "when the group was last spoken in (never who or what)",
        "nudged_at": NOTHING,
        "nudges": NOTHING,
    },
    "area_resident": {
        "id": NOTHING,
        "member_id": "the member who said they live in the 区: deleted by /area mine clear and by /forget-me",
        "area_id": "which 区 they live in: deleted with the row",
        "recorded_at": "deleted with the row",
    },
}
