"""Taking part in an event: /join CODE and the join button register a place (or one on the waiting list), /event
cancel gives it up (the first waiting move up and hear so), /event capacity sets how many places there are, /checkin
records that someone came, and /event news lets people hear of new events. On Discord, registering lets the person
into the event's private channel."""

from __future__ import annotations

from community import event_checkin as checkin
from community import event_news
from community import event_registration as reg
from community import events as ev
from community.event_registration import Registered
from community.messages import Action, Card, OutboundMessage, Text
from community.problems import Problem
from community.texts import is_word
from handlers.context import DIRECT_PLACE, Context, sender
from handlers.events.chat import MANAGERS, chat, event_from_code, event_here_or_code, when
from storage.db import id_of
from storage.models.events import Event


def hours(ctx: Context) -> float:
    return ctx.city.events.duration_hours


@chat.command("join")
def join_command(ctx: Context) -> None:
    if not ctx.args.strip():
        raise Problem("event.join_code")
    join(ctx, event_from_code(ctx, ctx.args))


# The join button on event cards and Discord's 「参加する」 (postback "event-join:<CODE>"; deployed cards keep it).
@chat.postback("event-join:{code}")
def join_button(ctx: Context, code: str) -> None:
    join(ctx, event_from_code(ctx, code))


def join(ctx: Context, event: Event) -> None:
    me = sender(ctx)
    done = reg.register(ctx.session, event, me, ctx.inbound.platform, ctx.now, hours(ctx))
    if done.row.status == ev.REGISTERED:
        reg.grant_access(ctx.session, ctx.postbox, event, id_of(me), allow=True)
    text = ctx.t("event.card_text", when=when(ctx, event), place=event.location)
    link = event.invite_url if ctx.inbound.platform in ("line", "console") else None
    actions = (Action(label=ctx.t("event.join_button"), url=link),) if link else ()
    ctx.reply(Card(title=event.title, text=text, actions=actions), Text("\n".join(join_lines(ctx, event, done))))


def join_lines(ctx: Context, event: Event, done: Registered) -> list[str]:
    """Where the person stands, and where the event's people meet on this platform."""
    if done.row.status == ev.WAITING:
        key = "event.join_still_waiting" if done.already else "event.join_waiting"
        lines = [ctx.t(key, position=done.position)]
    else:
        lines = [ctx.t("event.join_already" if done.already else "event.join_registered", title=event.title)]
    platforms = {space.platform for _, space in ev.spaces_of(ctx.session, event) if space.bot_present}
    if ctx.inbound.platform == "discord":
        if "discord" in platforms and done.row.status == ev.REGISTERED:
            lines.append(ctx.t("event.join_channel"))
    elif event.invite_url:
        lines.append(ctx.t("event.join_link", url=event.invite_url))
    elif platforms & {"line", "console"}:
        lines.append(ctx.t("event.join_pending", code=event.code))
    lines.append(ctx.t("event.join_cancel_hint", code=event.code))
    return lines


@chat.command("event cancel")
def event_cancel(ctx: Context) -> None:
    event = event_here_or_code(ctx, ctx.args, "event.cancel_which")
    me = sender(ctx)
    was, moved = reg.cancel(ctx.session, event, me, ctx.now)
    reg.grant_access(ctx.session, ctx.postbox, event, id_of(me), allow=False)
    reg.tell_moved_up(ctx.session, ctx.postbox, ctx.site, event, moved)
    ctx.say("event.cancel_waiting_done" if was == ev.WAITING else "event.cancel_done", title=event.title)


@chat.command("event capacity", roles=MANAGERS)
def event_capacity(ctx: Context) -> None:
    words = ctx.args.split(maxsplit=1)
    if len(words) != 2:
        raise Problem("event.capacity_usage")
    event = event_from_code(ctx, words[0])
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        ctx.say("event.not_allowed")
        return
    capacity = reg.parse_capacity(words[1])
    moved = reg.set_capacity(ctx.session, event, capacity, ctx.now)
    reg.tell_moved_up(ctx.session, ctx.postbox, ctx.site, event, moved)
    if capacity is None:
        ctx.say("event.capacity_removed", title=event.title, moved=len(moved))
    else:
        ctx.say("event.capacity_set", title=event.title, capacity=capacity, moved=len(moved))


@chat.command("checkin")
def checkin_command(ctx: Context) -> None:
    if not ctx.args.strip():
        raise Problem("event.checkin_code")
    event = event_from_code(ctx, ctx.args.split()[0])
    me = sender(ctx)
    if not checkin.check_in(ctx.session, event, me, ctx.inbound.platform, ctx.now, hours(ctx)):
        ctx.say("event.checkin_again", title=event.title)
        return
    ctx.say("event.checkin_done", title=event.title)


@chat.command("event news", places={DIRECT_PLACE})
def event_news_command(ctx: Context) -> None:
    me = sender(ctx)
    word = ctx.args.strip()
    if is_word("event.news_on", word):
        event_news.subscribe(ctx.session, me, ctx.inbound.platform, ctx.now)
        ctx.say("event.news_subscribed")
    elif is_word("event.news_off", word):
        key = "event.news_unsubscribed" if event_news.unsubscribe(ctx.session, me) else "event.news_was_off"
        ctx.say(key)
    elif word:
        raise Problem("event.news_usage")
    else:
        subscribed = event_news.subscription(ctx.session, id_of(me)) is not None
        ctx.reply(news_question(ctx, subscribed))


def news_question(ctx: Context, subscribed: bool) -> OutboundMessage:
    """Whether the person hears of new events, with the button that changes it."""
    if subscribed:
        change = Action(label=ctx.t("event.news_off_button"), text="/event news off")
        return Text(ctx.t("event.news_state_on"), quick_replies=(change,))
    yes = Action(label=ctx.t("event.news_on_button"), text="/event news on", means="yes")
    no = Action(label=ctx.t("event.news_no_button"), text="/event news off", means="no")
    return Text(ctx.t("event.news_state_off"), quick_replies=(yes, no))
