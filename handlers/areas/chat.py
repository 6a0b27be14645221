"""行政区 in chat: anyone searches the 区 (/area, a carousel of cards with paging), staff name each 区's
representatives (/area rep), a representative fills in the 区's profile in a dialogue (/area edit: typed answers work
as well as the buttons) and chooses 公開 or 非公開, and members may record their own 区 (/area mine).

Area communities (binding a group, facilitators) are in handlers.areas.spaces, on the same `chat`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from community import area_spaces, areas, members
from community.messages import Action, Card, Carousel, Text, clip
from community.problems import Problem
from community.texts import is_word, t
from handlers import steps
from handlers.carousel import page_cards
from handlers.context import DIRECT_PLACE, Context, sender
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models import Member
from storage.models.areas import Area

chat = ChatRoutes("areas")

EDITORS = {members.STAFF, areas.AREA_REP}
PROFILE = "area-profile"  # the profile dialogue; its steps are the fields, then "newcomers" and "publish"
STEPS: tuple[str, ...] = (*areas.TEXT_FIELDS, "newcomers", "publish")
ANSWER_PREVIEW = 40  # characters of an answer shown on a card


# ---- /area: the searchable list ------------------------------------------------------------------------------------


@chat.command("area")
def area_search(ctx: Context) -> None:
    show_page(ctx, ctx.args, 1)


@chat.postback("area:more:{page:int}", "area:more:{page:int}:{query}")
def area_more(ctx: Context, page: int, query: str = "") -> None:
    show_page(ctx, query, page)


def show_page(ctx: Context, query: str, page: int) -> None:
    query = areas.normalise(query.replace(":", " "))[:60]
    found = areas.search(ctx.session, query)
    if not found:
        registered = bool(areas.all_areas(ctx.session))
        ctx.say("area.none_found" if registered else "area.none_registered", query=query)
        return
    cards = page_cards(ctx, found, page, area_card, "area", query)
    if not cards:
        ctx.say("area.no_more")
        return
    intro = ctx.t("area.found_query" if query else "area.found", count=len(found), query=query)
    ctx.reply(Text(intro), Carousel(tuple(cards), alt=ctx.t("area.list_alt")))


def area_card(ctx: Context, area: Area) -> Card:
    """A 区 as a card: its register line, and for a public 区 the welcome mark and its first answers."""
    lines = [where_line(ctx, area)]
    if not area.published:
        lines.append(ctx.t("area.private_mark"))
        return Card(title=area.name, text="\n".join(lines))
    if areas.welcomes(area):
        lines.append(ctx.t("area.welcome_mark"))
    for name, value in areas.public_answers(area)[:3]:
        short = clip(value, ANSWER_PREVIEW)
        lines.append(ctx.t("area.card_answer", field=ctx.t(f"area.field.{name}"), value=short))
    page = Action(label=ctx.t("area.page_button"), url=ctx.site.public_url(areas.page_path(area)))
    return Card(title=area.name, text="\n".join(lines), actions=(page,))


def where_line(ctx: Context, area: Area) -> str:
    parts = [ctx.t("area.district_of", district=area.district) if area.district else ""]
    parts.append(ctx.t("area.school_of", school=area.school) if area.school else "")
    return ctx.t("list.separator").join(p for p in parts if p) or ctx.t("area.no_register_line")


# ---- representatives -----------------------------------------------------------------------------------------------


@chat.command("area rep", roles={members.STAFF})
def area_rep(ctx: Context) -> None:
    words = ctx.args.split()
    if not words:
        raise Problem("area.rep_usage")
    area = areas.area_named(ctx.session, words[0])
    if len(words) > 1 and is_word("area.clear_words", words[1]):
        removed = areas.clear_reps(ctx.session, area, ctx.now, by=ctx.member)
        ctx.say("area.reps_cleared", name=area.name, count=removed)
        return
    chosen = mentioned(ctx) if ctx.inbound.mentions else by_public_id(ctx, words[1:])
    if not chosen:
        reps = areas.reps_of(ctx.session, area)
        names = ctx.t("list.separator").join(member_label(m) for m in reps) or ctx.t("area.nobody")
        ctx.say("area.reps", name=area.name, names=names)
        return
    for member in chosen:
        if areas.assign_rep(ctx.session, area, member, ctx.now, by=ctx.member):
            guide = t(member.lang, "area.rep_guide", name=area.name)
            ctx.push_member(id_of(member), Text(guide))
    names = ctx.t("list.separator").join(member_label(m) for m in chosen)
    ctx.say("area.reps_added", name=area.name, names=names)


def member_label(member: Member) -> str:
    """A display name, else the pseudonymous public id: never a platform id."""
    return member.display_name or member.public_id


def mentioned(ctx: Context) -> list[Member]:
    found: dict[int, Member] = {}
    for mention in ctx.inbound.mentions:
        member = members.get_or_create_member(ctx.session, ctx.inbound.platform, mention.user_id, ctx.now)
        name = mention.text.lstrip("@\uff20").strip()
        if name and not member.display_name:
            member.display_name = name[:40]  # the name the person shows in the group
            ctx.session.add(member)
        found[id_of(member)] = member
    return list(found.values())


def by_public_id(ctx: Context, words: list[str]) -> list[Member]:
    found: dict[int, Member] = {}
    for word in words:
        member = ctx.session.exec(select(Member).where(Member.public_id == word.strip().lower()[:20])).first()
        if member is None:
            raise Problem("area.no_such_member", id=word[:20])
        found[id_of(member)] = member
    return list(found.values())


def editable_area(ctx: Context, name: str) -> Area:
    """The 区 named (which the sender must represent, unless staff), or the one 区 they represent."""
    if name.strip():
        area = areas.area_named(ctx.session, name)
        if not areas.may_edit(ctx.session, ctx.member, ctx.roles, area):
            raise Problem("area.not_yours", name=area.name, with_usage=False)
        return area
    mine = areas.areas_of_rep(ctx.session, id_of(sender(ctx)))
    if len(mine) == 1:
        return mine[0]
    if mine:
        raise Problem("area.which", names=areas.names(mine, ctx.lang))
    raise Problem("area.which_staff")


@chat.command("area publish", roles=EDITORS)
def area_publish(ctx: Context) -> None:
    area = editable_area(ctx, ctx.args)
    areas.set_published(ctx.session, area, True, ctx.now, by=ctx.member)
    ctx.say("area.published", name=area.name, url=ctx.site.public_url(areas.page_path(area)))


@chat.command("area unpublish", roles=EDITORS)
def area_unpublish(ctx: Context) -> None:
    area = editable_area(ctx, ctx.args)
    areas.set_published(ctx.session, area, False, ctx.now, by=ctx.member)
    ctx.say("area.unpublished", name=area.name)


# ---- the profile dialogue ------------------------------------------------------------------------------------------


@chat.command("area edit", roles=EDITORS, places={DIRECT_PLACE})
def area_edit(ctx: Context) -> None:
    area = editable_area(ctx, ctx.args)
    intro = ctx.t("area.edit_intro", name=area.name, steps=len(STEPS))
    ask(ctx, area, STEPS[0], {"area": id_of(area), "answers": {}}, hint=intro)


@chat.step(PROFILE, *areas.TEXT_FIELDS, "newcomers")
def answered(ctx: Context, text: str) -> None:
    """Any step but the last: its answer kept (or the old one, when asked to), then the next question."""
    found = dialogue_area(ctx)
    if found is None:
        return
    area, step, data = found
    if not is_word("area.keep_words", text):
        value, hint = _read_answer(ctx, step, text)
        if value is None:
            ask(ctx, area, step, data, hint=hint)
            return
        data["answers"][step] = value
    ask(ctx, area, STEPS[STEPS.index(step) + 1], data)


def _read_answer(ctx: Context, step: str, text: str) -> tuple[str | bool | None, str]:
    """The answer typed at this step, or None and the hint to ask again with."""
    if step == "newcomers":
        return areas.newcomers_answer(text), ctx.t("area.pick_a_button")
    value = "" if is_word("area.blank_words", text) else text.strip()
    if len(value) > areas.LIMITS[step]:
        return None, ctx.t("area.answer_too_long", limit=areas.LIMITS[step], length=len(value))
    return value, ""


@chat.step(PROFILE, "publish")
def publish_answered(ctx: Context, text: str) -> None:
    found = dialogue_area(ctx)
    if found is None:
        return
    area, step, data = found
    publish = areas.publish_answer(text)
    if publish is None:
        ask(ctx, area, step, data, hint=ctx.t("area.pick_a_button"))
        return
    answers = {**data["answers"], "publish": publish}
    areas.save_profile(ctx.session, area, answers, ctx.now, by=ctx.member, via="chat")
    ctx.end_dialogue()
    if area.published:
        ctx.say("area.saved_public", name=area.name, url=ctx.site.public_url(areas.page_path(area)))
    else:
        ctx.say("area.saved_private", name=area.name)


def dialogue_area(ctx: Context) -> tuple[Area, str, dict[str, Any]] | None:
    """The 区 being edited, the step and the answers so far; None (the dialogue ended) when the 区 is gone or the
    sender may no longer edit it."""
    data = ctx.dialogue_data
    step = ctx.dialogue.step if ctx.dialogue is not None else ""
    area_id = data.get("area") if isinstance(data, dict) else None
    area = ctx.session.get(Area, area_id) if isinstance(area_id, int) else None
    if area is None or step not in STEPS or not areas.may_edit(ctx.session, ctx.member, ctx.roles, area):
        ctx.end_dialogue()
        ctx.say("area.edit_stale")
        return None
    if not isinstance(data.get("answers"), dict):
        data["answers"] = {}
    return area, step, data


def ask(ctx: Context, area: Area, step: str, data: dict[str, Any], hint: str = "") -> None:
    """The question for `step`, with its buttons (each sends its own label: typing it answers the same)."""
    answers = data["answers"]
    lines = [steps.question(ctx, "area", STEPS, step, hint, name=area.name)]
    current = current_text(ctx, area, step, answers)
    if current:
        lines.append(ctx.t("area.current", value=current))
    choices: list[Action] = []
    if current and step != "publish":
        choices.append(said(ctx, "area.keep_button"))
    if step == "newcomers":
        choices += [said(ctx, "area.newcomers.yes_button", "yes"), said(ctx, "area.newcomers.no_button", "no")]
    elif step == "publish":
        choices += [said(ctx, "area.publish_button"), said(ctx, "area.private_button")]
    else:
        # A free answer: few buttons, so that a typed number is an answer rather than a button's number.
        choices.append(said(ctx, "area.blank_button"))
    if step in ("newcomers", "publish"):
        choices.append(said(ctx, "area.cancel_button"))
    ctx.ask(PROFILE, step, Text("\n".join(lines), quick_replies=tuple(choices)), data)


def said(ctx: Context, key: str, means: str | None = None) -> Action:
    """A button that sends its own label, so pressing it and typing it are the same answer."""
    label = ctx.t(key)
    return Action(label=label, text=label, means=means)


def current_text(ctx: Context, area: Area, step: str, answers: dict[str, Any]) -> str:
    if step == "publish":
        return ctx.t("area.state_public" if area.published else "area.state_private")
    value = answers.get(step, getattr(area, step))
    if step == "newcomers":
        return "" if value is None else ctx.t("area.newcomers.yes_button" if value else "area.newcomers.no_button")
    return str(value or "")


# ---- the member's own 区 -------------------------------------------------------------------------------------------


@chat.command("area mine", places={DIRECT_PLACE})
def area_mine(ctx: Context) -> None:
    member_id = id_of(sender(ctx))
    wanted = ctx.args.strip()
    if not wanted:
        area = area_spaces.resident_area(ctx.session, member_id)
        if area is None:
            ctx.say("area.mine_none")
        else:
            ctx.say("area.mine_is", name=area.name)
        return
    if is_word("area.clear_words", wanted):
        removed = area_spaces.clear_resident(ctx.session, member_id)
        ctx.say("area.mine_cleared" if removed else "area.mine_none")
        return
    area = areas.area_named(ctx.session, wanted)
    area_spaces.record_resident(ctx.session, member_id, area, ctx.now)
    ctx.say("area.mine_saved", name=area.name)
