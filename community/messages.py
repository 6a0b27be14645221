"""Neutral inbound and outbound types. Adapters in bot/ translate platform events into Inbound and render
these outbound messages back; nothing here knows LINE or Discord."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from community.texts import t

# Inbound kinds
MESSAGE = "message"
FOLLOW = "follow"
UNFOLLOW = "unfollow"
JOIN = "join"
LEAVE = "leave"
MEMBER_JOINED = "member_joined"
MEMBER_LEFT = "member_left"
POSTBACK = "postback"
SPACE_CREATED = "space_created"  # a platform made a space the domain asked for (see CreateSpace)
MESSAGE_EDITED = "message_edited"  # text = the new text, message_id = which message
MESSAGE_DELETED = "message_deleted"  # message_id = which message
MIRROR_LINKED = "mirror_linked"  # a platform copied (or took down) a board thread or post: see MirrorLink
# A platform refused what the bot asked for lack of a permission: text = the permission, postback_data = what for
PERMISSION_MISSING = "permission_missing"

# Place kinds
DIRECT = "user"  # a 1:1 chat with the bot; the place id is the user's platform id
GROUP = "group"
ROOM = "room"
CHANNEL = "channel"


def storable(text: str) -> str:
    """text without NUL characters, and with any lone surrogate replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clip(text: str, limit: int) -> str:
    """text cut to at most `limit` characters, an ellipsis showing where."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class Place:
    platform: str
    kind: str
    id: str

    @property
    def is_direct(self) -> bool:
        return self.kind == DIRECT


@dataclass(frozen=True)
class Mention:
    user_id: str
    text: str = ""


@dataclass(frozen=True)
class ForumThread:
    """The community board's forum thread a message was written in (a Discord forum post): its title and tags."""

    title: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class MirrorLink:
    """What a platform reports after delivering a MirrorThread / MirrorPost (or an UnmirrorPost): where the board's
    thread or post now lives there. The adapter never writes domain state itself; this comes back through the inbox.
    platform_id empty: the copy was taken down."""

    kind: str  # "thread" or "post" (community.board_mirror.THREAD / POST)
    board_id: int
    platform_id: str = ""
    place_id: str = ""


@dataclass(frozen=True)
class Inbound:
    platform: str
    kind: str
    place: Place
    occurred_at: datetime
    sender_id: str | None = None
    text: str | None = None
    mentions: tuple[Mention, ...] = ()
    postback_data: str | None = None
    reply_token: str | None = None
    place_name: str | None = None
    member_ids: tuple[str, ...] = ()  # users who joined or left (member_joined / member_left)
    message_kind: str | None = None  # text, image, sticker, ... for kind == message
    message_id: str | None = None  # the platform's id of the message (to follow its edits and deletion)
    forum_thread: ForumThread | None = None  # set when the place is a thread of the community board forum
    mirror: MirrorLink | None = None  # kind == MIRROR_LINKED

    def __post_init__(self) -> None:
        # Where a person's text comes in, keep only what every database can store and every platform can send:
        # no NUL (PostgreSQL refuses it), no lone surrogate (UTF-8 cannot carry it; "\udc80" escapes make one).
        for name in ("text", "postback_data", "place_name"):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, storable(value))
        if any(storable(m.text) != m.text for m in self.mentions):
            cleaned = tuple(Mention(m.user_id, storable(m.text)) for m in self.mentions)
            object.__setattr__(self, "mentions", cleaned)

    def to_json(self) -> str:
        data = dataclasses.asdict(self)
        data["occurred_at"] = self.occurred_at.isoformat()
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Inbound:
        data = json.loads(text)
        data["place"] = Place(**data["place"])
        data["mentions"] = tuple(Mention(**m) for m in data.get("mentions", ()))
        data["member_ids"] = tuple(data.get("member_ids", ()))
        if data.get("forum_thread"):
            thread = data["forum_thread"]
            data["forum_thread"] = ForumThread(thread["title"], tuple(thread.get("tags", ())))
        if data.get("mirror"):
            data["mirror"] = MirrorLink(**data["mirror"])
        data["occurred_at"] = datetime.fromisoformat(data["occurred_at"])
        return cls(**data)


# ---- outbound messages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A button: opens a URL, sends text as the user, or sends postback data to the bot."""

    label: str
    url: str | None = None
    text: str | None = None
    data: str | None = None
    means: str | None = None  # "yes" / "no": typing はい or いいえ presses this button (handlers.dialogues)


