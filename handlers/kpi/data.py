"""What the referral and KPI tables hold about a person, column by column (README "SECURITY"; tests/test_privacy.py)."""

NOTHING = ""
DATA = {
    "referral_code": {
        "id": NOTHING,
        "code": NOTHING,
        "kind": NOTHING,
        "created_at": NOTHING,
        "owner_ref": "a member's pseudonym for their own /donate link: the row is deleted by /forget-me",
    },
    "donation": {
        "id": NOTHING,
        "row_hash": NOTHING,
        "donated_at": NOTHING,
        "amount": NOTHING,
        "code": NOTHING,
        "attributed_by": NOTHING,
        "imported_at": NOTHING,
    },  # no donor names or messages are imported
    "sent_digest": {"id": NOTHING, "week": NOTHING, "space_id": NOTHING, "sent_at": NOTHING},
    "dashboard_login": {
        "id": NOTHING,
        "token_hash": NOTHING,
        "purpose": NOTHING,
        "created_at": NOTHING,
        "expires_at": NOTHING,
        "used_at": NOTHING,
        "member_id": "the staff member's login: deleted by /forget-me",
    },
    "line_quota_reading": {"id": NOTHING, "month": NOTHING, "quota": NOTHING, "used": NOTHING, "read_at": NOTHING},
    "signing_key": {"id": NOTHING, "purpose": NOTHING, "secret": NOTHING, "created_at": NOTHING},
}
