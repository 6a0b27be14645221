"""Conversations through the bot: 「問い合わせ」 under a listing (or 「連絡する」 under a circle, handlers.circles) asks
for a first message and relays it to the owner; either side answers with 「返信する」 or `/inquiry <id> <text>`.
Neither sees the other's account. The person who writes gets a reply (free); the message itself reaches the other
person as a push of kind "relay", the only way it can.

The conversation's dialogue ("relay") is registered here, on the listings feature's `chat`; circles use it when the
listings feature is on (`available`)."""

from __future__ import annotations

from typing import Any

from community import relay
from community.messages import Action, Text
from community.problems import Problem
from community.texts import t
from handlers.context import DIRECT_PLACE, Context, sender
from handlers.listings.chat import chat
from storage.db import id_of
from storage.models.listings import Inquiry

DIALOGUE = "relay"  # steps: "first" (data: subject kind and id), "reply" (data: the inquiry's id)


def available(ctx: Context) -> bool:
    """Whether this city's router relays conversations (the listings feature is on)."""
    return ctx.router is not None and DIALOGUE in ctx.router.dialogues


def start(ctx: Context, kind: str, subject_id: int) -> None:
    """Ask for the first message about a subject (in the 1:1 chat only: a group is no place for it)."""
    if ctx.place_kind != DIRECT_PLACE:
        ctx.say("relay.direct_only")
        return
    subject = relay.subject_of(ctx.session, kind, subject_id, ctx.now)
    if subject is None:
        raise Problem("relay.gone", with_usage=False)
    if subject.owner_id == id_of(sender(ctx)):
        raise Problem("relay.own", with_usage=False)
    if not subject.open:
        raise Problem("relay.closed", with_usage=False)
    question = Text(
        ctx.t("relay.ask_first", title=subject.title(ctx.lang)),
        quick_replies=(Action(label=ctx.t("relay.cancel_button"), text=ctx.t("relay.cancel_button")),),
    )
    ctx.ask(DIALOGUE, "first", question, {"subject": kind, "id": subject_id})


@chat.postback("listing:ask:{listing_id:int}")
def ask_about_listing(ctx: Context, listing_id: int) -> None:
    start(ctx, relay.LISTING, listing_id)


@chat.step(DIALOGUE, "first")
def first_message(ctx: Context, text: str) -> None:
    data: Any = ctx.dialogue_data
    kind = data.get("subject") if isinstance(data, dict) else None
    subject_id = data.get("id") if isinstance(data, dict) else None
    subject = relay.subject_of(ctx.session, str(kind), subject_id, ctx.now) if isinstance(subject_id, int) else None
    if subject is None:
        ended(ctx, "relay.gone")
        return
    message = relay.check_text(text)  # a Problem keeps the question open: the person writes again
    try:
        inquiry, _ = relay.start(ctx.session, subject, id_of(sender(ctx)), ctx.now)
    except Problem as problem:
        ended(ctx, problem.key, **problem.values)
        return
    ctx.end_dialogue()
    deliver(ctx, inquiry, message, first=True)


def ended(ctx: Context, key: str, **values: object) -> None:
    """The conversation cannot go on (its subject is gone or closed): end the question and say why."""
    ctx.end_dialogue()
    ctx.say(key, **values)


@chat.postback("relay:reply:{inquiry_id:int}")
def reply_button(ctx: Context, inquiry_id: int) -> None:
    if ctx.place_kind != DIRECT_PLACE:
        ctx.say("relay.direct_only")
        return
    inquiry = relay.inquiry_for(ctx.session, inquiry_id, id_of(sender(ctx)))
    ask_reply(ctx, inquiry)


def ask_reply(ctx: Context, inquiry: Inquiry) -> None:
    subject = relay.subject_of(ctx.session, inquiry.subject, inquiry.subject_id, ctx.now)
    if subject is None:
        raise Problem("relay.gone", with_usage=False)
    question = Text(
        ctx.t("relay.ask_reply", title=subject.title(ctx.lang), id=id_of(inquiry)),
        quick_replies=(Action(label=ctx.t("relay.cancel_button"), text=ctx.t("relay.cancel_button")),),
    )
    ctx.ask(DIALOGUE, "reply", question, {"inquiry": id_of(inquiry)})


@chat.step(DIALOGUE, "reply")
def reply_message(ctx: Context, text: str) -> None:
    data: Any = ctx.dialogue_data
    inquiry_id = data.get("inquiry") if isinstance(data, dict) else None
    inquiry = ctx.session.get(Inquiry, inquiry_id) if isinstance(inquiry_id, int) else None
    if inquiry is None or id_of(sender(ctx)) not in (inquiry.asker_member_id, inquiry.owner_member_id):
        ended(ctx, "relay.gone")
        return
    message = relay.check_text(text)
    ctx.end_dialogue()
    deliver(ctx, inquiry, message, first=False)


@chat.command("inquiry", places={DIRECT_PLACE})
def inquiry_command(ctx: Context) -> None:
    """`/inquiry 12 text` writes in conversation #12; `/inquiry 12` asks for the text."""
    first, _, text = ctx.args.strip().partition(" ")
    cleaned = first.lstrip("#\uff03")
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 9:
        raise Problem("relay.id_missing")
    inquiry = relay.inquiry_for(ctx.session, int(cleaned), id_of(sender(ctx)))
    if not text.strip():
        ask_reply(ctx, inquiry)
        return
    deliver(ctx, inquiry, relay.check_text(text), first=False)


def deliver(ctx: Context, inquiry: Inquiry, message: str, *, first: bool) -> None:
    """Relay the message to the other person (a push: they did not just write) and confirm to the sender (a reply)."""
    me = id_of(sender(ctx))
    other = relay.other_party(inquiry, me)
    subject = relay.subject_of(ctx.session, inquiry.subject, inquiry.subject_id, ctx.now)
    if subject is None:
        raise Problem("relay.gone", with_usage=False)
    lang = relay.language_of(ctx.session, other)
    asker_wrote = me == inquiry.asker_member_id
    key = "relay.first_to_owner" if first else ("relay.to_owner" if asker_wrote else "relay.to_asker")
    text = t(lang, key, title=subject.title(lang), id=id_of(inquiry), text=message)
    button = Action(label=t(lang, "relay.reply_button"), data=f"relay:reply:{id_of(inquiry)}")
    if not relay.push(ctx.session, ctx.postbox, other, Text(text, quick_replies=(button,))):
        raise Problem("relay.unreachable", with_usage=False)
    relay.count(ctx.session, inquiry, me, ctx.now)
    ctx.say("relay.sent", id=id_of(inquiry))
