"""Chat commands of referrals and KPIs: /donate (everyone's referral link), /digest and /dashboard (staff)."""

from __future__ import annotations

from community import dashboard, digest, referrals
from community.members import STAFF
from community.messages import Action, Card
from handlers.context import DIRECT_PLACE, Context
from handlers.router import ChatRoutes

chat = ChatRoutes("kpi")


@chat.command("donate", places={DIRECT_PLACE})
def donate(ctx: Context) -> None:
    if ctx.member is None or not ctx.city.donation.url:
        ctx.say("donate.unset")
        return
    code = referrals.create_referral(ctx.session, "member", ctx.member.public_id, ctx.now)
    url = referrals.referral_url(ctx.site, code.code)
    ctx.reply(
        Card(
            title=ctx.t("donate.title"),
            text=ctx.t("donate.text", city=ctx.city.name, url=url),
            actions=(Action(label=ctx.t("donate.button"), url=url),),
        )
    )


@chat.command("digest", roles={STAFF})
def digest_now(ctx: Context) -> None:
    """Last week's digest here in a 1:1 chat or a staff group; from any other group, to the asker privately (KPIs
    are for staff)."""
    messages = digest.build(ctx.session, ctx.site, ctx.now).messages()
    member_id = ctx.member.id if ctx.member is not None else None
    if ctx.place_kind == DIRECT_PLACE or digest.is_staff_space(ctx.session, ctx.inbound.place, ctx.now):
        ctx.reply(*messages)
    elif member_id is not None and ctx.push_member(member_id, *messages):
        ctx.say("digest.sent_direct")
    else:
        ctx.say("digest.no_direct")


@chat.command("dashboard", roles={STAFF}, places={DIRECT_PLACE})
def dashboard_link(ctx: Context) -> None:
    if ctx.member is None or ctx.member.id is None:
        return  # staff are members: nothing to answer without one
    token = dashboard.create_login(ctx.session, ctx.member.id, ctx.now)
    url = ctx.site.public_url(f"dashboard/login/{token}")
    ctx.say("dashboard.link", minutes=dashboard.LINK_MINUTES, url=url)
