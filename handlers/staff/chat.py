"""Staff commands: /donate (everyone's referral link), /staff here|off (bind a staff group), /digest, /dashboard."""
from __future__ import annotations

from community import digest, kpi, referrals
from community.members import STAFF
from community.messages import Action, Card
from community.spaces import get_or_create_space
from handlers.router import DIRECT_PLACE, GROUP_PLACE, Context, Router, UsageError

STAFF_ONLY = {STAFF}


def register(router: Router) -> None:
    @router.command("donate", summary=("ふるさと納税で応援する（あなた専用の紹介リンク）",
                                       "support the city with furusato nozei (your referral link)"),
                    places={DIRECT_PLACE}, aliases=("寄附", "ふるさと納税"))
    def donate(ctx: Context) -> None:
        if ctx.member is None or not ctx.city.donation.url:
            ctx.say("donate.unset")
            return
        code = referrals.create_referral(ctx.session, "member", ctx.member.public_id, ctx.now)
        url = referrals.referral_url(ctx.site, code.code)
        ctx.reply(Card(title=ctx.t("donate.title"), text=ctx.t("donate.text", city=ctx.city.name, url=url),
                       actions=(Action(label=ctx.t("donate.button"), url=url),)))

    @router.command("staff here", summary=("このグループを職員グループにする（週間レポートの送り先）",
                                           "make this group a staff group (gets the weekly digest)"),
                    roles=STAFF_ONLY, places={GROUP_PLACE})
    def staff_here(ctx: Context) -> None:
        space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name)
        if space.purpose == digest.STAFF_PURPOSE:
            ctx.say("staff.already")
            return
        if space.purpose:
            raise UsageError(ctx.t("staff.other_purpose", purpose=space.purpose))
        space.purpose = digest.STAFF_PURPOSE
        ctx.session.add(space)
        ctx.say("staff.here")

    @router.command("staff off", summary=("このグループを職員グループから外す", "stop using this group as a staff group"),
                    roles=STAFF_ONLY, places={GROUP_PLACE})
    def staff_off(ctx: Context) -> None:
        space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now)
        if space.purpose != digest.STAFF_PURPOSE:
            raise UsageError(ctx.t("staff.not_staff_space"))
        space.purpose = ""
        ctx.session.add(space)
        ctx.say("staff.off")

    @router.command("digest", summary=("週間レポートを今すぐ受け取る", "get the weekly digest now"),
                    roles=STAFF_ONLY, aliases=("レポート",))
    def digest_now(ctx: Context) -> None:
        messages = digest.build(ctx.session, ctx.site, ctx.now).messages()
        if ctx.place_kind == DIRECT_PLACE:
            ctx.reply(*messages)
            return
        space = get_or_create_space(ctx.session, ctx.inbound.place, ctx.now)
        if space.purpose == digest.STAFF_PURPOSE:
            ctx.reply(*messages)
        elif ctx.member is not None and ctx.push_member(ctx.member.id, *messages):
            # KPIs are for staff: in any other group they go to the asker privately.
            ctx.say("digest.sent_direct")
        else:
            ctx.say("digest.no_direct")

    @router.command("dashboard", summary=("職員ダッシュボードのログインリンクを受け取る", "get a staff dashboard login link"),
                    roles=STAFF_ONLY, places={DIRECT_PLACE}, aliases=("ダッシュボード",))
    def dashboard(ctx: Context) -> None:
        token = kpi.create_dashboard_login(ctx.session, ctx.member.id, ctx.now)
        url = ctx.site.public_url(f"dashboard/login/{token}")
        ctx.say("dashboard.link", minutes=kpi.DASHBOARD_LINK_MINUTES, url=url)