@dataclass(frozen=True)
class Text:
    text: str
    quick_replies: tuple[Action, ...] = ()
    type: str = "text"


@dataclass(frozen=True)
class Image:
    url: str
    preview_url: str | None = None
    alt: str = ""
    type: str = "image"


@dataclass(frozen=True)
class Card:
    """A titled card with text, an optional image and buttons (LINE Flex bubble, Discord embed + view)."""

    title: str
    text: str
    actions: tuple[Action, ...] = ()
    image_url: str | None = None
    type: str = "card"


@dataclass(frozen=True)
class QrCard:
    """The childcare app's tracked QR code: image, one line on why, and a button to the tracked link."""

    title: str
    image_url: str
    url: str
    note: str
    button_label: str = field(default_factory=lambda: t("ja", "qr.open_app"))
    type: str = "qr_card"


@dataclass(frozen=True)
class Carousel:
    cards: tuple[Card, ...]
    alt: str = ""
    type: str = "carousel"


@dataclass(frozen=True)
class CreateSpace:
    """Ask a platform that can make spaces itself (Discord) to create one for an event. The adapter reports the
    result back as an Inbound of kind SPACE_CREATED (text = event code, place = the new channel)."""

    event_code: str
    title: str
    starts_at: str  # ISO-8601 with offset
    location: str
    facilitator_ids: tuple[str, ...] = ()  # platform user ids on that platform
    type: str = "create_space"


@dataclass(frozen=True)
class ArchiveSpace:
    event_code: str
    space_id: str
    type: str = "archive_space"


@dataclass(frozen=True)
class SpaceAccess:
    """Let a person into an event's space on a platform where the bot decides who sees it (a private Discord
    channel), or take them out (allow False). manage: a facilitator, who may moderate it."""

    event_code: str
    space_id: str
    user_id: str
    allow: bool = True
    manage: bool = False
    type: str = "space_access"


@dataclass(frozen=True)
class MirrorThread:
    """Give a board thread a copy on a platform that has threads of its own (a Discord forum post).
    A thread already copied there is left as it is."""

    thread_id: int
    category: str
    title: str
    type: str = "mirror_thread"


@dataclass(frozen=True)
class MirrorPost:
    """Copy a board post into its thread's copy, under the author's board nickname. A post already there is left."""

    thread_id: int
    post_id: int
    author: str
    text: str
    type: str = "mirror_post"


@dataclass(frozen=True)
class UnmirrorPost:
    """Take a hidden post's copy away from the platform."""

    post_id: int
    type: str = "unmirror_post"


@dataclass(frozen=True)
class UnmirrorThread:
    """Take a hidden thread's copy (and every post in it) away from the platform."""

    thread_id: int
    type: str = "unmirror_thread"


@dataclass(frozen=True)
class RetitleThread:
    """Give a thread's copy a new title (a forgotten author's title replaced); a thread not copied is left."""

    thread_id: int
    category: str
    title: str
    type: str = "retitle_thread"


OutboundMessage = (
    Text
    | Image
    | Card
    | QrCard
    | Carousel
    | CreateSpace
    | ArchiveSpace
    | SpaceAccess
    | MirrorThread
    | MirrorPost
    | UnmirrorPost
    | UnmirrorThread
    | RetitleThread
)
_TYPES = {
    cls.__dataclass_fields__["type"].default: cls
    for cls in (
        Text,
        Image,
        Card,
        QrCard,
        Carousel,
        CreateSpace,
        ArchiveSpace,
        SpaceAccess,
        MirrorThread,
        MirrorPost,
        UnmirrorPost,
        UnmirrorThread,
        RetitleThread,
    )
}


def link_button(text: str, label: str, url: str) -> Card:
    return Card(title="", text=text, actions=(Action(label=label, url=url),))


def message_to_dict(message: OutboundMessage) -> dict[str, Any]:
    return dataclasses.asdict(message)


def message_from_dict(data: dict[str, Any]) -> OutboundMessage:
    data = dict(data)
    cls = _TYPES[data["type"]]
    if cls is Text:
        data["quick_replies"] = tuple(Action(**a) for a in data.get("quick_replies", ()))
    elif cls is Card:
        data["actions"] = tuple(Action(**a) for a in data.get("actions", ()))
    elif cls is Carousel:
        data["cards"] = tuple(message_from_dict(c) for c in data["cards"])
    elif cls is CreateSpace:
        data["facilitator_ids"] = tuple(data.get("facilitator_ids", ()))
    return cls(**data)


