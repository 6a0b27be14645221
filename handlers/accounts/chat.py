"""/link: a one-time code on one platform, sent with /link on the other, makes both accounts one member; /link
alone also lists the member's accounts, and /link remove PLATFORM takes one out. And the staff notice when a platform
refuses the bot for lack of a permission (PERMISSION_MISSING, reported by the Discord adapter)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import col

from community import linking
from community.event_jobs import notify_staff
from community.messages import PERMISSION_MISSING
from community.privacy import Forget
from community.problems import Problem
from community.texts import has, is_word, t
from handlers.context import DIRECT_PLACE, Context
from handlers.router import ChatRoutes
from storage.db import id_of
from storage.models import Member
from storage.models.linking import LinkCode

chat = ChatRoutes("accounts")
MINUTES = int(linking.LIFETIME.total_seconds() // 60)


def platform_name(lang: str, platform: str) -> str:
    key = f"link.platform.{platform}"
    return t(lang, key) if has(key) else platform


def _member(ctx: Context) -> Member:
    if ctx.member is None:
        raise ValueError("a command without a sender")
    return ctx.member


@chat.command("link", places={DIRECT_PLACE})
def link_command(ctx: Context) -> None:
    words = ctx.args.split()
    if not words:
        show_accounts_and_code(ctx)
    elif is_word("link.remove", words[0]):
        remove(ctx, words[1:])
    else:
        keep = linking.redeem(ctx.session, words[0], _member(ctx), ctx.inbound.platform, ctx.now)
        ctx.member = keep
        names = _names(ctx, keep)
        ctx.say("link.done", platforms=names)


def _names(ctx: Context, member: Member) -> str:
    accounts = linking.accounts(ctx.session, id_of(member))
    return ctx.t("event.name_separator").join(platform_name(ctx.lang, a.platform) for a in accounts)


def show_accounts_and_code(ctx: Context) -> None:
    me = _member(ctx)
    code = linking.new_code(ctx.session, me, ctx.inbound.platform, ctx.now)
    lines = [ctx.t("link.accounts", platforms=_names(ctx, me))]
    lines.append(ctx.t("link.code", code=code, minutes=MINUTES, others=ctx.t("link.other_apps")))
    accounts = linking.accounts(ctx.session, id_of(me))
    if len(accounts) > 1:
        lines.append(ctx.t("link.remove_hint", platform=accounts[-1].platform))
    ctx.reply("\n".join(lines))


def remove(ctx: Context, words: list[str]) -> None:
    if len(words) != 1:
        raise Problem("link.remove_which")
    platform = words[0].strip().lower()
    linking.unlink(ctx.session, _member(ctx), platform, ctx.now)
    ctx.say("link.removed", platform=platform_name(ctx.lang, platform))


def erase(forget: Forget) -> dict[str, int]:
    forget.session.execute(delete(LinkCode).where(col(LinkCode.member_id) == forget.member.id))
    return {}


# ---- a platform refused the bot for lack of a permission -----------------------------------------------------------


@chat.on(PERMISSION_MISSING)
def permission_missing(ctx: Context) -> None:
    permission = ctx.inbound.text or ""
    what = ctx.inbound.postback_data or "other"

    def compose(lang: str) -> str:
        name_key, what_key = f"permission.name.{permission}", f"permission.what.{what}"
        name = t(lang, name_key) if has(name_key) else permission
        step = t(lang, what_key) if has(what_key) else t(lang, "permission.what.other")
        return t(lang, "permission.missing", permission=name, what=step)

    notify_staff(ctx.session, ctx.postbox, compose)
