"""Circles in chat: anyone finds them (/circles, cards with the join link or 「連絡する」), a member submits one in a
dialogue (/circle new: typed answers work as well as the buttons), staff approve or reject it, its submitter or staff
close it. 「連絡する」 relays a first message to the submitter through the listings feature's conversations."""

from __future__ import annotations

from typing import Any

from community import circles, members, relay
from community.event_jobs import notify_staff
from community.messages import Action, Card, Carousel, Text, clip
from community.problems import Problem
from community.texts import is_word, t
from handlers import review, steps
from handlers.carousel import page_cards
from handlers.context import DIRECT_PLACE, Context, sender
from handlers.listings import conversations
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models.circles import Circle

chat = ChatRoutes("circles")

STAFF_ONLY = {members.STAFF}
NEW = "circle-new"  # the dialogue; its steps:
STEPS: tuple[str, ...] = ("name", "category", "activity", "area", "join", "confirm")
PREVIEW = 80


# ---- the directory -------------------------------------------------------------------------------------------------


@chat.command("circles")
def circles_command(ctx: Context) -> None:
    show_page(ctx, ctx.args, 1)


@chat.postback("circle:more:{page:int}", "circle:more:{page:int}:{query}")
def circles_more(ctx: Context, page: int, query: str = "") -> None:
    show_page(ctx, query, page)


def show_page(ctx: Context, query: str, page: int) -> None:
    query = " ".join(query.replace(":", " ").split())[:60]
    found = circles.listed(ctx.session, query)
    cards = page_cards(ctx, found, page, circle_card, "circle", query)
    if not cards:
        ctx.say("circle.none", url=ctx.site.public_url("circles"))
        return
    intro = ctx.t("circle.intro", count=len(found), url=ctx.site.public_url("circles"))
    ctx.reply(Text(intro), Carousel(tuple(cards), alt=ctx.t("circle.list_alt")))


def circle_card(ctx: Context, circle: Circle) -> Card:
    lines = [
        ctx.t(f"circle.category.{circle.category}"),
        clip(circle.activity, PREVIEW),
        ctx.t("circle.line_area", area=circle.area),
    ]
    actions: tuple[Action, ...] = ()
    if circle.join_url:
        actions = (Action(label=ctx.t("circle.join_button"), url=circle.join_url),)
    elif conversations.available(ctx):
        actions = (Action(label=ctx.t("circle.contact_button"), data=f"circle:contact:{id_of(circle)}"),)
    return Card(title=circle.name, text="\n".join(lines), actions=actions)


@chat.postback("circle:contact:{circle_id:int}")
def contact(ctx: Context, circle_id: int) -> None:
    if not conversations.available(ctx):
        raise Problem("circle.no_contact", with_usage=False)
    conversations.start(ctx, relay.CIRCLE, circle_id)


# ---- submitting a circle: the dialogue -----------------------------------------------------------------------------


@chat.command("circle new", places={DIRECT_PLACE})
def circle_new(ctx: Context) -> None:
    FORM.ask(ctx, "name", {"answers": {}}, hint=ctx.t("circle.new_intro"))


@chat.step(NEW, *STEPS)
def answered(ctx: Context, text: str) -> None:
    step, data = steps.draft(ctx, "name")
    answers: dict[str, Any] = data["answers"]
    try:
        if step == "category":
            category = circles.category_of(text)
            if category is None:
                raise Problem("circle.pick_a_button", with_usage=False)
            answers["category"] = category
        elif step == "join":
            answers["join_url"] = "" if is_word("circle.contact_words", text) else circles.check_join_url(text)
        elif step == "confirm":
            confirm(ctx, data, text)
            return
        else:
            answers[step] = circles.check_field(step, text)
    except Problem as problem:
        FORM.ask(ctx, step, data, hint=problem.text(ctx.lang))
        return
    FORM.ask_next(ctx, step, data)


def labels(ctx: Context, step: str) -> list[str]:
    return {
        "category": [ctx.t(f"circle.category.{c}") for c in circles.CATEGORIES],
        "join": [ctx.t("circle.contact_choice")] if conversations.available(ctx) else [],
        "confirm": [ctx.t("circle.send_button")],
    }.get(step, [])


def summary(ctx: Context, answers: dict[str, Any]) -> str:
    join = answers.get("join_url") or ctx.t("circle.contact_choice")
    lines = [
        ctx.t("circle.summary_name", name=answers.get("name", "")),
        ctx.t(f"circle.category.{answers.get('category', 'other')}"),
        str(answers.get("activity", "")),
        ctx.t("circle.line_area", area=answers.get("area", "")),
        ctx.t("circle.summary_join", join=join),
    ]
    return "\n".join(lines)


FORM = steps.Form("circle", NEW, STEPS, labels, summary)


def confirm(ctx: Context, data: dict[str, Any], text: str) -> None:
    if not is_word("circle.send_words", text):
        FORM.ask(ctx, "confirm", data, hint=ctx.t("circle.pick_a_button"))
        return
    circle = circles.submit(ctx.session, sender(ctx), data["answers"], ctx.now)
    ctx.end_dialogue()
    name, number = circle.name, id_of(circle)
    notify_staff(ctx.session, ctx.postbox, lambda lang: t(lang, "circle.staff_new", name=name, id=number))
    ctx.say("circle.submitted", id=number)


# ---- staff review; submitters close ------------------------------------------------------------------------------


@chat.command("circle pending", roles=STAFF_ONLY)
def circle_pending(ctx: Context) -> None:
    def block(circle: Circle) -> str:
        return f"#{id_of(circle)}\n{summary(ctx, {**circle.model_dump(), 'join_url': circle.join_url})}"

    review.pending_list(ctx, "circle", circles.pending(ctx.session), block)


@chat.command("circle approve", roles=STAFF_ONLY)
def circle_approve(ctx: Context) -> None:
    circle = circles.get(ctx.session, circles.parse_id(ctx.args))
    circles.approve(ctx.session, circle, ctx.now, by=ctx.member)
    tell_submitter(ctx, circle, "circle.owner_approved", url=ctx.site.public_url("circles"))
    ctx.say("circle.approved", name=circle.name)


@chat.command("circle reject", roles=STAFF_ONLY)
def circle_reject(ctx: Context) -> None:
    first, _, reason = ctx.args.strip().partition(" ")
    circle = circles.get(ctx.session, circles.parse_id(first))
    circles.reject(ctx.session, circle, ctx.now, by=ctx.member, reason=reason.strip())
    tell_submitter(ctx, circle, "circle.owner_rejected", reason=reason.strip()[:200] or "-")
    ctx.say("circle.rejected", name=circle.name)


def tell_submitter(ctx: Context, circle: Circle, key: str, **values: object) -> None:
    lang = relay.language_of(ctx.session, circle.submitter_member_id)
    ctx.push_member(circle.submitter_member_id, Text(t(lang, key, name=circle.name, **values)))


@chat.command("circle close")
def circle_close(ctx: Context) -> None:
    circle = circles.get(ctx.session, circles.parse_id(ctx.args))
    if not (ctx.is_staff or (ctx.member is not None and circle.submitter_member_id == ctx.member.id)):
        raise Problem("circle.not_yours", id=circle.id, with_usage=False)
    circles.close(ctx.session, circle, ctx.now, by=ctx.member)
    ctx.say("circle.closed", name=circle.name)
