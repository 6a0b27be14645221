"""貸畑 and 空き家 listings in chat: anyone sees the open ones (/listings, cards with 「問い合わせ」), a member offers
one through a dialogue (/listing new: typed answers work as well as the buttons), staff approve or reject it, owners
and staff close it, staff see the conversations per listing. The relayed conversations are in
handlers.listings.conversations, on the same `chat`."""

from __future__ import annotations

from typing import Any

from community import areas, listings, members, relay
from community.event_jobs import notify_staff
from community.messages import Action, Card, Carousel, Text, clip
from community.problems import Problem
from community.texts import is_word, t
from handlers import review, steps
from handlers.carousel import page_cards
from handlers.context import DIRECT_PLACE, Context, sender
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models.listings import Listing

chat = ChatRoutes("listings")

STAFF_ONLY = {members.STAFF}
NEW = "listing-new"  # the dialogue; steps: kind, then each field, then confirm
STEPS: tuple[str, ...] = ("kind", *listings.FIELDS, "confirm")
OPTIONAL = {"conditions", "photo_url"}  # a 「なし」 button answers these
MAX_DISTRICT_BUTTONS = 9
PREVIEW = 60


def title(lang: str, listing: Listing) -> str:
    kind = t(lang, f"listing.kind.{listing.kind}")
    return t(lang, "relay.subject.listing", id=id_of(listing), kind=kind, place=listing.place)


# ---- the open listings ---------------------------------------------------------------------------------------------


@chat.command("listings")
def listings_command(ctx: Context) -> None:
    show_page(ctx, 1)


@chat.postback("listing:more:{page:int}")
def listings_more(ctx: Context, page: int) -> None:
    show_page(ctx, page)


def show_page(ctx: Context, page: int) -> None:
    found = listings.open_listings(ctx.session, ctx.now)
    cards = page_cards(ctx, found, page, listing_card, "listing")
    if not cards:
        ctx.say("listing.none_open", url=ctx.site.public_url("listings"))
        return
    intro = ctx.t("listing.intro", count=len(found), url=ctx.site.public_url("listings"))
    ctx.reply(Text(intro), Carousel(tuple(cards), alt=ctx.t("listing.list_alt")))


def listing_card(ctx: Context, listing: Listing) -> Card:
    lines = [
        ctx.t("listing.line_size", size=listing.size),
        ctx.t("listing.line_price", price=listing.price),
    ]
    if listing.conditions:
        lines.append(ctx.t("listing.line_conditions", conditions=clip(listing.conditions, PREVIEW)))
    actions = [Action(label=ctx.t("listing.ask_button"), data=f"listing:ask:{id_of(listing)}")]
    if listing.photo_url:
        actions.append(Action(label=ctx.t("listing.photo_button"), url=listing.photo_url))
    return Card(title=title(ctx.lang, listing), text="\n".join(lines), actions=tuple(actions))


# ---- offering a listing: the dialogue ----------------------------------------------------------------------------


@chat.command("listing new", places={DIRECT_PLACE})
def listing_new(ctx: Context) -> None:
    FORM.ask(ctx, "kind", {"answers": {}}, hint=ctx.t("listing.new_intro"))


@chat.step(NEW, *STEPS)
def answered(ctx: Context, text: str) -> None:
    step, data = steps.draft(ctx, "kind")
    answers: dict[str, Any] = data["answers"]
    if step == "kind":
        kind = listings.kind_of(text)
        if kind is None:
            FORM.ask(ctx, step, data, hint=ctx.t("listing.pick_a_button"))
            return
        answers["kind"] = kind
    elif step == "confirm":
        confirm(ctx, data, text)
        return
    else:
        value = "" if step in OPTIONAL and is_word("listing.none_words", text) else text
        try:
            answers[step] = listings.check_field(step, value)
        except Problem as problem:
            FORM.ask(ctx, step, data, hint=problem.text(ctx.lang))
            return
    FORM.ask_next(ctx, step, data)


def labels(ctx: Context, step: str) -> list[str]:
    if step == "kind":
        return [ctx.t(f"listing.kind.{kind}") for kind in listings.KINDS]
    if step == "place":
        return areas.districts(areas.all_areas(ctx.session))[:MAX_DISTRICT_BUTTONS]
    if step == "price":
        return [ctx.t("listing.free_button")]
    if step in OPTIONAL:
        return [ctx.t("listing.none_button")]
    if step == "confirm":
        return [ctx.t("listing.send_button")]
    return []


def summary(ctx: Context, answers: dict[str, Any]) -> str:
    kind = answers.get("kind", "plot")
    lines = [ctx.t("listing.summary_kind", kind=ctx.t(f"listing.kind.{kind}"))]
    for name in listings.FIELDS:
        value = str(answers.get(name) or ctx.t("listing.none_button"))
        lines.append(ctx.t("listing.summary_line", field=ctx.t(f"listing.field.{name}"), value=value))
    return "\n".join(lines)