def dump_messages(messages: Iterable[OutboundMessage]) -> str:
    return json.dumps([message_to_dict(m) for m in messages], ensure_ascii=False)


def load_messages(text: str) -> list[OutboundMessage]:
    return [message_from_dict(d) for d in json.loads(text)]


def plain_text(message: OutboundMessage) -> str:
    """A text rendering, for the console and for alt text."""
    if isinstance(message, Text):
        suffix = "".join(f"\n  [{a.label}]" for a in message.quick_replies)
        return message.text + suffix
    if isinstance(message, Image):
        return t("ja", "plain.image", what=message.alt or message.url)
    if isinstance(message, Card):
        lines = [message.title] if message.title else []
        lines.append(message.text)
        lines += [f"  [{a.label}] {a.url or a.text or a.data or ''}".rstrip() for a in message.actions]
        return "\n".join(lines)
    if isinstance(message, QrCard):
        return f"{message.title}\n{message.note}\n  [QR] {message.image_url}\n  [{message.button_label}] {message.url}"
    if isinstance(message, Carousel):
        return "\n---\n".join(plain_text(c) for c in message.cards)
    if isinstance(message, CreateSpace):
        return t("ja", "plain.create_space", title=message.title, code=message.event_code)
    if isinstance(message, ArchiveSpace):
        return t("ja", "plain.archive_space", code=message.event_code)
    if isinstance(message, SpaceAccess):
        key = "plain.space_access" if message.allow else "plain.space_access_removed"
        return t("ja", key, code=message.event_code)
    if isinstance(message, MirrorThread):
        return t("ja", "plain.mirror_thread", id=message.thread_id, category=message.category, title=message.title)
    if isinstance(message, MirrorPost):
        return t("ja", "plain.mirror_post", id=message.thread_id, author=message.author, text=message.text)
    if isinstance(message, UnmirrorPost):
        return t("ja", "plain.unmirror_post", id=message.post_id)
    if isinstance(message, UnmirrorThread):
        return t("ja", "plain.unmirror_thread", id=message.thread_id)
    if isinstance(message, RetitleThread):
        return t("ja", "plain.retitle_thread", id=message.thread_id, title=message.title)
    raise TypeError(message)


# ---- where outbound messages go --------------------------------------------------------------------------------

REPLY = "reply"
PUSH = "push"
MULTICAST = "multicast"


@dataclass(frozen=True)
class Outgoing:
    """One send a handler or job asked for. Written to the outbox in the same transaction as the work that made it."""

    platform: str
    method: str  # reply, push, multicast
    target: str | tuple[str, ...]  # reply token, a place/user id, or user ids
    messages: tuple[OutboundMessage, ...]
    fallback_to: str | None = None  # for replies: push here when the token has expired
    # What the push is for, when it costs money (LINE bills pushes per recipient): the budget holds back the least
    # important first. "" for answers to what a person said. See community/budget.py (issue 15).
    kind: str = ""
    # LINE's aggregation unit (customAggregationUnits) an announcement's multicasts carry, for its statistics.
    unit: str = ""


@dataclass
class Postbox:
    """Collects what a unit of work wants to send."""

    items: list[Outgoing] = field(default_factory=list)

    def push(self, platform: str, to: str, *messages: OutboundMessage, kind: str = "") -> None:
        if messages:
            self.items.append(Outgoing(platform, PUSH, to, tuple(messages), kind=kind))

    def multicast(
        self, platform: str, to: Iterable[str], *messages: OutboundMessage, kind: str = "", unit: str = ""
    ) -> None:
        recipients = tuple(dict.fromkeys(to))
        if messages and recipients:
            self.items.append(Outgoing(platform, MULTICAST, recipients, tuple(messages), kind=kind, unit=unit))

    def reply_to(self, inbound: Inbound, *messages: OutboundMessage) -> None:
        if not messages:
            return
        if inbound.reply_token:
            self.items.append(Outgoing(inbound.platform, REPLY, inbound.reply_token, tuple(messages), inbound.place.id))
        else:
            self.push(inbound.platform, inbound.place.id, *messages)
