"""Staff accounts without a restart (issue 15): a staff admin (the ADMIN_* ids) uses `/staff add @someone` and
`/staff remove @someone` (a LINE or Discord mention, `@name` on the console, or a public id `m-…`); staff read
`/staff list`. Every change is in the audit log (community.staff_accounts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, select

from community import members, staff_accounts
from community.members import ADMIN, STAFF
from community.problems import Problem
from handlers.context import Context
from handlers.staff.chat import chat
from storage.models import Member

PUBLIC_ID_PREFIX = "m-"
Change = Callable[[Session, Member, Member | None, datetime], bool]  # False: nothing to change for that person


def _named(ctx: Context) -> list[Member]:
    """The members a command names: its mentions (the name they show is kept for lists), else public ids."""
    found: list[Member] = []
    for mention in ctx.inbound.mentions:
        member = members.get_or_create_member(ctx.session, ctx.inbound.platform, mention.user_id, ctx.now)
        name = mention.text.lstrip("@\uff20").strip()
        if name and not member.display_name:
            member.display_name = name[:40]
            ctx.session.add(member)
        found.append(member)
    if not found:
        for word in ctx.args.split():
            if not word.lower().startswith(PUBLIC_ID_PREFIX):
                continue
            named = ctx.session.exec(select(Member).where(Member.public_id == word.lower())).first()
            if named is None:
                raise Problem("staff.no_such_member", id=word[:20])
            found.append(named)
    if not found:
        raise Problem("staff.who")
    return list({m.id: m for m in found}.values())


def _names(ctx: Context, people: list[Member]) -> str:
    return ctx.t("list.separator").join(m.display_name or m.public_id for m in people)


@chat.command("staff add", roles={ADMIN})
def staff_add(ctx: Context) -> None:
    _change(ctx, staff_accounts.add, done="staff.added", unchanged="staff.already_staff")


@chat.command("staff remove", roles={ADMIN})
def staff_remove(ctx: Context) -> None:
    _change(ctx, staff_accounts.remove, done="staff.removed", unchanged="staff.not_staff")


def _change(ctx: Context, change: Change, done: str, unchanged: str) -> None:
    """Add or remove each person named; the reply says whom it changed and whom it did not."""
    people = _named(ctx)
    changed = [m for m in people if change(ctx.session, m, ctx.member, ctx.now)]
    left = [m for m in people if m.id not in {c.id for c in changed}]
    lines = []
    if changed:
        lines.append(ctx.t(done, names=_names(ctx, changed)))
    if left:
        lines.append(ctx.t(unchanged, names=_names(ctx, left)))
    ctx.reply("\n".join(lines))


@chat.command("staff list", roles={STAFF})
def staff_list(ctx: Context) -> None:
    found = staff_accounts.listing(ctx.session)
    lines = [ctx.t("staff.list_header", count=len(found))]
    for line in found:
        admin = ctx.t("staff.admin_mark") if line.admin else ""
        if line.name == line.public_id:  # no name the bot knows: the public id once
            lines.append(ctx.t("staff.list_line_id", public_id=line.public_id, admin=admin))
        else:
            lines.append(ctx.t("staff.list_line", name=line.name, public_id=line.public_id, admin=admin))
    ctx.reply("\n".join(lines))
