"""Staff groups: /staff here makes a group one (it receives the weekly digest), /staff off stops it. The audit log of
staff actions: /audit shows the newest entries in a 1:1 chat, `/audit more` or `/audit 3` older ones."""

from __future__ import annotations

from community import audit, digest
from community.members import STAFF
from community.messages import Action, Text
from community.problems import Problem
from community.texts import fold, is_word
from handlers import dialogues
from handlers.context import DIRECT_PLACE, GROUP_PLACE, Context
from handlers.router import ChatRoutes

AUDIT_PAGE = "audit:page:{page:int}"

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


# ---- the audit log ----------------------------------------------------------------------------------------------


@chat.command("audit", roles={STAFF}, places={DIRECT_PLACE})
def audit_log(ctx: Context) -> None:
    """Read only: no command changes or deletes an entry."""
    word = fold(ctx.args)
    if not word:
        _show_audit(ctx, 1)
    elif is_word("audit.more", word):
        _show_audit(ctx, _next_page(ctx))
    elif word.isascii() and word.isdigit() and len(word) <= 6:
        _show_audit(ctx, max(1, int(word)))
    else:
        raise Problem("audit.bad_page")


@chat.postback(AUDIT_PAGE)
def audit_page_pressed(ctx: Context, page: int) -> None:
    if not ctx.is_staff or ctx.place_kind != DIRECT_PLACE:
        return  # a stale button in the hands of someone who is no longer staff: nothing to show
    _show_audit(ctx, max(1, page))


def _next_page(ctx: Context) -> int:
    """The page after the one last shown here: its "more" button says which (page 2 without one)."""
    if ctx.member is not None and ctx.member.id is not None:
        state = dialogues.current(ctx.session, ctx.member.id, ctx.now)
        choice = dialogues.match_choice(state, ctx.t("audit.more_button")) if state is not None else None
        data = choice[1] if choice is not None else None
        prefix = AUDIT_PAGE.split("{", 1)[0]
        if data and data.startswith(prefix) and data[len(prefix) :].isdigit():
            return int(data[len(prefix) :])
    return 2


def _show_audit(ctx: Context, number: int) -> None:
    found = audit.page(ctx.session, number)
    if not found.total:
        ctx.say("audit.empty")
        return
    if not found.lines:
        ctx.say("audit.no_such_page", page=number, last=found.last)
        return
    first = (found.number - 1) * audit.PAGE_SIZE + 1
    lines = [ctx.t("audit.header", first=first, last=first + len(found.lines) - 1, total=found.total)]
    for line in found.lines:
        shown = audit.shown(line, ctx.lang, ctx.site.tz)
        lines.append(
            ctx.t(
                "audit.line",
                when=shown.when,
                actor=shown.actor,
                action=shown.action,
                target=f" {shown.target}" if shown.target else "",
                detail=f" ({shown.detail})" if shown.detail else "",
            )
        )
    if found.number < found.last:
        lines.append(ctx.t("audit.more_hint", next=found.number + 1))
        more = Action(label=ctx.t("audit.more_button"), data=AUDIT_PAGE.replace("{page:int}", str(found.number + 1)))
        ctx.reply(Text("\n".join(lines), quick_replies=(more,)))
    else:
        ctx.reply("\n".join(lines))
