"""What every deployment answers: /help, /lang, /forget-me, greetings on follow and join, unfollow and leave."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from community.messages import FOLLOW, JOIN, LEAVE, UNFOLLOW, Action, Text
from community.privacy import forget_member
from community.problems import Problem
from community.spaces import mark_bot_present
from community.texts import fold, is_word
from handlers.context import DIRECT_PLACE, Context
from handlers.router import ChatRoutes
from storage.db import as_utc, id_of
from storage.models import PlatformAccount

chat = ChatRoutes("core")


@chat.command("help")
def help_command(ctx: Context) -> None:
    """Exactly the commands the asker may use where they ask; `/help NAME` explains any command."""
    assert ctx.router is not None
    wanted = ctx.args.strip()
    if wanted:
        ctx.reply(_explain(ctx, wanted))
        return
    visible = ctx.router.visible_commands(ctx.roles, ctx.place_kind)
    lines = [ctx.t("help.header")]
    lines += [f"/{cmd.name} … {cmd.summary_in(ctx.lang)}" for cmd in visible]
    lines.append(ctx.t("help.footer"))
    ctx.reply("\n".join(lines))


def _explain(ctx: Context, wanted: str) -> str:
    """What a command does, who may use it and where, and whether the asker may use it here."""
    assert ctx.router is not None
    command, _, _ = ctx.router.find("/" + wanted.lstrip("/\uff0f"))
    if command is None:
        raise Problem("unknown", name="/" + wanted.lstrip("/")[:20])
    separator = ctx.t("list.separator")
    who = separator.join(ctx.t(f"role.{role}") for role in sorted(command.roles))
    where = ctx.t("help.where." + "+".join(sorted(command.places)))
    lines = [
        f"/{command.name}: {command.summary_in(ctx.lang)}",
        ctx.t("help.usage", usage=command.usage_in(ctx.lang)),
        ctx.t("help.who", who=who),
        ctx.t("help.where", where=where),
    ]
    if not ctx.router.allowed(command, ctx.roles):
        lines.append(ctx.t("help.not_for_you"))
    elif ctx.place_kind not in command.places:
        lines.append(ctx.t("help.not_here"))
    return "\n".join(lines)


@chat.command("lang")
def lang_command(ctx: Context) -> None:
    choice = ctx.args.strip().lower()
    if choice not in ("ja", "en") or ctx.member is None:
        raise Problem("lang.usage")
    ctx.member.lang = choice
    ctx.session.add(ctx.member)
    ctx.say("lang.set")


@chat.command("forget-me", places={DIRECT_PLACE})
def forget_me(ctx: Context) -> None:
    answer = ctx.args.strip().lower()
    if not answer:
        ctx.reply(
            Text(
                ctx.t("forget.ask"),
                quick_replies=(
                    Action(label=ctx.t("forget.yes"), text="/forget-me confirm", means="yes"),
                    Action(label=ctx.t("forget.no"), text="/forget-me cancel", means="no"),
                ),
            )
        )
    elif answer == "confirm" and ctx.member is not None:
        forget_member(ctx.session, id_of(ctx.member), ctx.now, ctx.postbox, ctx.site)
        ctx.say("forget.done")
    elif answer == "cancel":
        ctx.say("forget.cancelled")
    else:
        raise Problem("forget.usage")


@chat.on(FOLLOW)
def on_follow(ctx: Context) -> None:
    _set_followed(ctx, True)
    ctx.reply(Text(ctx.t("follow", city=ctx.city.name, bot=ctx.city.bot_name), quick_replies=main_actions(ctx)))


# ---- someone who does not know what to type ----------------------------------------------------------------------

GREETING_EVERY = timedelta(hours=12)  # at most one greeting per person in this time: the bot must not be chatty

chat.offer("menu.help", text="/help")


@chat.on_unhandled
def greet(ctx: Context) -> None:
    """A plain 1:1 message nothing took ("こんにちは", "/"): a short answer with the main actions, as a reply only
    (replies are free), at most once in a while; "help" / "ヘルプ" typed without the slash is /help."""
    text = ctx.inbound.text or ""
    if is_word("alias.help", text) or fold(text) == "help":
        if ctx.router is not None:
            ctx.router.dispatch_command(ctx, "/help")
        return
    member = ctx.member
    if member is None or (not ctx.inbound.reply_token and ctx.inbound.platform != "console"):
        return
    last = member.greeted_at
    if last is not None and as_utc(ctx.now) - as_utc(last) < GREETING_EVERY:
        return
    member.greeted_at = as_utc(ctx.now)
    ctx.session.add(member)
    ctx.reply(Text(ctx.t("greeting", bot=ctx.city.bot_name), quick_replies=main_actions(ctx)))


def main_actions(ctx: Context) -> tuple[Action, ...]:
    """The enabled features' main actions, in feature order (the help button last)."""
    if ctx.router is None:
        return ()
    entries = sorted(ctx.router.menu, key=lambda entry: entry.label_key == "menu.help")
    return tuple(Action(label=ctx.t(e.label_key), data=e.data, text=e.text) for e in entries)


@chat.on(UNFOLLOW)
def on_unfollow(ctx: Context) -> None:
    # A blocked bot cannot push; remember it so the outbox does not try.
    _set_followed(ctx, False)


@chat.on(JOIN)
def on_join(ctx: Context) -> None:
    mark_bot_present(ctx.session, ctx.inbound.place, ctx.now, True, ctx.inbound.place_name)
    name = ctx.inbound.place_name
    place = ctx.t("join.named_place", name=name) if name else ctx.t("join.this_group")
    ctx.reply(Text(ctx.t("join", place=place, bot=ctx.city.bot_name)))


@chat.on(LEAVE)
def on_leave(ctx: Context) -> None:
    mark_bot_present(ctx.session, ctx.inbound.place, ctx.now, False)


def _set_followed(ctx: Context, followed: bool) -> None:
    if not ctx.inbound.sender_id:
        return
    account = ctx.session.exec(
        select(PlatformAccount).where(
            PlatformAccount.platform == ctx.inbound.platform,
            PlatformAccount.platform_user_id == ctx.inbound.sender_id,
        )
    ).first()
    if account is not None:
        account.followed = followed
        ctx.session.add(account)
