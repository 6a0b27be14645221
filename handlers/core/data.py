"""What the core's tables hold about a person, column by column (README "SECURITY"; tests/test_privacy.py checks every
column has a rule and that /forget-me leaves none of the erased data anywhere)."""

NOTHING = ""  # holds nothing about a person
DATA = {
    "inbox_event": {
        "id": NOTHING, "platform": NOTHING, "event_id": NOTHING, "event_type": NOTHING, "is_redelivery": NOTHING,
        "redeliveries": NOTHING, "received_at": NOTHING, "status": NOTHING, "attempts": NOTHING,
        "next_attempt_at": NOTHING, "lease_until": NOTHING, "processed_at": NOTHING,
        "payload": "the raw event (a platform id, what was written): emptied once handled for group chat, after "
                   "[city] raw_retention_days for the rest, and at once by /forget-me",
        "last_error": "why handling failed: emptied with the payload by /forget-me",
    },
    "outbox_message": {
        "id": NOTHING, "platform": NOTHING, "method": NOTHING, "retry_key": NOTHING, "status": NOTHING,
        "attempts": NOTHING, "outcome_unknown": NOTHING, "created_at": NOTHING, "reply_token_at": NOTHING,
        "next_attempt_at": NOTHING, "lease_until": NOTHING, "sent_at": NOTHING, "source_event_id": NOTHING,
        "target": "whom it goes to (a platform id): blanked after [city] raw_retention_days and by /forget-me",
        "fallback_to": "where a reply goes if its token expired: blanked once sent and by /forget-me",
        "messages": "what was sent: blanked after the retention period, and by /forget-me when sent to the person or "
                    "quoting them",
        "last_error": "the platform's refusal: blanked with the messages",
    },
    "member": {
        "id": NOTHING, "public_id": "the pseudonym that exports, digests and the engagement log use; kept",
        "display_name": "a name shown in a group (facilitators): erased by /forget-me", "lang": "reset by /forget-me",
        "created_at": NOTHING, "forgotten_at": NOTHING, "greeted_at": NOTHING,
    },
    "platform_account": {
        "id": NOTHING, "member_id": NOTHING, "platform": NOTHING, "followed": NOTHING,
        "platform_user_id": "the LINE or Discord id: the row is deleted by /forget-me",
    },
    "member_role": {"id": NOTHING, "member_id": "deleted by /forget-me", "role": NOTHING, "scope": NOTHING,
                    "created_at": NOTHING},
    "space": {"id": NOTHING, "platform": NOTHING, "kind": NOTHING, "platform_space_id": NOTHING,
              "name": NOTHING, "purpose": NOTHING, "created_at": NOTHING, "bot_present": NOTHING,
              "detached_at": NOTHING},
    "job_run": {"id": NOTHING, "job_name": NOTHING, "slot": NOTHING, "started_at": NOTHING, "finished_at": NOTHING,
                "status": NOTHING, "detail": NOTHING},
    "engagement": {"id": NOTHING, "at": NOTHING, "kind": NOTHING, "platform": NOTHING, "space": NOTHING,
                   "detail": NOTHING, "amount": NOTHING,
                   "member": "the pseudonym (public id) only, so counts stay after /forget-me; never a platform id"},
    "dialogue_state": {"member_id": "deleted by /forget-me", "dialogue": NOTHING, "step": NOTHING,
                       "data": "an answer in progress (a nickname): deleted by /forget-me and when the dialogue ends",
                       "choices": NOTHING, "updated_at": NOTHING},
    "audit_entry": {"id": NOTHING, "at": NOTHING, "action": NOTHING, "detail": NOTHING,
                    "target": "what was acted on; a role grant names the member by public id (a pseudonym), "
                              "kept until [city] audit_retention_days",
                    "actor_member_id": "the staff member who acted: kept (pseudonymous once they are forgotten); "
                                       "removed after [city] audit_retention_days"},
}
