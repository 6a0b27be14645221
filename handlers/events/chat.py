"""Event commands (the events issues).

Staff name organizers (/organizer), organizers create events (/event new) in a 1:1 chat and get the event's secret
bind code; a group binds to the event with that code (/event bind; whoever binds becomes its facilitator unless one is
named; /event unbind undoes it), facilitators are named (/event facilitator), the group's invite link is stored
(/event invite). Registrations, check-in and news are in handlers.events.rsvp; what happens in an event space
(messages counted, members joining, a Discord channel made) in handlers.events.spaces.
"""

from __future__ import annotations

import re

from sqlmodel import select

from community import budget, event_news, members
from community import event_registration as reg
from community import events as ev
from community.messages import Text
from community.problems import Problem
from community.spaces import find_space, get_or_create_space
from community.texts import is_word, t
from handlers.context import DIRECT_PLACE, GROUP_PLACE, Context, sender
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models import Member
from storage.models.events import Event, EventSpace

chat = ChatRoutes("events")

# Who may manage some event: staff, organizers, and facilitators (a facilitator of any event holds the unscoped role
# name "facilitator"); whether they may manage this one is checked per event (community.events.may_manage).
MANAGERS = {members.STAFF, members.ORGANIZER, members.FACILITATOR}
# Where people make a group themselves and bind it with the secret code (Discord channels the bot makes).
GROUP_PLATFORMS = frozenset({"line", "console"})
FIELD_BAR = re.compile(r"[|\uff5c]")  # "|", or the full-width bar a Japanese keyboard types


# ---- helpers ---------------------------------------------------------------------------------------------------


def event_from_code(ctx: Context, text: str) -> Event:
    if not text.strip():
        raise Problem("event.code_missing")
    return ev.event_by_code_text(ctx.session, text)


def binding_here(ctx: Context) -> tuple[EventSpace, Event] | None:
    """The event space this message came from, if the place is bound to an event."""
    return ev.binding_of(ctx.session, find_space(ctx.session, ctx.inbound.place))


def group_event(ctx: Context) -> Event:
    binding = binding_here(ctx)
    if binding is None:
        raise Problem("event.not_bound")
    return binding[1]


def event_here_or_code(ctx: Context, code_text: str, missing_key: str) -> Event:
    """The event named by code, or in a group without a code, the group's event."""
    if code_text.strip():
        return event_from_code(ctx, code_text)
    if ctx.place_kind == GROUP_PLACE:
        return group_event(ctx)
    raise Problem(missing_key)


def when(ctx: Context, event: Event) -> str:
    return ev.format_when(event.starts_at, ctx.site.tz, ctx.lang)


def mentioned_members(ctx: Context) -> list[Member]:
    found = []
    for mention in ctx.inbound.mentions:
        member = members.get_or_create_member(ctx.session, ctx.inbound.platform, mention.user_id, ctx.now)
        name = mention.text.lstrip("@").strip()
        if name and not member.display_name:
            member.display_name = name[:40]  # the name the person shows in the group, for /event status
            ctx.session.add(member)
        found.append(member)
    return list({m.id: m for m in found}.values())


def members_by_public_id(ctx: Context, words: list[str]) -> list[Member]:
    found = []
    for word in words:
        member = ctx.session.exec(select(Member).where(Member.public_id == word.strip().lower())).first()
        if member is None:
            raise Problem("event.no_such_member", id=word[:20])
        found.append(member)
    return found


def in_their_language(member: Member, key: str, **values: object) -> str:
    """A text pushed to someone else: in the recipient's language, not the sender's."""
    return t(member.lang, key, **values)


# ---- organizers and events -------------------------------------------------------------------------------------


@chat.command("organizer", roles={members.STAFF})
def organizer_command(ctx: Context) -> None:
    if ctx.inbound.mentions:
        chosen = mentioned_members(ctx)
    else:
        words = ctx.args.split()
        if not words:
            raise Problem("event.organizer_who")
        chosen = members_by_public_id(ctx, words)
    for member in chosen:
        if members.grant(ctx.session, id_of(member), members.ORGANIZER, ctx.now, by=ctx.member):
            ctx.push_member(id_of(member), Text(in_their_language(member, "event.organizer_guide")), kind=budget.NUDGE)
    ctx.say("event.organizer_added", names=ev.names_of(chosen, ctx.lang))


@chat.command("event new", roles={members.STAFF, members.ORGANIZER}, places={DIRECT_PLACE})
def event_new(ctx: Context) -> None:
    parts = [p.strip() for p in FIELD_BAR.split(ctx.args)]
    if len(parts) not in (3, 4) or not all(parts):
        raise Problem("event.new_fields")
    title, when_text, location = parts[:3]
    capacity = reg.parse_capacity(parts[3]) if len(parts) == 4 else None
    starts_at = ev.parse_when(when_text, ctx.site.tz, ctx.now)
    event = ev.create_event(
        ctx.session,
        ctx.city,
        title=title,
        starts_at=starts_at,
        location=location,
        organizer_id=id_of(sender(ctx)),
        now=ctx.now,
        capacity=capacity,
    )
    if "discord" in ctx.site.platforms:
        ev.request_discord_space(ctx.session, ctx.postbox, event)
    event_news.announce(ctx.session, ctx.site, ctx.postbox, event, skip_member_id=id_of(sender(ctx)))
    ctx.reply("\n".join([created_text(ctx, event), *next_steps_after_new(ctx, event)]))


