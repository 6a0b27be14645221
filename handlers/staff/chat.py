"""Staff groups: /staff here makes a group one (it receives the weekly digest), /staff off stops it."""
from __future__ import annotations

from community import digest
from community.members import STAFF
from handlers.context import GROUP_PLACE, Context
from handlers.router import ChatRoutes

chat = ChatRoutes("staff")


@chat.command("staff here", roles={STAFF}, places={GROUP_PLACE})
def staff_here(ctx: Context) -> None:
    if digest.make_staff_space(ctx.session, ctx.inbound.place, ctx.now, name=ctx.inbound.place_name):
        ctx.say("staff.here")
    else:
        ctx.say("staff.already")


@chat.command("staff off", roles={STAFF}, places={GROUP_PLACE})
def staff_off(ctx: Context) -> None:
    digest.stop_staff_space(ctx.session, ctx.inbound.place, ctx.now)
    ctx.say("staff.off")
