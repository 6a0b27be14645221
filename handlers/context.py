"""What a chat handler is given: the transaction, the city it runs for, the inbound event, who sent it, and a postbox
for what it wants to send (written to the outbox in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from community import members
from community.city import CityConfig, Site
from community.messages import DIRECT, Inbound, OutboundMessage, Postbox, Text
from community.texts import t
from handlers import dialogues
from storage.db import id_of

if TYPE_CHECKING:
    from handlers.router import Command, Router
    from storage.models import DialogueState, Member

DIRECT_PLACE = "direct"
GROUP_PLACE = "group"
ANYWHERE = frozenset({DIRECT_PLACE, GROUP_PLACE})
EVERYONE = frozenset({members.RESIDENT})


def sender(ctx: Context) -> Member:
    """The member who sent the command: the dispatcher makes one for every command that has a sender."""
    if ctx.member is None:
        raise ValueError("a command without a sender")
    return ctx.member


@dataclass
class Context:
    session: Session
    site: Site
    inbound: Inbound
    now: datetime  # aware, in the city's time zone
    member: Member | None
    roles: set[str]
    postbox: Postbox = field(default_factory=Postbox)
    command: Command | None = None
    args: str = ""
    router: Router | None = None
    dialogue: DialogueState | None = None  # set while a dialogue's step handler runs
    refused: bool = False  # the router refused the command: nothing, not even the dialogue state, changes

    @property
    def city(self) -> CityConfig:
        return self.site.city

    @property
    def lang(self) -> str:
        return self.member.lang if self.member else "ja"

    @property
    def place_kind(self) -> str:
        return DIRECT_PLACE if self.inbound.place.kind == DIRECT else GROUP_PLACE

    @property
    def is_staff(self) -> bool:
        return members.STAFF in self.roles

    def t(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

    def reply(self, *messages: OutboundMessage | str) -> None:
        self.postbox.reply_to(self.inbound, *(Text(m) if isinstance(m, str) else m for m in messages))

    def say(self, key: str, **values: object) -> None:
        self.reply(self.t(key, **values))

    def refuse(self, key: str, **values: object) -> None:
        self.refused = True
        self.say(key, **values)

    def push_member(self, member_id: int, *messages: OutboundMessage, kind: str = "") -> int:
        """Push to every account of a member that can receive pushes; returns how many. kind: what the push is for
        (community.budget: the month's budget holds back automated pushes by kind; "" for an answer)."""
        return members.push_to_member(self.session, self.postbox, member_id, *messages, kind=kind)

    # ---- dialogues (1:1 only: the next plain message answers the question) ----
    def ask(self, dialogue: str, step: str, message: OutboundMessage | str, data: Any = None) -> None:
        """Reply with a question and wait for the answer in `dialogue`'s `step` handler."""
        if self.member is None:
            return
        dialogues.begin(self.session, id_of(self.member), dialogue, step, self.now, data)
        self.reply(message)

    def end_dialogue(self) -> None:
        if self.member is not None:
            dialogues.end(self.session, id_of(self.member))
        self.dialogue = None

    @property
    def dialogue_data(self) -> Any:
        return dialogues.data_of(self.dialogue)
