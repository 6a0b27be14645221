"""Event commands (the events issue).

Staff name organizers (/organizer), organizers create events (/event new) in a 1:1 chat, a facilitator's group
binds to the event with its code (/event bind), facilitators are named (/event facilitator), the group's invite link
is stored (/event invite), attendees get it with /join CODE (or Discord's join button). What happens in an event
space (messages counted, members joining) is in handlers.events.spaces.
"""

from __future__ import annotations

import re

from sqlmodel import select

from community import events as ev
from community import members
from community.messages import Action, Card, Text
from community.problems import Problem
from community.spaces import find_space, get_or_create_space
from community.texts import has, is_word, t
from handlers.context import DIRECT_PLACE, GROUP_PLACE, Context
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models import Member
from storage.models.events import Event, EventSpace

chat = ChatRoutes("events")

# Who may manage some event: staff, organizers, and facilitators (a facilitator of any event holds the unscoped role
# name "facilitator"); whether they may manage this one is checked per event (community.events.may_manage).
MANAGERS = {members.STAFF, members.ORGANIZER, members.FACILITATOR}
FIELD_BAR = re.compile(r"[|\uff5c]")  # "|", or the full-width bar a Japanese keyboard types


# ---- helpers ---------------------------------------------------------------------------------------------------


def sender(ctx: Context) -> Member:
    """The member who sent the command: the dispatcher makes one for every command that has a sender."""
    if ctx.member is None:
        raise ValueError("a command without a sender")
    return ctx.member


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


def send_event_card(ctx: Context, event: Event) -> None:
    if event.closed_at is not None:
        raise Problem("event.closed", title=event.title)
    text = ctx.t("event.card_text", when=when(ctx, event), place=event.location)
    if event.invite_url:
        join = Action(label=ctx.t("event.join_button"), url=event.invite_url)
        card = Card(title=event.title, text=text, actions=(join,))
        ctx.reply(card, Text(ctx.t("event.join_link", url=event.invite_url)))
    else:
        ctx.reply(Card(title=event.title, text=text), Text(ctx.t("event.join_pending", code=event.code)))


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
            ctx.push_member(id_of(member), Text(in_their_language(member, "event.organizer_guide")), kind="nudge")
    ctx.say("event.organizer_added", names=ev.names_of(chosen, ctx.lang))


@chat.command("event new", roles={members.STAFF, members.ORGANIZER}, places={DIRECT_PLACE})
def event_new(ctx: Context) -> None:
    parts = [p.strip() for p in FIELD_BAR.split(ctx.args)]
    if len(parts) != 3 or not all(parts):
        raise Problem("event.new_fields")
    title, when_text, location = parts
    starts_at = ev.parse_when(when_text, ctx.site.tz, ctx.now)
    event = ev.create_event(
        ctx.session,
        ctx.city,
        title=title,
        starts_at=starts_at,
        location=location,
        organizer_id=id_of(sender(ctx)),
        now=ctx.now,
    )
    if "discord" in ctx.site.platforms:
        ev.request_discord_space(ctx.session, ctx.postbox, event)
    ctx.say("event.created", title=event.title, code=event.code, when=when(ctx, event), place=event.location)


@chat.command("event bind", places={GROUP_PLACE})
def event_bind(ctx: Context) -> None:
    event = event_from_code(ctx, ctx.args)
    space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
    bound = ev.bind_space(ctx.session, event, space, ctx.now)
    if ctx.member is not None:
        ev.mark_present(ctx.session, bound, id_of(ctx.member), ctx.now)
    ctx.say("event.bound", title=event.title, when=when(ctx, event), place=event.location)


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


@chat.command("join")
def join_command(ctx: Context) -> None:
    if not ctx.args.strip():
        raise Problem("event.join_code")
    send_event_card(ctx, event_from_code(ctx, ctx.args))


# Discord's join button under an event card (bot/discord sends "event-join:<CODE>"; deployed cards keep it).
@chat.postback("event-join:{code}")
def join_button(ctx: Context, code: str) -> None:
    send_event_card(ctx, event_from_code(ctx, code))


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
    added = [m for m in chosen if ev.assign_facilitator(ctx.session, event, m, ctx.now, by=ctx.member)]
    for member in added:
        guide = in_their_language(member, "event.facilitator_guide", title=event.title, code=event.code)
        ctx.push_member(id_of(member), Text(guide), kind="nudge")
    already = [m for m in chosen if m not in added]
    lines = []
    if added:
        lines.append(ctx.t("event.facilitators_added", names=ev.names_of(added, ctx.lang), title=event.title))
    if already:
        lines.append(ctx.t("event.facilitators_already", names=ev.names_of(already, ctx.lang)))
    ctx.reply("\n".join(lines))


def facilitators_named_here(ctx: Context) -> tuple[Event | None, list[Member]]:
    """In the group: the group's event and the people mentioned. (None, []) when the sender may not name them."""
    event = group_event(ctx)
    if not ctx.inbound.mentions:
        raise Problem("event.facilitator_who")
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


# ---- status ----------------------------------------------------------------------------------------------------


@chat.command("event status", roles=MANAGERS)
def event_status(ctx: Context) -> None:
    event = event_here_or_code(ctx, ctx.args, "event.status_which")
    if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
        ctx.say("event.not_allowed")
        return
    lines = [
        ctx.t(
            "event.status_header",
            title=event.title,
            code=event.code,
            when=when(ctx, event),
            place=event.location,
            state=ctx.t("event.state." + ev.event_state(event, ctx.now, ctx.city.events.duration_hours)),
            invite=ctx.t("event.invite_set" if event.invite_url else "event.invite_unset"),
        )
    ]
    lines.append(facilitator_line(ctx, event))
    lines += space_lines(ctx, event)
    ctx.reply("\n".join(lines))


def facilitator_line(ctx: Context, event: Event) -> str:
    skip = ev.opted_out_ids(ctx.session, event)
    people = [
        ctx.t("event.status_person_off", name=ev.member_label(m)) if m.id in skip else ev.member_label(m)
        for m in ev.facilitators(ctx.session, event)
    ]
    if not people:
        return ctx.t("event.status_no_facilitator")
    return ctx.t("event.status_facilitators", names=ctx.t("event.name_separator").join(people))


def space_lines(ctx: Context, event: Event) -> list[str]:
    figures = ev.space_figures(ctx.session, event, ctx.now)
    if not figures:
        return [ctx.t("event.status_no_space", code=event.code)]
    lines = []
    for f in figures:
        last = ev.format_when(f.last_activity, ctx.site.tz, ctx.lang) if f.last_activity else None
        name = ctx.t("event.status_space_name", name=f.name or event.title, platform=platform_name(ctx, f.platform))
        lines.append(
            ctx.t(
                "event.status_space",
                name=name,
                members=f.members,
                messages=f.messages_this_week,
                last=last or ctx.t("event.status_never"),
            )
        )
        if f.detached_at:
            lines.append(ctx.t("event.status_detached", at=ev.format_when(f.detached_at, ctx.site.tz, ctx.lang)))
    return lines


def platform_name(ctx: Context, platform: str) -> str:
    """LINE, Discord, the console, as the reader's language names them (an unknown platform by its id)."""
    key = f"event.platform.{platform}"
    return ctx.t(key) if has(key) else platform
