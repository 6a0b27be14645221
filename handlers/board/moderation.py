"""Staff on the board: hiding a post (from every surface, the forum copy too) and bringing it back, and the city's
questions to residents (/voice new) with their answers read together (/voice results)."""
from __future__ import annotations

from community import board, board_mirror, board_views, members
from community.problems import Problem
from handlers.board.chat import chat, config, local_time, me, my_id, number
from handlers.context import Context

RESULTS_MAX_CHARS = 4800  # one chat message; the rest is on the web board
RESULTS_CUT_AT = 4790
RESULTS_MAX_ANSWERS = 200


@chat.command("hide", roles={members.STAFF})
def hide(ctx: Context) -> None:
    post = board.set_hidden(ctx.session, number(ctx.args, "post"), my_id(ctx), ctx.now, True)
    for platform in ctx.site.mirrors:
        board_mirror.unmirror_post(ctx.postbox, platform, board.id_of(post))
    ctx.say("board.hidden", id=post.id)


@chat.command("restore", roles={members.STAFF})
def restore(ctx: Context) -> None:
    post = board.set_hidden(ctx.session, number(ctx.args, "post"), my_id(ctx), ctx.now, False)
    for platform in ctx.site.mirrors:
        board_mirror.mirror_post(ctx.session, ctx.postbox, platform, config(ctx), post)
    ctx.say("board.restored", id=post.id)


@chat.command("voice new", roles={members.STAFF})
def voice_new(ctx: Context) -> None:
    question = ctx.args.strip()
    if not question:
        raise Problem("board.question_missing")
    thread = board.open_thread(ctx.session, config(ctx), me(ctx), "", question, ctx.now, official=True)
    for platform in ctx.site.mirrors:
        board_mirror.mirror_thread(ctx.session, ctx.postbox, platform, thread)
    ctx.say("board.question_opened", id=thread.id, title=thread.title)


@chat.command("voice results", roles={members.STAFF})
def voice_results(ctx: Context) -> None:
    thread = board.get_thread(ctx.session, number(ctx.args, "question"))
    if not thread.official:
        raise Problem("board.not_a_question", id=thread.id, with_usage=False)
    answers, total = board_views.thread_posts(ctx.session, config(ctx), board.id_of(thread), 1, RESULTS_MAX_ANSWERS,
                                              ctx.lang)
    lines = [ctx.t("board.results_header", id=thread.id, title=thread.title), ctx.t("board.results_count", total=total)]
    lines += [ctx.t("board.results_line", n=i, author=a.author, when=local_time(ctx, a.created_at), text=a.text)
              for i, a in enumerate(answers, 1)]
    text = "\n".join(lines)
    ctx.reply(text if len(text) <= RESULTS_MAX_CHARS else text[:RESULTS_CUT_AT] + ctx.t("board.results_more"))
