"""Area communities in chat: staff or a 区's representative bind a LINE group or Discord channel to the 区 or to a
小学校区 (/area bind, like /event bind), name its facilitators (/area facilitator @…), who are nudged when it goes
quiet (job quiet-areas); a facilitator may step down (/area facilitator stop). Messages there are never stored:
only when the last one was written."""

from __future__ import annotations

from community import area_spaces
from community.messages import DIRECT, MESSAGE, Text
from community.problems import Problem
from community.spaces import find_space, get_or_create_space
from community.texts import is_word, t
from handlers.areas.chat import EDITORS, chat, member_label, mentioned
from handlers.context import GROUP_PLACE, Context, sender
from handlers.router import normalise_command_text
from storage.db import id_of
from storage.models.areas import AreaSpace


def binding_here(ctx: Context) -> AreaSpace | None:
    return area_spaces.binding_of(ctx.session, find_space(ctx.session, ctx.inbound.place))


def required_binding(ctx: Context) -> AreaSpace:
    bound = binding_here(ctx)
    if bound is None:
        raise Problem("area.not_bound", with_usage=False)
    return bound


def may_manage_here(ctx: Context, bound: AreaSpace) -> bool:
    area = area_spaces.area_of(ctx.session, bound)
    return area_spaces.may_manage(ctx.session, ctx.member, ctx.roles, area, bound.school)


@chat.command("area bind", roles=EDITORS, places={GROUP_PLACE})
def area_bind(ctx: Context) -> None:
    if not ctx.args.strip():
        raise Problem("area.bind_which")
    area, school = area_spaces.target_of(ctx.session, ctx.args)
    if not area_spaces.may_manage(ctx.session, ctx.member, ctx.roles, area, school):
        raise Problem("area.bind_not_allowed", with_usage=False)
    space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
    bound = area_spaces.bind(ctx.session, space, area, school, ctx.now)
    ctx.say("area.bound", name=area_spaces.label(ctx.session, bound, ctx.lang))


@chat.command("area unbind", roles=EDITORS, places={GROUP_PLACE})
def area_unbind(ctx: Context) -> None:
    bound = required_binding(ctx)
    if not may_manage_here(ctx, bound):
        raise Problem("area.bind_not_allowed", with_usage=False)
    name = area_spaces.label(ctx.session, bound, ctx.lang)
    space = find_space(ctx.session, ctx.inbound.place)
    assert space is not None  # a binding was found through it
    area_spaces.unbind(ctx.session, bound, space)
    ctx.say("area.unbound", name=name)


@chat.command("area facilitator", roles={*EDITORS, area_spaces.AREA_FACILITATOR}, places={GROUP_PLACE})
def area_facilitator(ctx: Context) -> None:
    bound = required_binding(ctx)
    name = area_spaces.label(ctx.session, bound, ctx.lang)
    words = ctx.args.split()
    if words and is_word("area.stop_words", words[0]):
        stopped = area_spaces.stop_facilitating(ctx.session, bound, sender(ctx))
        ctx.say("area.facilitator_stopped" if stopped else "area.not_facilitator", name=name)
        return
    if not ctx.inbound.mentions:
        people = area_spaces.facilitators(ctx.session, bound)
        names = ctx.t("list.separator").join(member_label(m) for m in people) or ctx.t("area.nobody")
        ctx.say("area.facilitators", name=name, names=names)
        return
    if not may_manage_here(ctx, bound):
        raise Problem("area.bind_not_allowed", with_usage=False)
    chosen = mentioned(ctx)
    for member in chosen:
        if area_spaces.assign_facilitator(ctx.session, bound, member, ctx.now, by=ctx.member):
            ctx.push_member(id_of(member), Text(t(member.lang, "area.facilitator_guide", name=name)))
    names = ctx.t("list.separator").join(member_label(m) for m in chosen)
    ctx.say("area.facilitators_added", name=name, names=names)


@chat.on(MESSAGE)
def area_message(ctx: Context) -> None:
    """A message in an area community: remember when (for the quiet nudges); never who or what."""
    inbound = ctx.inbound
    if inbound.place.kind == DIRECT or not inbound.sender_id:
        return
    if inbound.text and normalise_command_text(inbound.text) is not None:
        return
    bound = binding_here(ctx)
    if bound is not None:
        area_spaces.record_message(ctx.session, bound, ctx.now)