def created_text(ctx: Context, event: Event) -> str:
    limit = ctx.t("event.capacity_line", capacity=event.capacity) if event.capacity else ctx.t("event.capacity_open")
    return ctx.t(
        "event.created",
        title=event.title,
        code=event.code,
        when=when(ctx, event),
        place=event.location,
        capacity=limit,
    )


def next_steps_after_new(ctx: Context, event: Event) -> list[str]:
    """What the organizer can do next, where they are: on Discord the bot makes the channel; elsewhere they (or a
    facilitator they trust with the secret bind code) make a LINE group and bind it."""
    steps = [ctx.t("event.steps_header")]
    if ctx.inbound.platform == "discord":
        steps.append(ctx.t("event.step_discord_channel"))
        steps.append(ctx.t("event.step_discord_facilitator", code=event.code))
    else:
        if "discord" in ctx.site.platforms:
            steps.append(ctx.t("event.step_discord_also"))
        steps.append(ctx.t("event.step_line_group", bind=ev.bind_code_of(ctx.session, event)))
        steps.append(ctx.t("event.step_facilitator_by_id", code=event.code))
    steps.append(ctx.t("event.step_capacity", code=event.code))
    steps.append(ctx.t("event.step_share", code=event.code))
    steps.append(ctx.t("event.step_status", code=event.code))
    return steps


@chat.command("event bind", places={GROUP_PLACE})
def event_bind(ctx: Context) -> None:
    words = ctx.args.split()
    if not words:
        raise Problem("event.bind_code_missing")
    event = ev.event_by_bind_code(ctx.session, words[0])
    space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
    bound = ev.bind_space(ctx.session, event, space, ctx.now)
    me = sender(ctx)
    ev.mark_present(ctx.session, bound, id_of(me), ctx.now)
    # Whoever binds becomes the group's facilitator, unless the binder names others or the event already has one.
    chosen = mentioned_members(ctx) if ctx.inbound.mentions else []
    if not chosen and not ev.facilitators(ctx.session, event):
        chosen = [me]
    added = name_facilitators(ctx, event, chosen)
    lines = [ctx.t("event.bound", title=event.title, when=when(ctx, event), place=event.location)]
    lines += next_steps_after_bind(ctx, event, added)
    ctx.reply("\n".join(lines))


def next_steps_after_bind(ctx: Context, event: Event, added: list[Member]) -> list[str]:
    """Only what the person who bound can do now: a facilitator (or organizer, or staff) names others, stores the
    LINE group's invite link, can undo the binding; anyone else just hears who facilitates."""
    me = sender(ctx)
    lines = []
    if me in added:
        lines.append(ctx.t("event.bound_you_facilitate"))
    elif added:
        lines.append(ctx.t("event.facilitators_added", names=ev.names_of(added, ctx.lang), title=event.title))
    if not ev.may_manage(ctx.session, me, ctx.roles, event):
        names = ev.names_of(ev.facilitators(ctx.session, event), ctx.lang)
        lines.append(ctx.t("event.bound_ask_facilitator", names=names))
        return lines
    lines.append(ctx.t("event.steps_header"))
    lines.append(ctx.t("event.step_more_facilitators"))
    if ctx.inbound.platform in GROUP_PLATFORMS:
        lines.append(ctx.t("event.step_invite"))
    lines.append(ctx.t("event.step_unbind"))
    return lines


@chat.command("event unbind", roles=MANAGERS, places={GROUP_PLACE})
def event_unbind(ctx: Context) -> None:
    space = find_space(ctx.session, ctx.inbound.place)
    binding = ev.binding_of(ctx.session, space)
    if binding is None or space is None:
        raise Problem("event.not_bound")
    bound, event = binding
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        ctx.say("event.not_allowed")
        return
    ev.unbind_space(ctx.session, bound, space)
    ctx.say("event.unbound", title=event.title)


@chat.command("event invite", roles=MANAGERS)
def event_invite(ctx: Context) -> None:
    words = ctx.args.split()
    if ctx.place_kind == GROUP_PLACE and len(words) == 1:
        event, url = group_event(ctx), words[0]
    elif len(words) == 2:
        event, url = event_from_code(ctx, words[0]), words[1]
    else:
        raise Problem("event.invite_usage")
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        ctx.say("event.not_allowed")
        return
    if not ev.valid_invite_url(url):
        raise Problem("event.invite_bad")
    event.invite_url = url.strip()
    ctx.session.add(event)
    ctx.say("event.invite_saved", title=event.title, code=event.code)


