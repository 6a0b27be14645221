"""The 関係人口 community through the console (same inbox, router and outbox as LINE): joining, posting, safety,
moderation, official questions and the KPI figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from community import board
from community.board import CommunityConfig
from community.messages import POSTBACK
from community.problems import Problem
from community.texts import t
from storage.models import Engagement, Member
from storage.models.community import BoardPost, CommunityMember
from tests.conftest import plain_chat


async def join(chat, nickname="みかん", relation="fan"):
    """The whole join conversation, as a LINE user taps it."""
    [rules] = await chat.say("/community join")
    assert "ルール" in rules and rules.endswith("\n  1) 同意する  2) やめる")
    assert chat.buttons() == [("同意する", "community:agree"), ("やめる", "community:cancel")]
    [ask] = await chat.send(None, kind=POSTBACK, postback="community:agree")
    assert "ニックネーム" in ask
    [relation_question] = await chat.say(nickname)
    assert "4) ファン・応援している" in relation_question
    assert ("ファン・応援している", "community:relation:fan") in chat.buttons()
    [welcome] = await chat.send(None, kind=POSTBACK, postback=f"community:relation:{relation}")
    assert f"ようこそ、{nickname}さん" in welcome
    return welcome


def rows(chat, model, *where):
    with chat.runtime.db.session() as session:
        return session.exec(select(model).where(*where)).all()


async def open_thread(staff_chat, title="花火大会の思い出") -> int:
    [answer] = await staff_chat.say(f"/thread new 地域ネタ {title}")
    assert f"「{title}」を立てました" in answer
    return int(answer.split("#", 1)[1].split("「", 1)[0])


async def test_join_shows_rules_first_and_stores_only_nickname_and_relation(chat):
    await join(chat, nickname="みかん", relation="visitor")
    [member] = rows(chat, CommunityMember)
    assert (member.nickname, member.relation, member.platform, member.left_at) == ("みかん", "visitor", "console", None)
    [joined] = rows(chat, Engagement, Engagement.kind == "member_joined")
    [public_id] = rows(chat, Member.public_id)
    assert (joined.member, joined.space, joined.detail) == (public_id, "community", "visitor")
    [profile] = await chat.say("/profile")
    assert "ニックネーム: みかん" in profile and "訪れたことがある" in profile
    assert await chat.say("/profile nickname すいか") == ["ニックネームを「すいか」にしました。"]
    assert rows(chat, CommunityMember)[0].nickname == "すいか"
    [again] = await chat.say("/community join")
    assert "すでに" in again


async def test_cancel_at_the_rules_joins_nothing(chat):
    await chat.say("/community join")
    [answer] = await chat.send(None, kind=POSTBACK, postback="community:cancel")
    assert "参加をやめました" in answer
    assert plain_chat(await chat.say("みかん"))  # no longer waiting for a nickname
    assert rows(chat, CommunityMember) == []
    assert rows(chat, Engagement) == []


async def test_a_join_under_way_continues_after_a_restart(make_settings):
    """Where a member is in the join dialogue lives in the database: a new process picks it up."""
    from bot.console import ConsoleChat

    settings = make_settings()
    before = ConsoleChat(settings, user="hanako")
    await before.start()
    try:
        await before.say("/community join")
        await before.send(None, kind=POSTBACK, postback="community:agree")
    finally:
        await before.stop()
    after = ConsoleChat(settings, user="hanako")
    await after.start()
    try:
        [question] = await after.say("みかん")
        assert "関わり" in question and "4) ファン・応援している" in question
        [welcome] = await after.say("4")  # the fourth button, typed
        assert "ようこそ、みかんさん" in welcome
        with after.runtime.db.session() as session:
            [member] = session.exec(select(CommunityMember)).all()
        assert (member.nickname, member.relation) == ("みかん", "fan")
    finally:
        await after.stop()


async def test_typed_answers_work_like_the_buttons(chat):
    [rules] = await chat.say("/community join")
    assert "1) 同意する  2) やめる" in rules
    [hint] = await chat.say("うーん")  # not an answer: the question again, with its buttons
    assert "「同意する」を押して" in hint and "1) 同意する" in hint
    [ask] = await chat.say("はい")  # yes presses 同意する
    assert "ニックネーム" in ask
    [question] = await chat.say("みかん")
    assert "関わり" in question
    [again] = await chat.say("宇宙人")  # no such relation: asked again
    assert "1) 住んでいる" in again
    [welcome] = await chat.say("訪れたことがある")  # a button's label
    assert "ようこそ、みかんさん" in welcome
    [ask] = await chat.send(None, kind=POSTBACK, postback="profile:nickname")
    assert "新しいニックネーム" in ask
    assert await chat.say("すいか") == ["ニックネームを「すいか」にしました。"]
    await chat.send(None, kind=POSTBACK, postback="profile:relation")
    assert await chat.say("1") == ["まちとの関わりを「住んでいる」にしました。"]
    [member] = rows(chat, CommunityMember)
    assert (member.nickname, member.relation) == ("すいか", "resident")


async def test_agreeing_can_be_typed_and_no_at_the_rules_cancels(chat):
    await chat.say("/community join")
    [ask] = await chat.say("agree")  # not a button's label, but the word for agreeing
    assert "ニックネーム" in ask
    assert "取り消しました" in (await chat.say("やめる"))[0]
    await chat.say("/community join")
    [answer] = await chat.say("いいえ")  # no presses やめる
    assert "参加をやめました" in answer
    assert plain_chat(await chat.say("みかん"))  # no longer waiting for a nickname
    assert rows(chat, CommunityMember) == []


async def test_bad_nickname_is_asked_again(chat):
    await chat.say("/community join")
    await chat.send(None, kind=POSTBACK, postback="community:agree")
    [answer] = await chat.say("あ" * 21)
    assert "20文字まで" in answer and "もう一度" in answer
    [question] = await chat.say("りんご")
    assert "関わり" in question


async def test_leave_drops_the_nickname_and_posts_show_a_former_member(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    await chat.say(f"/post {thread_id} こんにちは")
    assert "退会しました" in (await chat.say("/community leave"))[0]
    [member] = rows(chat, CommunityMember)
    assert member.nickname is None and member.left_at is not None
    [carousel] = await chat.say(f"/thread {thread_id}")
    assert t("ja", "board.left_member") in carousel and "みかん" not in carousel
    [refused] = await chat.say(f"/post {thread_id} また来ました")
    assert "先にコミュニティに参加" in refused


async def test_member_posts_replies_and_reacts_and_the_log_records_it(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    [posted] = await chat.say(f"/post {thread_id} 去年の花火はきれいでした")
    post_id = int(posted.split("#")[1].split("）")[0])
    [replied] = await chat.say(f"/reply {post_id} 今年も行きます")
    assert "投稿しました" in replied
    assert await chat.say(f"/react {post_id}") == [f"#{post_id} にいいねしました👍"]
    assert "もういいね" in (await chat.say(f"/react {post_id}"))[0]
    [carousel] = await chat.say(f"/thread {thread_id}")
    assert "みかん" in carousel and "去年の花火はきれいでした" in carousel and f"↩ #{post_id} への返信" in carousel
    assert "👍 1" in carousel
    kinds = [(e.kind, e.space, e.detail) for e in rows(chat, Engagement, Engagement.kind != "member_joined")]
    assert kinds == [("post", f"thread:{thread_id}", "地域ネタ")] * 2 + [
        ("reaction", f"thread:{thread_id}", "地域ネタ")
    ]


async def test_post_button_asks_for_the_text_in_the_next_message(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    [board_carousel] = await chat.send(None, kind=POSTBACK, postback="board")
    assert f"board:post:{thread_id}" in [data for _, data in chat.buttons()] and "花火大会の思い出" in board_carousel
    [ask] = await chat.send(None, kind=POSTBACK, postback=f"board:post:{thread_id}")
    assert "投稿する文章を送ってください" in ask
    [posted] = await chat.say("駅前の屋台がおすすめです")
    assert "投稿しました" in posted
    [post] = rows(chat, BoardPost)
    assert (post.thread_id, post.text, post.platform) == (thread_id, "駅前の屋台がおすすめです", "console")
    assert plain_chat(await chat.say("ふつうのおしゃべり"))  # the state is used up


async def test_a_refused_post_text_is_asked_again(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    await chat.send(None, kind=POSTBACK, postback=f"board:reply:{thread_id}")  # no such post yet
    await chat.send(None, kind=POSTBACK, postback=f"board:post:{thread_id}")
    [again] = await chat.say("見てね https://spam.example.com/x")
    assert "リンクは市のサイト" in again and "もう一度送ってください" in again
    assert rows(chat, BoardPost) == []
    [posted] = await chat.say("駅前の屋台がおすすめです")
    assert "投稿しました" in posted
    [post] = rows(chat, BoardPost)
    [replied_ask] = await chat.send(None, kind=POSTBACK, postback=f"board:reply:{post.id}")
    assert f"#{post.id} への返信を送ってください" in replied_ask
    await chat.say("そうですね")
    assert [(p.text, p.reply_to) for p in rows(chat, BoardPost)] == [
        ("駅前の屋台がおすすめです", None),
        ("そうですね", post.id),
    ]


async def test_a_member_who_chose_english_gets_the_board_in_english(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await chat.say("/lang en")
    [rules] = await chat.say("/community join")
    assert "Welcome to the" in rules and "1) Agree  2) Cancel" in rules
    assert "nickname" in (await chat.say("yes"))[0]
    [question] = await chat.say("Mikan")
    assert "4) I am a fan" in question
    [welcome] = await chat.say("I am a fan")
    assert "Welcome, Mikan!" in welcome and "1) Open the board" in welcome
    assert ("Open the board", "board") in chat.buttons()
    [posted] = await chat.say(f"/post {thread_id} Lovely fireworks")
    assert posted.startswith("Posted (#")
    [carousel] = await chat.send(None, kind=POSTBACK, postback="board")
    assert "1) Read  2) Post  3) Like" in carousel and "Page 1/1" in carousel
    [thread] = await chat.send(None, kind=POSTBACK, postback=f"board:thread:{thread_id}")
    assert "1) Like  2) Reply  3) Report" in thread and "page 1/1, 1 posts" in thread
    [profile] = await chat.say("/profile")
    assert "Nickname: Mikan" in profile and "Relation to the town: I am a fan" in profile
    [guide] = await chat.send(None, kind=POSTBACK, postback="community:help")
    assert guide.startswith("[How to use")
    # Errors too: the domain's, the handlers', and an answer the dialogue cannot use.
    assert await chat.say("/thread 999") == ["There is no thread #999."]
    [links] = await chat.say(f"/post {thread_id} see https://spam.example.com/x")
    assert links == "Only links to the city's sites (city.omitama.lg.jp) can be posted."
    [number] = await chat.say("/post abc hello")
    assert number.startswith("The thread number must be a number.\nUsage: /post")
    await chat.send(None, kind=POSTBACK, postback="profile:nickname")
    [again] = await chat.say("a" * 21)
    assert again == 'Nicknames can be up to 20 characters long.\nPlease send it again (or "cancel" to stop).'
    assert await chat.say("cancel") == ["Cancelled."]
    # Staff hear of a report in their own language, whoever reported it.
    post_id = rows(chat, BoardPost)[0].id
    start = len(chat.said)
    await chat.send(None, kind=POSTBACK, postback=f"board:report:{post_id}")
    sent = {target: text for _, target, text in chat.said[start:]}
    assert sent["hanako"].startswith("Thank you for the report") and sent["staff-sato"].startswith("【通報】")
    # Nothing the bot said to this member was Japanese, apart from what people wrote and the city's own words.
    city = chat.settings.city
    city_words = (
        "地域ネタ",
        "花火大会の思い出",
        city.name,
        city.bot_name,
        city.community.rules,
        "/post スレッド番号 本文",
    )
    for _, target, text in chat.said:
        if target == "hanako":
            for allowed in city_words:
                text = text.replace(allowed, "")
            assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), text


async def test_long_threads_page(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    for i in range(7):
        await staff_chat.say(f"/post {thread_id} お知らせ{i + 1}")
    [first] = await chat.send(None, kind=POSTBACK, postback=f"board:thread:{thread_id}")
    assert "お知らせ1" in first and "お知らせ5" in first and "お知らせ6" not in first
    assert ("次のページ", f"board:thread:{thread_id}:page:2") in chat.buttons() and "1/2ページ" in first
    [second] = await chat.send(None, kind=POSTBACK, postback=f"board:thread:{thread_id}:page:2")
    assert "お知らせ6" in second and "お知らせ7" in second and "お知らせ1\n" not in second
    [too_far] = await chat.send(None, kind=POSTBACK, postback=f"board:thread:{thread_id}:page:3")
    assert "2ページまで" in too_far


async def test_rate_limit_per_member(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    limit = CommunityConfig.from_city(chat.settings.city).posts_per_hour
    for i in range(limit):
        assert "投稿しました" in (await chat.say(f"/post {thread_id} 投稿{i}"))[0]
    [refused] = await chat.say(f"/post {thread_id} もう一件")
    assert refused == f"投稿は1時間に{limit}件までです。少し時間をおいてからもう一度どうぞ。"
    assert len(rows(chat, BoardPost)) == limit


@pytest.mark.parametrize(
    "text, message",
    [
        ("   ", "投稿が空です"),
        ("あ" * 1001, "1000文字まで"),
        ("こんにちは\x07", "制御文字"),
        ("見てね https://spam.example.com/x", "city.omitama.lg.jp"),
    ],
)
async def test_content_limits(chat, staff_chat, text, message):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    [refused] = await chat.say(f"/post {thread_id} {text}")
    assert message in refused
    assert rows(chat, BoardPost) == []


async def test_city_links_are_allowed(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    [answer] = await chat.say(f"/post {thread_id} 詳しくは https://www.city.omitama.lg.jp/event/ へ")
    assert "投稿しました" in answer


async def test_hidden_post_vanishes_and_can_be_restored(chat, staff_chat):
    thread_id = await open_thread(staff_chat)
    await join(chat)
    [posted] = await chat.say(f"/post {thread_id} 怪しい勧誘です")
    post_id = int(posted.split("#")[1].split("）")[0])
    start = len(chat.said)
    await chat.send(None, kind=POSTBACK, postback=f"board:report:{post_id}")
    sent = {target: text for _, target, text in chat.said[start:]}
    assert "通報を受け付けました" in sent["hanako"]
    # Staff are told (a push; it went out through this chat's sender, both share the database).
    assert f"/hide {post_id}" in sent["staff-sato"] and "怪しい勧誘です" in sent["staff-sato"]
    [hidden] = await staff_chat.say(f"/hide {post_id}")
    assert f"#{post_id} を非表示" in hidden
    [carousel] = await chat.say(f"/thread {thread_id}")
    assert "怪しい勧誘" not in carousel
    [board_view] = await chat.say("/board")
    assert "怪しい勧誘" not in board_view and f"board:react:{post_id}" not in [data for _, data in chat.buttons()]
    assert "ありません" in (await chat.say(f"/react {post_id}"))[0]
    [forbidden] = await chat.say(f"/hide {post_id}")
    assert "市の職員だけ" in forbidden
    await staff_chat.say(f"/restore {post_id}")
    assert "怪しい勧誘" in (await chat.say(f"/thread {thread_id}"))[0]


async def test_voice_collects_answers_together(chat, staff_chat):
    [created] = await staff_chat.say("/voice new 駅前にほしいお店は？")
    thread_id = int(created.split("#")[1].split("「")[0])
    await join(chat, nickname="たろう")
    await chat.say(f"/post {thread_id} カフェがほしいです")
    [board_view] = await chat.say("/board")
    assert "【市からの質問】駅前にほしいお店は？" in board_view
    [results] = await staff_chat.say(f"/voice results {thread_id}")
    assert "回答 1件" in results and "たろう" in results and "カフェがほしいです" in results
    assert "市の職員だけ" in (await chat.say(f"/voice results {thread_id}"))[0]


async def test_bad_arguments_get_japanese_usage(chat, staff_chat):
    [answer] = await chat.say("/post abc こんにちは")
    assert "スレッド番号は数字で" in answer and "使い方: /post" in answer
    [answer] = await chat.say("/thread 999")
    assert answer == "スレッド #999 はありません。"
    [answer] = await chat.say("/thread new 地域ネタ タイトル")
    assert "先にコミュニティに参加" in answer
    [answer] = await staff_chat.say("/thread new 宇宙 タイトル")
    assert "カテゴリ「宇宙」はありません" in answer


def test_figures_count_participants_and_visible_posts(tmp_path):
    from storage.db import Database
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path}/figures.db"
    upgrade(url)
    db = Database(url)
    cfg = CommunityConfig(("地域ネタ", "グルメ"), "", 100, 1000, (), "市からの質問", "", "", "市")
    april = datetime(2026, 4, 10, tzinfo=UTC)
    march = datetime(2026, 3, 10, tzinfo=UTC)

    def build(session):
        people = []
        for i, (platform, relation, at) in enumerate(
            [("line", "fan", april), ("discord", "native", april), ("line", "resident", march)]
        ):
            member = Member(public_id=f"m-test{i}", created_at=at)
            session.add(member)
            session.flush()
            board.join(session, member, platform, f"n{i}", relation, at)
            people.append(member)
        board.join(session, people[0], "line", "again", "fan", april + timedelta(days=1))  # rejoin counts once
        food = board.open_thread(session, cfg, people[0], "グルメ", "t", march)
        local = board.open_thread(session, cfg, people[0], "地域ネタ", "t", march)
        board.add_post(session, cfg, people[2], food.id, "old", march, "line")
        board.add_post(session, cfg, people[0], food.id, "a", april, "line")
        board.add_post(session, cfg, people[1], local.id, "b", april, "discord")
        spam = board.add_post(session, cfg, people[1], local.id, "spam", april, "discord")
        board.set_hidden(session, spam.id, people[0].id, april, True)

    db.call(build)
    fy_start, fy_end = datetime(2026, 4, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)
    with db.session() as session:
        joined = board.participants(session, fy_start, fy_end)
        assert (joined.total, joined.by_platform, joined.by_category) == (
            2,
            {"line": 1, "discord": 1},
            {"fan": 1, "native": 1},
        )
        assert board.participants_total(session, fy_end).total == 3
        made = board.posts(session, fy_start, fy_end)
        assert (made.total, made.by_platform, made.by_category) == (
            2,
            {"line": 1, "discord": 1},
            {"グルメ": 1, "地域ネタ": 1},
        )
        assert board.posts_cumulative(session, fy_end).total == 3
        assert board.posts_cumulative(session, fy_start).total == 1
    db.close()


@pytest.mark.parametrize("text", ["", "\u202eabc", "a\nb", "www.spam.example"])
def test_nickname_rules(text):
    with pytest.raises(Problem):
        board.check_nickname(text)
