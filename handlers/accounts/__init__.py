"""The accounts feature: one person, one member across platforms (/link), and the bot's own accounts: when a
platform refuses the bot for lack of a permission, staff are told which one to grant. Every city has it."""

from __future__ import annotations

from handlers.accounts.chat import chat, erase
from handlers.feature import Feature
from storage.models.linking import LinkCode

DATA = {
    "member_link_code": {
        "id": "",
        "platform": "",
        "code_hash": "",
        "created_at": "",
        "expires_at": "",
        "member_id": "who asked for a link code: deleted when used, after 10 minutes (the next code) and by /forget-me",
    },
}

FEATURE = Feature("accounts", chat=chat, tables=(LinkCode,), data=DATA, erase=erase)
