"""Childcare commands: staff hand out the app's QR card at a touchpoint, parents opt in to checkup notices,
the 子育て広場 survey, and this year's figures for staff."""
from __future__ import annotations

import unicodedata

from community import childcare, members
from community.messages import DIRECT, POSTBACK, Action, OutboundMessage, Text
from community.texts import t
from handlers.router import DIRECT_PLACE, GROUP_PLACE, Context, Router, UsageError
from sqlmodel import select
from storage.models import PlatformAccount

STAFF_ONLY = {members.STAFF}


def register(router: Router) -> None:
    @router.command("touchpoint", summary=("子育てアプリのQRコードを配る", "hand out the childcare app QR code"),
                    usage="/touchpoint ID [@メンバー]", roles=STAFF_ONLY, places={GROUP_PLACE})
    def touchpoint_command(ctx: Context) -> None:
        words = ctx.args.split()
        touchpoint = ctx.city.touchpoint(words[0]) if words else None
        if touchpoint is None:
            raise UsageError(ctx.t("touchpoint.unknown", id=(words[0] if words else "")[:40],
                                   ids=childcare.valid_ids_text(ctx.city)))
        card = childcare.qr_card(ctx.site, touchpoint)
        platform = ctx.inbound.platform
        recipients = [mention.user_id for mention in ctx.inbound.mentions]
        if not recipients:
            ctx.postbox.push(platform, ctx.inbound.place.id, card)
            childcare.record_push(ctx.session, touchpoint.id, ctx.now, platform=platform, how="group")
            ctx.say("touchpoint.sent_group", name=touchpoint.name)
            return
        sent = blocked = 0
        for user_id in dict.fromkeys(recipients):
            account = _account(ctx, platform, user_id)
            if account is not None and not account.followed:
                blocked += 1
                continue
            member = members.find_member(ctx.session, platform, user_id)
            messages: list[OutboundMessage] = [card]
            if touchpoint.id == "kosodate-hiroba":
                messages.append(_survey_invitation(member.lang if member else "ja"))
            ctx.postbox.push(platform, user_id, *messages)
            childcare.record_push(ctx.session, touchpoint.id, ctx.now, platform=platform, how="direct",
                                  member_public_id=member.public_id if member else None)
            sent += 1
        answer = [ctx.t("touchpoint.sent_people", name=touchpoint.name, count=sent)]
        if blocked:
            answer.append(ctx.t("touchpoint.unreachable", count=blocked))
        ctx.reply("\n".join(answer))

    @router.command("child", summary=("健診のお知らせを受け取る（お子さんの生年月日を登録）",
                                      "get checkup notices (register a child's birth date)"),
                    usage="/child YYYY-MM-DD | /child list | /child stop", places={DIRECT_PLACE}, aliases=("子ども",))
    def child_command(ctx: Context) -> None:
        argument = ctx.args.strip()
        if ctx.member is None:  # no sender id (never for a 1:1 chat): nobody to register
            return
        if argument.lower() in ("stop", "停止", "やめる"):
            count = childcare.opt_out(ctx.session, ctx.member.id)
            ctx.say("child.stopped", count=count)
            return
        if argument.lower() in ("list", "一覧", ""):
            children = childcare.children_of(ctx.session, ctx.member.id)
            if not children:
                ctx.say("child.none" if argument else "child.usage", days=childcare.notice_days(ctx.city))
                return
            lines = [ctx.t("child.list_line", date=c.born_on.isoformat(), next=_next_text(ctx, c.born_on))
                     for c in children]
            ctx.say("child.list", lines="\n".join(lines))
            return
        born_on = childcare.parse_date(argument)
        if born_on is None:
            raise UsageError(ctx.t("child.bad_date", text=argument[:20]))
        problem = childcare.date_problem(born_on, ctx.now.date())
        if problem:
            raise UsageError(ctx.t(problem, date=born_on.isoformat()))
        try:
            childcare.add_child(ctx.session, ctx.member, born_on, ctx.now, ctx.inbound.platform)
        except childcare.ChildcareError as exc:
            raise UsageError(ctx.t(exc.key, **exc.values)) from None
        ctx.say("child.added", date=born_on.isoformat(), days=childcare.notice_days(ctx.city),
                next=_next_text(ctx, born_on))

    @router.command("hiroba", summary=("子育て広場のアンケートに答える", "answer the parenting plaza survey"),
                    usage="/hiroba [広場の名前]", aliases=("広場",))
    def hiroba_command(ctx: Context) -> None:
        wanted = ctx.args.strip()
        if ctx.member is None:
            return
        if not wanted:
            _start_or_choose(ctx)
            return
        plaza = childcare.find_plaza(ctx.city, wanted)
        if plaza is None:
            raise UsageError(ctx.t("hiroba.unknown_plaza", plaza=wanted[:40],
                                   plazas="、".join(childcare.plazas(ctx.city))))
        _start(ctx, plaza)

    @router.command("childcare stats", summary=("子育てアプリの今年度の数字", "childcare app figures this fiscal year"),
                    roles=STAFF_ONLY)
    def stats_command(ctx: Context) -> None:
        ctx.reply(childcare.stats_text(ctx.session, ctx.site, ctx.now, ctx.lang))

    @router.on(POSTBACK)
    def on_postback(ctx: Context) -> None:
        data = ctx.inbound.postback_data or ""
        if not data.startswith("hiroba:") or ctx.member is None:
            return
        parts = data.split(":")
        if parts[1:] == ["start"]:
            _start_or_choose(ctx)
        elif len(parts) == 3 and parts[1] == "plaza":
            names = childcare.plazas(ctx.city)
            index = int(parts[2]) if parts[2].isdigit() else -1
            if 0 <= index < len(names):
                _start(ctx, names[index])
            else:
                _survey_say(ctx, Text(ctx.t("hiroba.stale")))
        elif len(parts) == 3 and parts[1] in ("ease", "again"):
            _answer(ctx, parts[1], parts[2])
        elif parts[1:] == ["skip"]:
            _answer(ctx, "comment", None)

    @router.on_chat
    def survey_comment(ctx: Context) -> bool:
        """The message after the last survey question is its free comment."""
        if ctx.inbound.place.kind != DIRECT or ctx.member is None:
            return False
        survey = childcare.open_survey(ctx.session, ctx.member.id, ctx.now)
        if survey is None or childcare.survey_step(survey) != "comment":
            return False
        text = ctx.inbound.text or ""
        skipped = unicodedata.normalize("NFKC", text).strip().lower() in ("スキップ", "skip", "なし")
        _answer(ctx, "comment", None if skipped else text)
        return True