@chat.command("event list")
def event_list(ctx: Context) -> None:
    upcoming = ev.upcoming_events(ctx.session, ctx.now)
    if not upcoming:
        ctx.say("event.list_empty")
        return
    lines = [ctx.t("event.list_header")]
    lines += [
        ctx.t("event.list_line", code=e.code, when=when(ctx, e), title=e.title, place=e.location) for e in upcoming
    ]
    lines.append(ctx.t("event.list_footer"))
    ctx.reply("\n".join(lines))


@chat.command("event close", roles={members.STAFF, members.ORGANIZER})
def event_close(ctx: Context) -> None:
    event = event_here_or_code(ctx, ctx.args, "event.code_missing")
    if not ev.may_close(ctx.member, ctx.roles, event):
        ctx.say("event.close_not_allowed")
        return
    ev.close_event(ctx.session, ctx.postbox, event, ctx.now)
    ctx.say("event.closed_done", title=event.title)


@chat.command("event id", places={DIRECT_PLACE})
def event_id(ctx: Context) -> None:
    ctx.say("event.myid", id=sender(ctx).public_id)


# ---- facilitators ----------------------------------------------------------------------------------------------


@chat.command("event facilitator", roles=MANAGERS)
def event_facilitator(ctx: Context) -> None:
    words = ctx.args.split()
    if words and is_word("event.stop_words", words[0]):
        facilitator_stop(ctx, words[1:])
        return
    event, chosen = facilitators_named_here(ctx) if ctx.place_kind == GROUP_PLACE else facilitators_named_by_id(ctx)
    if event is None:
        ctx.say("event.not_allowed")
        return
    if event.closed_at is not None:
        raise Problem("event.closed", title=event.title)
    added = name_facilitators(ctx, event, chosen)
    already = [m for m in chosen if m not in added]
    lines = []
    if added:
        lines.append(ctx.t("event.facilitators_added", names=ev.names_of(added, ctx.lang), title=event.title))
    if already:
        lines.append(ctx.t("event.facilitators_already", names=ev.names_of(already, ctx.lang)))
    ctx.reply("\n".join(lines))


def name_facilitators(ctx: Context, event: Event, chosen: list[Member]) -> list[Member]:
    """Make them facilitators; the new ones get the guide 1:1 (with the secret bind code for those who can make a
    LINE group) and, on Discord, the right to moderate the event's channel. Returns those newly named."""
    added = [m for m in chosen if ev.assign_facilitator(ctx.session, event, m, ctx.now, by=ctx.member)]
    for member in added:
        lines = [in_their_language(member, "event.facilitator_guide", title=event.title, code=event.code)]
        platforms = {account.platform for account in members.accounts_of(ctx.session, id_of(member))}
        if platforms & GROUP_PLATFORMS:
            bind = ev.bind_code_of(ctx.session, event)
            lines.append(in_their_language(member, "event.facilitator_guide_bind", bind=bind))
        ctx.push_member(id_of(member), Text("\n".join(lines)), kind=budget.NUDGE)
        reg.grant_access(ctx.session, ctx.postbox, event, id_of(member), allow=True, manage=True)
    return added


def facilitators_named_here(ctx: Context) -> tuple[Event | None, list[Member]]:
    """In a group or channel: the event named by code, else the place's own, and the people mentioned (a Discord
    user option arrives as a mention). (None, []) when the sender may not name them."""
    if not ctx.inbound.mentions:
        raise Problem("event.facilitator_who")
    code = ctx.args.split()[0] if ctx.args.split() and not ctx.args.split()[0].startswith("@") else ""
    event = event_from_code(ctx, code) if code and ev.normalise_code(code) else group_event(ctx)
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        return None, []
    return event, mentioned_members(ctx)


def facilitators_named_by_id(ctx: Context) -> tuple[Event | None, list[Member]]:
    """In a 1:1 chat: CODE PUBLIC-ID...; (None, []) when the sender may not name them."""
    words = ctx.args.split()
    if len(words) < 2:
        raise Problem("event.facilitator_who")
    event = event_from_code(ctx, words[0])
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        return None, []
    return event, members_by_public_id(ctx, words[1:])


def facilitator_stop(ctx: Context, words: list[str]) -> None:
    me = sender(ctx)
    binding = binding_here(ctx) if ctx.place_kind == GROUP_PLACE else None
    if words:
        event = event_from_code(ctx, words[0])
    elif binding is not None:
        event = binding[1]
    else:
        mine = ev.facilitated_events(ctx.session, id_of(me))
        if len(mine) != 1:
            raise Problem("event.stop_which")
        event = mine[0]
    if not ev.is_facilitator(ctx.session, id_of(me), event):
        ctx.say("event.not_facilitator", title=event.title)
        return
    if ev.opt_out(ctx.session, event, me, ctx.now):
        ctx.say("event.stopped", title=event.title)
    else:
        ctx.say("event.already_stopped", title=event.title)
