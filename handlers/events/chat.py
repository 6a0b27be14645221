"""Event commands and the events around event spaces (the events issue).

Staff name organizers (/organizer), organizers create events (/event new) in a 1:1 chat, a facilitator's group
binds to the event with its code (/event bind), facilitators are named (/event facilitator), the group's invite link
is stored (/event invite), attendees get it with /join CODE. Every message in an event space is counted (not kept).
"""
from __future__ import annotations

from community import events as ev
from community import members
from community.messages import (
    DIRECT, MEMBER_JOINED, MEMBER_LEFT, MESSAGE, POSTBACK, SPACE_CREATED, Action, Card, Text,
)
from community.spaces import find_space, get_or_create_space
from community.texts import t
from handlers.router import DIRECT_PLACE, GROUP_PLACE, Context, Router, UsageError, normalise_command_text
from sqlmodel import select
from storage.models import Member
from storage.models.events import Event

MANAGERS = {members.STAFF, members.ORGANIZER, members.FACILITATOR}


def _problem(ctx: Context, exc: ev.EventProblem) -> UsageError:
    return UsageError(ctx.t(exc.key, **exc.values))


def _event_from_code(ctx: Context, text: str) -> Event:
    if not text.strip():
        raise UsageError(ctx.t("event.code_missing"))
    try:
        return ev.event_by_code_text(ctx.session, text)
    except ev.EventProblem as exc:
        raise _problem(ctx, exc) from None


def _bound_event(ctx: Context) -> tuple | None:
    return ev.binding_of(ctx.session, find_space(ctx.session, ctx.inbound.place))


def _event_here_or_code(ctx: Context, code_text: str, missing_key: str) -> Event:
    """The event named by code, or in a group without a code, the group's event."""
    if code_text.strip():
        return _event_from_code(ctx, code_text)
    if ctx.place_kind == GROUP_PLACE:
        binding = _bound_event(ctx)
        if binding is None:
            raise UsageError(ctx.t("event.not_bound"))
        return binding[1]
    raise UsageError(ctx.t(missing_key))


def _when(ctx: Context, event: Event) -> str:
    return ev.format_when(event.starts_at, ctx.site.tz)


def _mentioned_members(ctx: Context) -> list[Member]:
    found = []
    for mention in ctx.inbound.mentions:
        member = members.get_or_create_member(ctx.session, ctx.inbound.platform, mention.user_id, ctx.now)
        name = mention.text.lstrip("@").strip()
        if name and not member.display_name:
            member.display_name = name[:40]  # the name the person shows in the group, for /event status
            ctx.session.add(member)
        found.append(member)
    return list({m.id: m for m in found}.values())


def _members_by_public_id(ctx: Context, words: list[str]) -> list[Member]:
    found = []
    for word in words:
        member = ctx.session.exec(select(Member).where(Member.public_id == word.strip().lower())).first()
        if member is None:
            raise UsageError(ctx.t("event.no_such_member", id=word[:20]))
        found.append(member)
    return found


def _names(members_: list[Member]) -> str:
    return "、".join(ev.member_label(m) for m in members_)


def _send_event_card(ctx: Context, event: Event) -> None:
    if event.closed_at is not None:
        raise UsageError(ctx.t("event.closed", title=event.title))
    text = ctx.t("event.card_text", when=_when(ctx, event), place=event.location)
    if event.invite_url:
        card = Card(title=event.title, text=text, actions=(Action(label=ctx.t("event.join_button"), url=event.invite_url),))
        ctx.reply(card, Text(ctx.t("event.join_link", url=event.invite_url)))
    else:
        ctx.reply(Card(title=event.title, text=text), Text(ctx.t("event.join_pending", code=event.code)))