FORM = steps.Form("listing", NEW, STEPS, labels, summary)


def confirm(ctx: Context, data: dict[str, Any], text: str) -> None:
    if not is_word("listing.send_words", text):
        FORM.ask(ctx, "confirm", data, hint=ctx.t("listing.pick_a_button"))
        return
    answers = data["answers"]
    listing = listings.submit(ctx.session, sender(ctx), str(answers.get("kind")), answers, ctx.now)
    ctx.end_dialogue()
    name = title("ja", listing)
    notify_staff(ctx.session, ctx.postbox, lambda lang: t(lang, "listing.staff_new", title=name, id=id_of(listing)))
    ctx.say("listing.submitted", id=id_of(listing))


# ---- staff review; owners close ----------------------------------------------------------------------------------


@chat.command("listing pending", roles=STAFF_ONLY)
def listing_pending(ctx: Context) -> None:
    def block(listing: Listing) -> str:
        return f"{title(ctx.lang, listing)}\n{summary(ctx, listing.model_dump())}"

    review.pending_list(ctx, "listing", listings.pending(ctx.session), block)


@chat.command("listing approve", roles=STAFF_ONLY)
def listing_approve(ctx: Context) -> None:
    listing = listings.get(ctx.session, listings.parse_id(ctx.args))
    listings.approve(ctx.session, ctx.site, listing, ctx.now, by=ctx.member)
    lang = relay.language_of(ctx.session, listing.owner_member_id)
    days = ctx.city.listings.days
    url = ctx.site.public_url("listings")
    notice = t(lang, "listing.owner_approved", title=title(lang, listing), days=days, url=url)
    ctx.push_member(listing.owner_member_id, Text(notice))
    ctx.say("listing.approved", title=title(ctx.lang, listing), days=days)


@chat.command("listing reject", roles=STAFF_ONLY)
def listing_reject(ctx: Context) -> None:
    first, _, reason = ctx.args.strip().partition(" ")
    listing = listings.get(ctx.session, listings.parse_id(first))
    listings.reject(ctx.session, listing, ctx.now, by=ctx.member, reason=reason.strip())
    lang = relay.language_of(ctx.session, listing.owner_member_id)
    why = reason.strip()[:200] or t(lang, "listing.no_reason")
    notice = t(lang, "listing.owner_rejected", title=title(lang, listing), reason=why)
    ctx.push_member(listing.owner_member_id, Text(notice))
    ctx.say("listing.rejected", title=title(ctx.lang, listing))


@chat.command("listing close")
def listing_close(ctx: Context) -> None:
    listing = listings.get(ctx.session, listings.parse_id(ctx.args))
    if not listings.may_close(ctx.member, ctx.is_staff, listing):
        raise Problem("listing.not_yours", id=listing.id, with_usage=False)
    listings.close(ctx.session, listing, ctx.now, by=ctx.member)
    ctx.say("listing.closed", title=title(ctx.lang, listing))


@chat.command("listing mine", places={DIRECT_PLACE})
def listing_mine(ctx: Context) -> None:
    mine = listings.of_owner(ctx.session, id_of(sender(ctx)))
    if not mine:
        ctx.say("listing.mine_none")
        return
    asked = relay.counts_by_subject(ctx.session, relay.LISTING)
    lines = [ctx.t("listing.mine_header")]
    for listing in mine:
        state = ctx.t(f"listing.state.{listings.state(listing, ctx.now)}")
        count = asked.get(id_of(listing), 0)
        lines.append(ctx.t("listing.mine_line", title=title(ctx.lang, listing), state=state, count=count))
    lines.append(ctx.t("listing.mine_footer"))
    ctx.reply("\n".join(lines))


@chat.command("listing inquiries", roles=STAFF_ONLY)
def listing_inquiries(ctx: Context) -> None:
    listing = listings.get(ctx.session, listings.parse_id(ctx.args))
    found = relay.of_subject(ctx.session, relay.LISTING, id_of(listing))
    state = ctx.t(f"listing.state.{listings.state(listing, ctx.now)}")
    lines = [ctx.t("listing.inquiries_header", title=title(ctx.lang, listing), state=state, count=len(found))]
    for inquiry in found:
        lines.append(
            ctx.t(
                "listing.inquiry_line",
                id=id_of(inquiry),
                started=inquiry.created_at.astimezone(ctx.site.tz).strftime("%Y/%m/%d"),
                last=inquiry.last_message_at.astimezone(ctx.site.tz).strftime("%Y/%m/%d %H:%M"),
                asker=inquiry.from_asker,
                owner=inquiry.from_owner,
            )
        )
    ctx.reply("\n".join(lines))
