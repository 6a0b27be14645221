"""Commands and events every deployment has: /help, /lang, greetings on follow and join, unfollow and leave."""
from __future__ import annotations

from community.messages import FOLLOW, JOIN, LEAVE, UNFOLLOW, Action, Text
from community.privacy import forget_member
from community.spaces import mark_bot_present
from handlers.router import DIRECT_PLACE, Context, Router, UsageError
from sqlmodel import select
from storage.models import PlatformAccount


def register(router: Router) -> None:
    @router.command("help", summary=("使えるコマンドの一覧", "list the commands you can use"),
                    usage="/help [コマンド名]", aliases=("ヘルプ", "使い方", "?"))
    def help_command(ctx: Context) -> None:
        wanted = ctx.args.lstrip("/").strip().lower()
        visible = router.visible_commands(ctx.roles, ctx.place_kind)
        if wanted:
            match = next((c for c in visible if c.name == wanted or wanted in c.aliases), None)
            if match is None:
                raise UsageError(ctx.t("unknown", name="/" + wanted[:20]))
            summary = match.summary[1] if ctx.lang == "en" else match.summary[0]
            ctx.reply(f"/{match.name}: {summary}\n" + ctx.t("help.usage", usage=match.usage))
            return
        lines = [ctx.t("help.header")]
        for cmd in visible:
            summary = cmd.summary[1] if ctx.lang == "en" else cmd.summary[0]
            lines.append(f"/{cmd.name} … {summary}")
        lines.append(ctx.t("help.footer"))
        ctx.reply("\n".join(lines))

    @router.command("lang", summary=("表示言語を変える (ja / en)", "change language (ja / en)"),
                    usage="/lang ja|en", aliases=("言語",))
    def lang_command(ctx: Context) -> None:
        choice = ctx.args.strip().lower()
        if choice not in ("ja", "en") or ctx.member is None:
            raise UsageError(ctx.t("lang.usage"))
        ctx.member.lang = choice
        ctx.session.add(ctx.member)
        ctx.say("lang.set")

    @router.command("forget-me", summary=("自分のデータを削除する", "delete your data"),
                    usage="/forget-me", places={DIRECT_PLACE}, aliases=("データ削除",))
    def forget_me(ctx: Context) -> None:
        answer = ctx.args.strip().lower()
        if not answer:
            ctx.reply(Text(ctx.t("forget.ask"), quick_replies=(
                Action(label=ctx.t("forget.yes"), text="/forget-me confirm"),
                Action(label=ctx.t("forget.no"), text="/forget-me cancel"),
            )))
        elif answer == "confirm" and ctx.member is not None:
            mirrored_on = ("discord",) if ctx.settings.discord_enabled else ()
            forget_member(ctx.session, ctx.member.id, ctx.now, ctx.postbox, mirrored_on)
            ctx.say("forget.done")
        elif answer == "cancel":
            ctx.say("forget.cancelled")
        else:
            raise UsageError(ctx.t("forget.usage"))

    @router.on(FOLLOW)
    def on_follow(ctx: Context) -> None:
        _set_followed(ctx, True)
        ctx.reply(Text(ctx.t("follow", city=ctx.city.name, bot=ctx.city.bot_name)))

    @router.on(UNFOLLOW)
    def on_unfollow(ctx: Context) -> None:
        # A blocked bot cannot push; remember it so the outbox does not try.
        _set_followed(ctx, False)

    @router.on(JOIN)
    def on_join(ctx: Context) -> None:
        mark_bot_present(ctx.session, ctx.inbound.place, ctx.now, True, ctx.inbound.place_name)
        place = f"「{ctx.inbound.place_name}」" if ctx.inbound.place_name else "このグループ"
        ctx.reply(Text(ctx.t("join", place=place, bot=ctx.city.bot_name)))

    @router.on(LEAVE)
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
