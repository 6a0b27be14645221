"""/event status: an event as its organizer, facilitators and staff see it: its state, facilitators, groups and
channels with their figures, registrations and who waits, check-ins, the secret bind code and the check-in QR code."""

from __future__ import annotations

from community import event_checkin as checkin
from community import event_registration as reg
from community import events as ev
from community.texts import has
from handlers.context import Context
from handlers.events.chat import MANAGERS, chat, event_here_or_code, when
from storage.db import id_of
from storage.models.events import Event


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
    lines += registration_lines(ctx, event)
    bind = ev.bind_code_of(ctx.session, event)
    lines.append(ctx.t("event.status_secret", bind=bind, qr=checkin.qr_url(ctx.site, event.code)))
    ctx.reply("\n".join(lines))


STATUS_NAMES = 30  # names listed per status; the counts say how many more


def registration_lines(ctx: Context, event: Event) -> list[str]:
    """The counts, who registered and who waits (by display name or public id), and how many checked in."""
    found = reg.counts(ctx.session, event)
    limit = ctx.t("event.capacity_of", capacity=event.capacity) if event.capacity else ""
    attended = ev.rsvp_figures(ctx.session, [id_of(event)])[id_of(event)][2]
    lines = [
        ctx.t(
            "event.status_registrations",
            registered=found.registered,
            capacity=limit,
            waiting=found.waiting,
            attended=attended,
        )
    ]
    for status, key in ((ev.REGISTERED, "event.status_registered"), (ev.WAITING, "event.status_waiting")):
        names = [ev.member_label(m) for m in reg.people(ctx.session, event, status)]
        if names:
            shown = ctx.t("event.name_separator").join(names[:STATUS_NAMES])
            more = ctx.t("event.status_more", count=len(names) - STATUS_NAMES) if len(names) > STATUS_NAMES else ""
            lines.append(ctx.t(key, names=shown, more=more))
    return lines


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
        return [ctx.t("event.status_no_space", code=ev.bind_code_of(ctx.session, event))]
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
