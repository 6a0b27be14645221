"""The 関係人口 community in chat: joining (rules, nickname, relation), the board, posting, reactions, reports,
staff moderation and official questions (/voice). LINE residents use postbacks from the rich menu and cards;
the same flows answer typed commands on Discord and the console.

Postback data (an operator contract with deployed rich menus): community:join|agree|cancel|help|leave,
community:relation:<key>, profile, profile:nickname, board, board:page:<n>, board:thread:<id>[:page:<n>],
board:post:<thread id>, board:reply:<post id>, board:react:<post id>, board:report:<post id>.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import select

from community import board, board_mirror, members
from community.board import BoardError, CommunityConfig
from community.messages import MESSAGE_DELETED, MESSAGE_EDITED, MIRROR_LINKED, POSTBACK, Action, Card, Carousel, Text
from handlers.router import DIRECT_PLACE, Context, Router, UsageError
from storage.db import as_utc
from storage.models import Role

BOARD_PAGE = 9  # threads per carousel (plus a navigation card: LINE allows 12 bubbles)
THREAD_PAGE = 5  # posts per carousel page
CANCEL_WORDS = {"やめる", "キャンセル", "中止", "cancel"}
AGREE_WORDS = {"同意する", "同意", "agree"}


def _cfg(ctx: Context) -> CommunityConfig:
    return CommunityConfig.from_city(ctx.city)


def _local(ctx: Context, moment: datetime) -> str:
    return as_utc(moment).astimezone(ctx.site.tz).strftime("%-m/%-d %H:%M")


def _int(text: str, what: str) -> int:
    text = text.strip().lstrip("#＃")
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise UsageError(f"{what}は数字で指定してください。")
    return int(text)


def _split(args: str, what: str) -> tuple[int, str]:
    head, _, rest = args.strip().partition(" ")
    if not head:
        raise UsageError(f"{what}を指定してください。")
    return _int(head, what), rest.strip()


def _is_staff(ctx: Context) -> bool:
    return members.STAFF in ctx.roles


def _mirrors(ctx: Context) -> tuple[str, ...]:
    """Platforms that keep a copy of the board in a forum of their own (Discord, when it is on)."""
    return ctx.site.mirrors


def _require_participant(ctx: Context) -> None:
    """Posting needs a joined member (or staff, who speak for the city)."""
    if ctx.member is None or (board.active_member(ctx.session, ctx.member.id) is None and not _is_staff(ctx)):
        raise BoardError("投稿するには先にコミュニティに参加してください（メニューの「参加する」か /community join）。")


# ---- what the bot shows ---------------------------------------------------------------------------------------


def _relation_question() -> Text:
    return Text(
        "最後に、まちとの関わりを選んでください。",
        quick_replies=tuple(Action(label=ja, data=f"community:relation:{key}") for key, (ja, _) in board.RELATIONS.items()),
    )


def _start_join(ctx: Context) -> None:
    if ctx.place_kind != DIRECT_PLACE:
        ctx.reply("コミュニティへの参加は、ボットとの1:1トークで「参加する」を押すか /community join と送ってください。")
        return
    if board.active_member(ctx.session, ctx.member.id) is not None:
        ctx.reply("すでにコミュニティに参加しています。/profile で登録内容を確認できます。")
        return
    board.set_state(ctx.session, ctx.member.id, "consent", ctx.now)
    rules = _cfg(ctx).rules
    ctx.reply(Text(
        f"{ctx.city.name}のコミュニティへようこそ！参加の前に、ルールを確認してください。\n\n【ルール】\n{rules}\n\n同意しますか？",
        quick_replies=(Action(label="同意する", data="community:agree"), Action(label="やめる", data="community:cancel")),
    ))


def _agree(ctx: Context) -> None:
    board.set_state(ctx.session, ctx.member.id, "nickname", ctx.now)
    ctx.reply("ありがとうございます。掲示板で使うニックネームを送ってください（本名でなくてかまいません。20文字まで）。")


def _finish_join(ctx: Context, nickname: str, relation: str) -> None:
    cm = board.join(ctx.session, ctx.member, ctx.inbound.platform, nickname, relation, ctx.now)
    board.clear_state(ctx.session, ctx.member.id)
    ctx.reply(Card(
        title=f"ようこそ、{cm.nickname}さん！",
        text="コミュニティに参加しました。掲示板でまちの話題をのぞいてみましょう。",
        actions=(Action(label="掲示板を見る", data="board"),
                 Action(label="Webで見る", url=ctx.site.public_url("/board"))),
    ))


def _board(ctx: Context, page: int) -> None:
    threads, total = board.recent_threads(ctx.session, page, BOARD_PAGE)
    if not threads:
        ctx.reply("まだスレッドがありません。" if page == 1 else "これより前のスレッドはありません。")
        return
    cards = []
    for th in threads:
        mark = "【市からの質問】" if th.official else f"[{th.category}] "
        latest = (th.latest_text[:60] + ("…" if len(th.latest_text) > 60 else "")) if th.latest_text else "まだ投稿がありません"
        actions = [Action(label="読む", data=f"board:thread:{th.id}"), Action(label="投稿する", data=f"board:post:{th.id}")]
        if th.latest_post_id is not None:
            actions.append(Action(label="いいね", data=f"board:react:{th.latest_post_id}"))
        cards.append(Card(title=f"#{th.id} {mark}{th.title}",
                          text=f"{th.post_count}件・最終 {_local(ctx, th.last_post_at)}\n{latest}", actions=tuple(actions)))
    nav = [Action(label="Webで見る", url=ctx.site.public_url("/board"))]
    if page < board.pages(total, BOARD_PAGE):
        nav.insert(0, Action(label="もっと見る", data=f"board:page:{page + 1}"))
    cards.append(Card(title="掲示板", text=f"{page}/{board.pages(total, BOARD_PAGE)}ページ", actions=tuple(nav)))
    ctx.reply(Carousel(cards=tuple(cards), alt="掲示板の新着スレッド"))


def _thread(ctx: Context, thread_id: int, page: int) -> None:
    cfg = _cfg(ctx)
    thread = board.get_thread(ctx.session, thread_id)
    posts, total = board.thread_posts(ctx.session, cfg, thread.id, page, THREAD_PAGE)
    last = board.pages(total, THREAD_PAGE)
    if page > last:
        raise BoardError(f"スレッド #{thread.id} は{last}ページまでです。")
    cards = []
    for post in posts:
        reply = f"↩ #{post.reply_to} への返信\n" if post.reply_to else ""
        likes = f"\n👍 {post.reactions}" if post.reactions else ""
        cards.append(Card(title=f"#{post.id} {post.author}・{_local(ctx, post.created_at)}",
                          text=reply + post.text + likes,
                          actions=(Action(label="いいね", data=f"board:react:{post.id}"),
                                   Action(label="返信する", data=f"board:reply:{post.id}"),
                                   Action(label="通報する", data=f"board:report:{post.id}"))))
    nav = [Action(label="投稿する", data=f"board:post:{thread.id}")]
    if page < last:
        nav.append(Action(label="次のページ", data=f"board:thread:{thread.id}:page:{page + 1}"))
    nav.append(Action(label="Webで見る", url=ctx.site.public_url(f"/board/thread/{thread.id}")))
    summary = f"[{thread.category}] {page}/{last}ページ・{total}件" + ("" if posts else "\nまだ投稿がありません。")
    cards.append(Card(title=f"#{thread.id} {thread.title}", text=summary, actions=tuple(nav)))
    ctx.reply(Carousel(cards=tuple(cards), alt=f"スレッド「{thread.title}」"))


def _post(ctx: Context, thread_id: int, text: str, reply_to: int | None = None) -> None:
    _require_participant(ctx)
    cfg = _cfg(ctx)
    post = board.add_post(ctx.session, cfg, ctx.member, thread_id, text, ctx.now, ctx.inbound.platform,
                          reply_to=reply_to, exempt_from_rate=_is_staff(ctx))
    for platform in _mirrors(ctx):
        board_mirror.mirror_post(ctx.session, ctx.postbox, platform, cfg, post)
    ctx.reply(Text(f"投稿しました（#{post.id}）。",
                   quick_replies=(Action(label="スレッドを見る", data=f"board:thread:{thread_id}"),
                                  Action(label="掲示板", data="board"))))


def _reply(ctx: Context, post_id: int, text: str) -> None:
    parent = board.visible_post(ctx.session, post_id)
    _post(ctx, parent.thread_id, text, reply_to=parent.id)


def _react(ctx: Context, post_id: int) -> None:
    _require_participant(ctx)
    new = board.react(ctx.session, ctx.member, post_id, ctx.now, ctx.inbound.platform)
    ctx.reply(f"#{post_id} にいいねしました👍" if new else f"#{post_id} にはもういいねしています。")


def _report(ctx: Context, post_id: int) -> None:
    post, new = board.report(ctx.session, ctx.member.id, post_id, ctx.now)
    if new:
        staff_ids = ctx.session.exec(select(Role.member_id).where(Role.role == members.STAFF, Role.scope == "")).all()
        note = Text(f"【通報】投稿 #{post.id}（スレッド #{post.thread_id}）\n{post.text[:300]}\n非表示にするには「/hide {post.id}」")
        for staff_id in sorted(set(staff_ids)):
            ctx.push_member(staff_id, note)
    ctx.reply("通報を受け付けました。市の担当者が確認します。ご協力ありがとうございます。")


def _profile(ctx: Context) -> None:
    cm = board.active_member(ctx.session, ctx.member.id)
    if cm is None:
        ctx.reply(Text("まだコミュニティに参加していません。",
                       quick_replies=(Action(label="参加する", data="community:join"),)))
        return
    relation = board.RELATIONS[cm.relation][0]
    ctx.reply(Card(
        title="プロフィール",
        text=f"ニックネーム: {cm.nickname}\nまちとの関わり: {relation}\n参加日: {_local(ctx, cm.joined_at)}\n"
             "保存しているのはこの3つだけです。\n変更: /profile nickname 新しい名前、/profile relation 関わり",
        actions=(Action(label="ニックネームを変える", data="profile:nickname"),
                 Action(label="関わり方を変える", data="profile:relation"),
                 Action(label="退会する", data="community:leave")),
    ))


def _leave(ctx: Context) -> None:
    board.clear_state(ctx.session, ctx.member.id)
    if board.leave(ctx.session, ctx.member.id, ctx.now):
        ctx.reply("コミュニティから退会しました。ニックネームは削除しました。またいつでも参加してください。")
    else:
        ctx.reply("コミュニティには参加していません。")


def _set_relation(ctx: Context, key: str) -> None:
    cm = board.active_member(ctx.session, ctx.member.id)
    if cm is None:
        raise BoardError("まだコミュニティに参加していません。")
    cm.relation = key
    ctx.session.add(cm)
    ctx.reply(f"まちとの関わりを「{board.RELATIONS[key][0]}」にしました。")


def _guide(ctx: Context) -> None:
    ctx.reply(
        f"【{ctx.city.bot_name} の使い方】\n"
        "・メニューの「掲示板」でスレッドを読んで、「投稿する」で書き込めます。\n"
        "・「いいね」で気持ちを伝えられます。困った投稿は「通報する」を押してください。\n"
        "・「プロフィール」でニックネームを変えたり、退会したりできます。\n"
        f"・Webでも読めます: {ctx.site.public_url('/board')}"
    )


# ---- postbacks and the conversation ---------------------------------------------------------------------------

_THREAD_PAGE = re.compile(r"board:thread:(\d{1,9})(?::page:(\d{1,4}))?")


def _on_postback(ctx: Context) -> None:
    data = ctx.inbound.postback_data or ""
    if ctx.member is None or not data.startswith(("community:", "board", "profile")):
        return
    savepoint = ctx.session.begin_nested()
    try:
        _postback(ctx, data)
        savepoint.commit()
    except BoardError as exc:
        savepoint.rollback()
        ctx.reply(str(exc))


def _postback(ctx: Context, data: str) -> None:
    member_id = ctx.member.id
    state = board.get_state(ctx.session, member_id, ctx.now)
    if data == "community:join":
        _start_join(ctx)
    elif data == "community:agree":
        if state is None or state.step != "consent":
            _start_join(ctx)
        else:
            _agree(ctx)
    elif data == "community:cancel":
        board.clear_state(ctx.session, member_id)
        ctx.reply("参加をやめました。気が向いたら、いつでもメニューの「参加する」からどうぞ。")
    elif data.startswith("community:relation:"):
        key = data.rsplit(":", 1)[1]
        if key not in board.RELATIONS:
            return
        if state is not None and state.step == "relation":
            _finish_join(ctx, state.data, key)
        else:
            _set_relation(ctx, key)
    elif data == "community:help":
        _guide(ctx)
    elif data == "community:leave":
        _leave(ctx)
    elif data == "profile":
        _profile(ctx)
    elif data == "profile:nickname":
        if board.active_member(ctx.session, member_id) is None:
            raise BoardError("まだコミュニティに参加していません。")
        board.set_state(ctx.session, member_id, "rename", ctx.now)
        ctx.reply("新しいニックネームを送ってください（20文字まで）。")
    elif data == "profile:relation":
        ctx.reply(_relation_question())
    elif data == "board":
        _board(ctx, 1)
    elif (m := re.fullmatch(r"board:page:(\d{1,4})", data)) and int(m.group(1)) >= 1:
        _board(ctx, int(m.group(1)))
    elif m := _THREAD_PAGE.fullmatch(data):
        _thread(ctx, int(m.group(1)), max(1, int(m.group(2) or 1)))
    elif m := re.fullmatch(r"board:(post|reply|react|report):(\d{1,9})", data):
        action, target = m.group(1), int(m.group(2))
        if action == "react":
            _react(ctx, target)
        elif action == "report":
            _report(ctx, target)
        elif ctx.place_kind != DIRECT_PLACE:
            # The next plain message is taken as the text only in a 1:1 chat, never from a group.
            ctx.reply("書き込みはボットとの1:1トークでどうぞ（メニューの「掲示板」から）。")
        else:
            _require_participant(ctx)
            if action == "post":
                thread = board.get_thread(ctx.session, target)
                question = f"「{thread.title}」に投稿する文章を送ってください。"
            else:
                parent = board.visible_post(ctx.session, target)
                question = f"#{parent.id} への返信を送ってください。"
            board.set_state(ctx.session, member_id, action, ctx.now, str(target))
            ctx.reply(Text(question, quick_replies=(Action(label="やめる", text="やめる"),)))


def _on_chat(ctx: Context) -> bool:
    """A plain message answers what the bot asked last (1:1 only)."""
    if ctx.member is None or ctx.place_kind != DIRECT_PLACE:
        return False
    state = board.get_state(ctx.session, ctx.member.id, ctx.now)
    if state is None:
        return False
    text = (ctx.inbound.text or "").strip()
    if text in CANCEL_WORDS:
        board.clear_state(ctx.session, ctx.member.id)
        ctx.reply("取り消しました。")
        return True
    savepoint = ctx.session.begin_nested()
    try:
        if state.step == "consent":
            if text in AGREE_WORDS:
                _agree(ctx)
            else:
                ctx.reply(Text("ルールに同意する場合は「同意する」を押してください。",
                               quick_replies=(Action(label="同意する", data="community:agree"),
                                              Action(label="やめる", data="community:cancel"))))
        elif state.step in ("nickname", "rename"):
            nickname = board.check_nickname(text)
            if state.step == "nickname":
                board.set_state(ctx.session, ctx.member.id, "relation", ctx.now, nickname)
                ctx.reply(_relation_question())
            else:
                cm = board.active_member(ctx.session, ctx.member.id)
                if cm is not None:
                    cm.nickname = nickname
                    ctx.session.add(cm)
                board.clear_state(ctx.session, ctx.member.id)
                ctx.reply(f"ニックネームを「{nickname}」にしました。")
        elif state.step == "relation":
            key = board.find_relation(text)
            if key is None:
                ctx.reply(_relation_question())
            else:
                _finish_join(ctx, state.data, key)
        elif state.step in ("post", "reply"):
            target = int(state.data)
            board.clear_state(ctx.session, ctx.member.id)
            if state.step == "post":
                _post(ctx, target, text)
            else:
                _reply(ctx, target, text)
        else:
            board.clear_state(ctx.session, ctx.member.id)
            return False
        savepoint.commit()
    except BoardError as exc:
        savepoint.rollback()
        # Keep waiting for a better answer (the state is as it was before this message).
        ctx.reply(str(exc) + "\nもう一度送ってください（やめる場合は「やめる」）。")
    return True


# ---- commands -------------------------------------------------------------------------------------------------


def _guarded(fn):
    """BoardError (a limit, a missing thread) is answered with its own short message, without the usage line,
    and undoes what the handler had changed."""

    def run(ctx: Context) -> None:
        savepoint = ctx.session.begin_nested()
        queued = len(ctx.postbox.items)
        try:
            fn(ctx)
            savepoint.commit()
        except BoardError as exc:
            savepoint.rollback()
            del ctx.postbox.items[queued:]
            ctx.reply(str(exc))

    run.__name__ = fn.__name__
    return run


# ---- the board's forum on another platform (Discord) ----------------------------------------------------------


def _tell_writer(ctx: Context, text: str) -> None:
    """Privately to the person who wrote in the forum: never into the thread everyone reads."""
    if ctx.inbound.sender_id:
        ctx.postbox.push(ctx.inbound.platform, ctx.inbound.sender_id, Text(text))


def _on_forum_message(ctx: Context) -> bool:
    """A message in a thread of the board's forum is a board post (and a new forum thread a board thread). It is
    there already, so it is not copied back."""
    inbound = ctx.inbound
    if inbound.forum_thread is None or not inbound.message_id:
        return False
    savepoint = ctx.session.begin_nested()
    try:
        _require_participant(ctx)
        board_mirror.post_from_platform(ctx.session, _cfg(ctx), ctx.member, inbound.platform, inbound.place.id,
                                        inbound.message_id, inbound.forum_thread, inbound.text, ctx.now,
                                        exempt_from_rate=_is_staff(ctx))
        savepoint.commit()
    except BoardError as exc:
        savepoint.rollback()
        _tell_writer(ctx, f"掲示板には載りませんでした: {exc}")
    return True


def _on_message_edited(ctx: Context) -> None:
    inbound = ctx.inbound
    if not inbound.message_id:
        return
    savepoint = ctx.session.begin_nested()
    try:
        board_mirror.edit_from_platform(ctx.session, _cfg(ctx), ctx.member.id if ctx.member else None,
                                        inbound.platform, inbound.message_id, inbound.text)
        savepoint.commit()
    except BoardError as exc:
        savepoint.rollback()
        _tell_writer(ctx, f"編集は掲示板に反映されませんでした（前の文章のままです）: {exc}")


def _on_message_deleted(ctx: Context) -> None:
    if ctx.inbound.message_id:
        board_mirror.delete_from_platform(ctx.session, ctx.inbound.platform, ctx.inbound.message_id, ctx.now)


def register(router: Router) -> None:
    router.on(POSTBACK)(_on_postback)
    router.on_chat(_on_forum_message)
    router.on_chat(_on_chat)
    router.on(MESSAGE_EDITED)(_on_message_edited)
    router.on(MESSAGE_DELETED)(_on_message_deleted)
    router.on(MIRROR_LINKED)(_on_mirror_linked)

    def command(name: str, summary: tuple[str, str], usage: str, **kwargs):
        def decorator(fn):
            return router.command(name, summary=summary, usage=usage, **kwargs)(_guarded(fn))
        return decorator

    @command("community join", ("コミュニティに参加する", "join the community"), "/community join",
             places={DIRECT_PLACE}, aliases=("参加",))
    def community_join(ctx: Context) -> None:
        _start_join(ctx)

    @command("community leave", ("コミュニティから退会する", "leave the community"), "/community leave",
             places={DIRECT_PLACE}, aliases=("退会",))
    def community_leave(ctx: Context) -> None:
        _leave(ctx)

    @command("profile", ("登録内容を見る・変える", "see or change your profile"),
             "/profile [nickname 新しい名前 | relation 住んでいる/出身・以前住んでいた/訪れたことがある/ファン・応援している]",
             places={DIRECT_PLACE}, aliases=("プロフィール",))
    def profile(ctx: Context) -> None:
        field, _, value = ctx.args.strip().partition(" ")
        if not field:
            _profile(ctx)
            return
        cm = board.active_member(ctx.session, ctx.member.id)
        if cm is None:
            raise BoardError("まだコミュニティに参加していません。/community join で参加できます。")
        if field.lower() in ("nickname", "ニックネーム"):
            cm.nickname = board.check_nickname(value)
            ctx.session.add(cm)
            ctx.reply(f"ニックネームを「{cm.nickname}」にしました。")
        elif field.lower() in ("relation", "関わり"):
            key = board.find_relation(value)
            if key is None:
                raise UsageError("関わり方は「" + "」「".join(ja for ja, _ in board.RELATIONS.values()) + "」から選んでください。")
            _set_relation(ctx, key)
        else:
            raise UsageError("変えられるのは nickname と relation です。")

    @command("board", ("掲示板の新着スレッド", "recent board threads"), "/board [ページ]", aliases=("掲示板",))
    def board_command(ctx: Context) -> None:
        _board(ctx, _int(ctx.args, "ページ") if ctx.args.strip() else 1)

    @command("thread new", ("スレッドを立てる", "open a thread"), "/thread new カテゴリ タイトル")
    def thread_new(ctx: Context) -> None:
        cfg = _cfg(ctx)
        category, _, title = ctx.args.strip().partition(" ")
        if not category or not title.strip():
            raise UsageError(f"カテゴリとタイトルを書いてください。カテゴリ: {'、'.join(cfg.categories)}")
        _require_participant(ctx)
        thread = board.open_thread(ctx.session, cfg, ctx.member, category, title, ctx.now)
        for platform in _mirrors(ctx):
            board_mirror.mirror_thread(ctx.session, ctx.postbox, platform, thread)
        ctx.reply(Text(f"スレッド #{thread.id}「{thread.title}」を立てました。最初の投稿は「/post {thread.id} 本文」でどうぞ。",
                       quick_replies=(Action(label="投稿する", data=f"board:post:{thread.id}"),)))

    @command("thread", ("スレッドを読む", "read a thread"), "/thread 番号 [ページ]")
    def thread_read(ctx: Context) -> None:
        thread_id, rest = _split(ctx.args, "スレッド番号")
        _thread(ctx, thread_id, _int(rest, "ページ") if rest else 1)

    @command("post", ("スレッドに投稿する", "post in a thread"), "/post スレッド番号 本文")
    def post(ctx: Context) -> None:
        thread_id, text = _split(ctx.args, "スレッド番号")
        _post(ctx, thread_id, text)

    @command("reply", ("投稿に返信する", "reply to a post"), "/reply 投稿番号 本文")
    def reply(ctx: Context) -> None:
        post_id, text = _split(ctx.args, "投稿番号")
        _reply(ctx, post_id, text)

    @command("react", ("投稿にいいねする", "like a post"), "/react 投稿番号", aliases=("いいね",))
    def react(ctx: Context) -> None:
        _react(ctx, _int(ctx.args, "投稿番号"))

    @command("report", ("困った投稿を通報する", "report a post"), "/report 投稿番号", aliases=("通報",))
    def report(ctx: Context) -> None:
        _report(ctx, _int(ctx.args, "投稿番号"))

    @command("hide", ("投稿を非表示にする", "hide a post"), "/hide 投稿番号", roles={members.STAFF})
    def hide(ctx: Context) -> None:
        post = board.set_hidden(ctx.session, _int(ctx.args, "投稿番号"), ctx.member.id, ctx.now, True)
        for platform in _mirrors(ctx):
            board_mirror.unmirror_post(ctx.postbox, platform, post.id)
        ctx.reply(f"投稿 #{post.id} を非表示にしました。LINE・Webから見えなくなります。戻すには「/restore {post.id}」。")

    @command("restore", ("非表示の投稿を戻す", "restore a hidden post"), "/restore 投稿番号", roles={members.STAFF})
    def restore(ctx: Context) -> None:
        post = board.set_hidden(ctx.session, _int(ctx.args, "投稿番号"), ctx.member.id, ctx.now, False)
        for platform in _mirrors(ctx):
            board_mirror.mirror_post(ctx.session, ctx.postbox, platform, _cfg(ctx), post)
        ctx.reply(f"投稿 #{post.id} を表示に戻しました。")

    @command("voice new", ("市からの質問を出す（声の募集）", "ask residents a question"), "/voice new 質問",
             roles={members.STAFF})
    def voice_new(ctx: Context) -> None:
        question = ctx.args.strip()
        if not question:
            raise UsageError("質問を書いてください。")
        thread = board.open_thread(ctx.session, _cfg(ctx), ctx.member, "", question, ctx.now, official=True)
        for platform in _mirrors(ctx):
            board_mirror.mirror_thread(ctx.session, ctx.postbox, platform, thread)
        ctx.reply(f"市からの質問 #{thread.id}「{thread.title}」を掲示板に出しました。\n"
                  f"回答のまとめは「/voice results {thread.id}」で見られます。")

    @command("voice results", ("質問への回答をまとめて見る", "see the answers to a question"),
             "/voice results 質問番号", roles={members.STAFF})
    def voice_results(ctx: Context) -> None:
        cfg = _cfg(ctx)
        thread = board.get_thread(ctx.session, _int(ctx.args, "質問番号"))
        if not thread.official:
            raise BoardError(f"#{thread.id} は市からの質問ではありません。")
        answers, total = board.thread_posts(ctx.session, cfg, thread.id, 1, 200)
        lines = [f"【市からの質問 #{thread.id}】{thread.title}", f"回答 {total}件"]
        lines += [f"{i}. {a.author}（{_local(ctx, a.created_at)}）: {a.text}" for i, a in enumerate(answers, 1)]
        text = "\n".join(lines)
        ctx.reply(text if len(text) <= 4800 else text[:4790] + "\n…（続きはWebで）")


def _on_mirror_linked(ctx: Context) -> None:
    """A platform copied a board thread or post (or took a copy down): remember where it lives there."""
    link = ctx.inbound.mirror
    if link is None:
        return
    if link.platform_id:
        board_mirror.set_link(ctx.session, ctx.inbound.platform, link.kind, link.board_id, link.platform_id,
                              link.place_id)
    else:
        board_mirror.drop_link(ctx.session, ctx.inbound.platform, link.kind, link.board_id)