def _account(ctx: Context, platform: str, user_id: str) -> PlatformAccount | None:
    return ctx.session.exec(select(PlatformAccount).where(
        PlatformAccount.platform == platform, PlatformAccount.platform_user_id == user_id)).first()


def _next_text(ctx: Context, born_on) -> str:
    upcoming = childcare.next_checkup(ctx.city, born_on, ctx.now.date())
    if upcoming is None:
        return ctx.t("child.no_next")
    touchpoint, day = upcoming
    return ctx.t("child.next", name=touchpoint.name, date=day.isoformat())


def _survey_invitation(lang: str) -> Text:
    return Text(t(lang, "hiroba.invite"), quick_replies=(Action(label=t(lang, "hiroba.invite_button"),
                                                                data="hiroba:start"),))


def _survey_say(ctx: Context, *messages: OutboundMessage) -> None:
    """Survey questions go to the parent's 1:1 chat, even when the survey was started from a group."""
    if ctx.inbound.place.kind == DIRECT or not ctx.inbound.sender_id:
        ctx.reply(*messages)
    else:
        ctx.postbox.push(ctx.inbound.platform, ctx.inbound.sender_id, *messages)


def _start_or_choose(ctx: Context) -> None:
    names = childcare.plazas(ctx.city)
    if len(names) == 1:
        _start(ctx, names[0])
        return
    _survey_say(ctx, Text(ctx.t("hiroba.choose"), quick_replies=tuple(childcare.plaza_choices(ctx.city))))


def _start(ctx: Context, plaza: str) -> None:
    childcare.start_survey(ctx.session, ctx.member.id, plaza, ctx.now)
    choices = tuple(Action(label=str(n), data=f"hiroba:ease:{n}") for n in range(1, 6))
    _survey_say(ctx, Text(ctx.t("hiroba.q_ease", plaza=plaza), quick_replies=choices))


def _answer(ctx: Context, step: str, value: str | None) -> None:
    survey = childcare.open_survey(ctx.session, ctx.member.id, ctx.now)
    try:
        if survey is None:
            raise childcare.ChildcareError("hiroba.stale")
        childcare.answer_survey(ctx.session, survey, step, value, ctx.now)
    except childcare.ChildcareError as exc:
        _survey_say(ctx, Text(ctx.t(exc.key, **exc.values)))
        return
    if step == "ease":
        choices = tuple(Action(label=ctx.t(f"hiroba.again.{c}"), data=f"hiroba:again:{c}")
                        for c in childcare.AGAIN_CHOICES)
        _survey_say(ctx, Text(ctx.t("hiroba.q_again"), quick_replies=choices))
    elif step == "again":
        skip = (Action(label=ctx.t("hiroba.skip"), data="hiroba:skip"),)
        _survey_say(ctx, Text(ctx.t("hiroba.q_comment"), quick_replies=skip))
    else:
        _survey_say(ctx, Text(ctx.t("hiroba.thanks")))
