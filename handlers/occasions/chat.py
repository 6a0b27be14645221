"""Occasions in chat: a first message carrying an occasion's code (typed in by the landing page's link, or by hand)
records which occasion brought the person; staff make an occasion and get its QR card (/occasion new) and see the
scans and sign-ups per occasion (/occasion list)."""

from __future__ import annotations

from community import members, occasions
from community.messages import QrCard, Text
from handlers.context import DIRECT_PLACE, Context
from handlers.router import ChatRoutes

chat = ChatRoutes("occasions")

STAFF_ONLY = {members.STAFF}


@chat.on_chat
def code_in_first_message(ctx: Context) -> bool:
    """A 1:1 message with an occasion's code: the occasion is recorded for the person (once) and they are welcomed."""
    if ctx.place_kind != DIRECT_PLACE or ctx.member is None or not ctx.inbound.text:
        return False
    occasion = occasions.in_text(ctx.session, ctx.inbound.text)
    if occasion is None:
        return False
    new = occasions.sign_up(ctx.session, ctx.member, occasion, ctx.now, ctx.inbound.platform)
    ctx.say("occasion.welcome" if new else "occasion.already", name=occasion.name, bot=ctx.city.bot_name)
    return True


@chat.command("occasion new", roles=STAFF_ONLY, places={DIRECT_PLACE})
def occasion_new(ctx: Context) -> None:
    occasion = occasions.create(ctx.session, ctx.args, ctx.now)
    url = ctx.site.public_url(occasions.landing_path(occasion))
    card = QrCard(
        title=occasion.name,
        image_url=ctx.site.public_url(f"{occasions.landing_path(occasion)}/card.png"),
        url=url,
        note=ctx.t("occasion.card_note", code=occasion.code),
        button_label=ctx.t("occasion.card_button"),
    )
    ctx.reply(card, Text(ctx.t("occasion.created", name=occasion.name, code=occasion.code, url=url)))


@chat.command("occasion list", roles=STAFF_ONLY)
def occasion_list(ctx: Context) -> None:
    found = occasions.figures(ctx.session, None, ctx.now)
    if not found:
        ctx.say("occasion.none")
        return
    lines = [ctx.t("occasion.list_header")]
    lines += [
        ctx.t("occasion.list_line", name=f["name"], code=code, scans=f["scans"], signups=f["signups"])
        for code, f in found.items()
    ]
    ctx.reply("\n".join(lines))