def register(router: Router) -> None:
    @router.command("organizer", summary=("イベントの主催者を指名する (職員)", "name an event organizer (staff)"),
                    usage="/organizer @名前 (グループ) または /organizer 公開ID (1:1)", roles={members.STAFF})
    def organizer_command(ctx: Context) -> None:
        if ctx.inbound.mentions:
            chosen = _mentioned_members(ctx)
        else:
            words = ctx.args.split()
            if not words:
                raise UsageError(ctx.t("event.organizer_who"))
            chosen = _members_by_public_id(ctx, words)
        for member in chosen:
            if members.grant(ctx.session, member.id, members.ORGANIZER, ctx.now):
                ctx.push_member(member.id, Text(members_text(ctx, member, "event.organizer_guide")))
        ctx.say("event.organizer_added", names=_names(chosen))

    @router.command("event new", summary=("イベントを作る (職員・主催者)", "create an event (staff, organizers)"),
                    usage="/event new タイトル | 2026-12-05 14:00 | 場所",
                    roles={members.STAFF, members.ORGANIZER}, places={DIRECT_PLACE})
    def event_new(ctx: Context) -> None:
        parts = [p.strip() for p in ctx.args.replace("｜", "|").split("|")]
        if len(parts) != 3 or not all(parts):
            raise UsageError(ctx.t("event.new_fields"))
        title, when_text, location = parts
        try:
            starts_at = ev.parse_when(when_text, ctx.site.tz, ctx.now)
            event = ev.create_event(ctx.session, ctx.city, title=title, starts_at=starts_at, location=location,
                                    organizer_id=ctx.member.id, now=ctx.now)
        except ev.EventProblem as exc:
            raise _problem(ctx, exc) from None
        if ("discord" in ctx.site.platforms):
            ev.request_discord_space(ctx.session, ctx.postbox, event)
        ctx.say("event.created", title=event.title, code=event.code, when=_when(ctx, event), place=event.location)

    @router.command("event bind", summary=("このグループをイベントに登録する", "bind this group to an event"),
                    usage="/event bind イベントコード", places={GROUP_PLACE})
    def event_bind(ctx: Context) -> None:
        event = _event_from_code(ctx, ctx.args)
        space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
        try:
            bound = ev.bind_space(ctx.session, event, space, ctx.now)
        except ev.EventProblem as exc:
            raise _problem(ctx, exc) from None
        if ctx.member is not None:
            ev.mark_present(ctx.session, bound, ctx.member.id, ctx.now)
        ctx.say("event.bound", title=event.title, when=_when(ctx, event), place=event.location)

    @router.command("event facilitator",
                    summary=("世話人を指名する / stop で案内を止める", "name facilitators / stop the nudges"),
                    usage="/event facilitator @名前 (グループ) | /event facilitator コード 公開ID (1:1) | "
                          "/event facilitator stop [コード]")
    def event_facilitator(ctx: Context) -> None:
        words = ctx.args.split()
        if words and words[0].lower() in ("stop", "停止"):
            _facilitator_stop(ctx, words[1:])
            return
        if ctx.place_kind == GROUP_PLACE:
            binding = _bound_event(ctx)
            if binding is None:
                raise UsageError(ctx.t("event.not_bound"))
            event = binding[1]
            if not ctx.inbound.mentions:
                raise UsageError(ctx.t("event.facilitator_who"))
            if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
                ctx.say("event.not_allowed")
                return
            chosen = _mentioned_members(ctx)
        else:
            if len(words) < 2:
                raise UsageError(ctx.t("event.facilitator_who"))
            event = _event_from_code(ctx, words[0])
            if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
                ctx.say("event.not_allowed")
                return
            chosen = _members_by_public_id(ctx, words[1:])
        if event.closed_at is not None:
            raise UsageError(ctx.t("event.closed", title=event.title))
        added = [m for m in chosen if ev.assign_facilitator(ctx.session, event, m, ctx.now)]
        for member in added:
            guide = members_text(ctx, member, "event.facilitator_guide", title=event.title, code=event.code)
            ctx.push_member(member.id, Text(guide))
        already = [m for m in chosen if m not in added]
        lines = []
        if added:
            lines.append(ctx.t("event.facilitators_added", names=_names(added), title=event.title))
        if already:
            lines.append(ctx.t("event.facilitators_already", names=_names(already)))
        ctx.reply("\n".join(lines))

    def _facilitator_stop(ctx: Context, words: list[str]) -> None:
        if words:
            event = _event_from_code(ctx, words[0])
        elif ctx.place_kind == GROUP_PLACE and _bound_event(ctx) is not None:
            event = _bound_event(ctx)[1]
        else:
            mine = ev.facilitated_events(ctx.session, ctx.member.id)
            if len(mine) != 1:
                raise UsageError(ctx.t("event.stop_which"))
            event = mine[0]
        if not ev.is_facilitator(ctx.session, ctx.member.id, event):
            ctx.say("event.not_facilitator", title=event.title)
            return
        if ev.opt_out(ctx.session, event, ctx.member, ctx.now):
            ctx.say("event.stopped", title=event.title)
        else:
            ctx.say("event.already_stopped", title=event.title)

    @router.command("event invite", summary=("グループの招待リンクを登録する", "store the group's invite link"),
                    usage="/event invite 招待リンク (グループ) | /event invite コード 招待リンク (1:1)")
    def event_invite(ctx: Context) -> None:
        words = ctx.args.split()
        if ctx.place_kind == GROUP_PLACE and len(words) == 1:
            binding = _bound_event(ctx)
            if binding is None:
                raise UsageError(ctx.t("event.not_bound"))
            event, url = binding[1], words[0]
        elif len(words) == 2:
            event, url = _event_from_code(ctx, words[0]), words[1]
        else:
            raise UsageError(ctx.t("event.invite_usage"))
        if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
            ctx.say("event.not_allowed")
            return
        if not ev.valid_invite_url(url):
            raise UsageError(ctx.t("event.invite_bad"))
        event.invite_url = url.strip()
        ctx.session.add(event)
        ctx.say("event.invite_saved", title=event.title, code=event.code)

    @router.command("join", summary=("イベントのグループに参加する", "join an event's group"), usage="/join イベントコード")
    def join_command(ctx: Context) -> None:
        if not ctx.args.strip():
            raise UsageError(ctx.t("event.join_code"))
        _send_event_card(ctx, _event_from_code(ctx, ctx.args))

    @router.command("event list", summary=("これからのイベント", "upcoming events"), usage="/event list")
    def event_list(ctx: Context) -> None:
        upcoming = ev.upcoming_events(ctx.session, ctx.now)
        if not upcoming:
            ctx.say("event.list_empty")
            return
        lines = [ctx.t("event.list_header")]
        lines += [f"・{e.code}  {_when(ctx, e)}  {e.title} @{e.location}" for e in upcoming]
        lines.append(ctx.t("event.list_footer"))
        ctx.reply("\n".join(lines))

    @router.command("event status", summary=("イベントとグループの様子 (職員・主催者・世話人)", "event and group status"),
                    usage="/event status [イベントコード]", roles=MANAGERS)
    def event_status(ctx: Context) -> None:
        event = _event_here_or_code(ctx, ctx.args, "event.status_which")
        if not ev.may_manage(ctx.session, ctx.member, ctx.roles, event):
            ctx.say("event.not_allowed")
            return
        lines = [ctx.t(
            "event.status_header", title=event.title, code=event.code, when=_when(ctx, event), place=event.location,
            state=ctx.t("event.state_closed" if event.closed_at else "event.state_open"),
            invite=ctx.t("event.invite_set" if event.invite_url else "event.invite_unset"),
        )]
        skip = ev.opted_out_ids(ctx.session, event)
        people = [ev.member_label(m) + (f" ({ctx.t('event.status_opted_out')})" if m.id in skip else "")
                  for m in ev.facilitators(ctx.session, event)]
        lines.append(ctx.t("event.status_facilitators", names="、".join(people)) if people
                     else ctx.t("event.status_no_facilitator"))
        figures = ev.space_figures(ctx.session, event, ctx.now)
        if not figures:
            lines.append(ctx.t("event.status_no_space", code=event.code))
        for f in figures:
            last = ev.format_when(f.last_activity, ctx.site.tz) if f.last_activity else ctx.t("event.status_never")
            lines.append(ctx.t("event.status_space", name=f"{f.name or event.title} ({f.platform})",
                               members=f.members, messages=f.messages_this_week, last=last))
            if f.detached_at:
                lines.append(ctx.t("event.status_detached", at=ev.format_when(f.detached_at, ctx.site.tz)))
        ctx.reply("\n".join(lines))

    @router.command("event close", summary=("イベントを終了する (職員・主催者)", "end an event (staff, organizer)"),
                    usage="/event close イベントコード", roles={members.STAFF, members.ORGANIZER})
    def event_close(ctx: Context) -> None:
        event = _event_here_or_code(ctx, ctx.args, "event.code_missing")
        if not ev.may_close(ctx.member, ctx.roles, event):
            ctx.say("event.close_not_allowed")
            return
        try:
            ev.close_event(ctx.session, ctx.postbox, event, ctx.now)
        except ev.EventProblem as exc:
            raise _problem(ctx, exc) from None
        ctx.say("event.closed_done", title=event.title)

    @router.command("event id", summary=("自分の公開IDを見る (世話人・主催者の指名用)", "show your public id"),
                    usage="/event id", places={DIRECT_PLACE})
    def event_id(ctx: Context) -> None:
        ctx.say("event.myid", id=ctx.member.public_id)

    # ---- events around event spaces ----

    @router.on(MESSAGE)
    def count_event_message(ctx: Context) -> None:
        # Engagement only: the time and the pseudonymous member, never the text. Bot commands are not conversation.
        inbound = ctx.inbound
        if inbound.place.kind == DIRECT or not inbound.sender_id:
            return
        if inbound.text and normalise_command_text(inbound.text) is not None:
            return
        binding = _bound_event(ctx)
        if binding is not None:
            ev.record_message(ctx.session, binding[0], binding[1], inbound.platform, inbound.sender_id, ctx.now)

    @router.on(MEMBER_JOINED)
    def members_joined(ctx: Context) -> None:
        binding = _bound_event(ctx)
        if binding is not None:
            ev.record_members_joined(ctx.session, binding[0], binding[1], ctx.inbound.platform,
                                     ctx.inbound.member_ids, ctx.now)

    @router.on(MEMBER_LEFT)
    def members_left(ctx: Context) -> None:
        binding = _bound_event(ctx)
        if binding is not None:
            ev.record_members_left(ctx.session, binding[0], ctx.inbound.platform, ctx.inbound.member_ids, ctx.now)

    @router.on(POSTBACK)
    def join_button(ctx: Context) -> None:
        data = ctx.inbound.postback_data or ""
        if not data.startswith(ev.JOIN_POSTBACK):
            return
        try:
            _send_event_card(ctx, _event_from_code(ctx, data[len(ev.JOIN_POSTBACK):]))
        except UsageError as exc:
            ctx.reply(str(exc))

    @router.on(SPACE_CREATED)
    def space_created(ctx: Context) -> None:
        # A platform (Discord) made the channel /event new asked for: bind it to the event.
        event = ev.find_event(ctx.session, ev.normalise_code(ctx.inbound.text or "") or "")
        if event is None:
            return
        space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
        try:
            ev.bind_space(ctx.session, event, space, ctx.now)
        except ev.EventProblem:
            return  # already bound (a repeated report) or closed meanwhile: nothing to do
        ctx.say("event.space_ready", title=event.title, when=_when(ctx, event), place=event.location)


def members_text(ctx: Context, member: Member, key: str, **values: object) -> str:
    """A text in the recipient's language, not the sender's."""
    return t(member.lang, key, **values)
