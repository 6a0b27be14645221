"""Texts of the community board feature: joining, threads, posts, moderation, the forum copy, the digest."""

TEXTS: dict[str, tuple[str, str]] = {
    "digest.top_threads": ("■ よく話されたスレッド", "■ Most active threads"),
    "digest.top_thread": ("・[{category}] {title} ({count}件)", "- [{category}] {title} ({count} posts)"),
    "board.voice_category": ("市からの質問", "Questions from the city"),
    "board.forgotten_post": (
        "（この投稿は投稿者の依頼により削除されました）",
        "(This post was deleted at its author's request.)",
    ),
    "board.forgotten_title": (
        "（タイトルは作成者の依頼により削除されました）",
        "(Title deleted at its author's request)",
    ),
    # ---- the board's copies, as the console shows them ----
    "plain.unmirror_thread": ("[掲示板のスレッドを取り下げ] #{id}", "[thread taken off the board] #{id}"),
    "plain.retitle_thread": ("[掲示板のスレッド名を変更] #{id} {title}", "[board thread renamed] #{id} {title}"),
    # ---- how a member relates to the town (community.board.RELATIONS) ----
    "board.relation.resident": ("住んでいる", "I live here"),
    "board.relation.native": ("出身・以前住んでいた", "I grew up / used to live here"),
    "board.relation.visitor": ("訪れたことがある", "I have visited"),
    "board.relation.fan": ("ファン・応援している", "I am a fan"),
    "board.left_member": ("退会したメンバー", "Former member"),
    # ---- what the domain refuses ----
    "board.links_only": (
        "リンクは市のサイト（{hosts_ja}）のものだけ貼れます。",
        "Only links to the city's sites ({hosts_en}) can be posted.",
    ),
    "board.no_links": ("リンクは貼れません。", "Links cannot be posted."),
    "board.post_empty": ("投稿が空です。本文を書いてください。", "The post is empty. Please write something."),
    "board.post_too_long": (
        "投稿は{limit}文字までです（いまは{length}文字）。",
        "Posts can be up to {limit} characters long (this one has {length}).",
    ),
    "board.post_control": (
        "投稿に使えない制御文字が含まれています。",
        "The post contains control characters that cannot be used.",
    ),
    "board.nickname_empty": ("ニックネームが空です。", "The nickname is empty."),
    "board.nickname_too_long": (
        "ニックネームは{limit}文字までです。",
        "Nicknames can be up to {limit} characters long.",
    ),
    "board.nickname_bad": (
        "ニックネームに使えない文字が含まれています。",
        "The nickname contains characters that cannot be used.",
    ),
    "board.title_empty": ("タイトルが空です。", "The title is empty."),
    "board.title_too_long": ("タイトルは{limit}文字までです。", "Titles can be up to {limit} characters long."),
    "board.title_bad": (
        "タイトルに使えない文字が含まれています。",
        "The title contains characters that cannot be used.",
    ),
    "board.no_category": (
        "カテゴリ「{name}」はありません。使えるカテゴリ: {categories_ja}",
        'There is no category "{name}". Categories: {categories_en}',
    ),
    "board.no_categories": ("掲示板のカテゴリが設定されていません。", "The board has no categories configured."),
    "board.choose_relation": ("関わり方を選んでください。", "Please choose how you relate to the town."),
    "board.no_thread": ("スレッド #{id} はありません。", "There is no thread #{id}."),
    "board.no_post": ("投稿 #{id} はありません。", "There is no post #{id}."),
    "board.rate_limit": (
        "投稿は1時間に{limit}件までです。少し時間をおいてからもう一度どうぞ。",
        "You can post {limit} times an hour. Please try again a little later.",
    ),
    "board.thread_rate_limit": (
        "スレッドを立てられるのは1時間に{limit}件までです。少し時間をおいてからもう一度どうぞ。",
        "You can open {limit} threads an hour. Please try again a little later.",
    ),
    "board.report_rate_limit": (
        "通報は1時間に{limit}件までです。急ぎの場合は市の窓口へご連絡ください。",
        "You can send {limit} reports an hour. If it is urgent, please contact the city office.",
    ),
    # ---- joining, the profile, leaving ----
    "board.join_first": (
        "投稿するには先にコミュニティに参加してください（メニューの「参加する」か /community join）。",
        'Please join the community before posting ("Join" in the menu, or /community join).',
    ),
    "board.join_in_direct": (
        "コミュニティへの参加は、ボットとの1:1トークで「参加する」を押すか /community join と送ってください。",
        'To join the community, press "Join" or send /community join in a 1:1 chat with the bot.',
    ),
    "board.already_joined": (
        "すでにコミュニティに参加しています。/profile で登録内容を確認できます。",
        "You have already joined the community. Send /profile to see your profile.",
    ),
    "board.rules": (
        "{city}のコミュニティへようこそ！参加の前に、ルールを確認してください。\n\n【ルール】\n{rules}\n\n同意しますか？",
        "Welcome to the {city} community! Before you join, please read the rules.\n\n[Rules]\n{rules}\n\nDo you agree?",
    ),
    "board.agree_hint": (
        "ルールに同意する場合は「同意する」を押してください。",
        'To agree to the rules, press "Agree".',
    ),
    "board.agree_button": ("同意する", "Agree"),
    "board.cancel_button": ("やめる", "Cancel"),
    "board.join_cancelled": (
        "参加をやめました。気が向いたら、いつでもメニューの「参加する」からどうぞ。",
        'You did not join. Whenever you like, press "Join" in the menu.',
    ),
    "board.ask_nickname": (
        "ありがとうございます。掲示板で使うニックネームを送ってください（本名でなくてかまいません。20文字まで）。",
        "Thank you. Please send the nickname you want to use on the board (not your real name; up to 20 characters).",
    ),
    "board.relation_question": ("最後に、まちとの関わりを選んでください。", "Last, how do you relate to the town?"),
    "board.welcome_title": ("ようこそ、{nickname}さん！", "Welcome, {nickname}!"),
    "board.welcome_text": (
        "コミュニティに参加しました。掲示板でまちの話題をのぞいてみましょう。",
        "You have joined the community. Have a look at what the town is talking about on the board.",
    ),
    "board.open_board": ("掲示板を見る", "Open the board"),
    "board.open_web": ("Webで見る", "View on the web"),
    "board.not_joined": ("まだコミュニティに参加していません。", "You have not joined the community yet."),
    "board.not_joined_yet": (
        "まだコミュニティに参加していません。/community join で参加できます。",
        "You have not joined the community yet. Send /community join to join.",
    ),
    "board.join_button": ("参加する", "Join"),
    "board.profile_title": ("プロフィール", "Profile"),
    "board.profile_text": (
        "ニックネーム: {nickname}\nまちとの関わり: {relation}\n参加日: {joined}\n保存しているのはこの3つだけです。\n"
        "変更: /profile nickname 新しい名前、/profile relation 関わり",
        "Nickname: {nickname}\nRelation to the town: {relation}\nJoined: {joined}\nThese three are all we keep.\n"
        "To change: /profile nickname NEW NAME, /profile relation RELATION",
    ),
    "board.change_nickname": ("ニックネームを変える", "Change nickname"),
    "board.change_relation": ("関わり方を変える", "Change relation"),
    "board.leave_button": ("退会する", "Leave"),
    "board.ask_rename": (
        "新しいニックネームを送ってください（20文字まで）。",
        "Please send your new nickname (up to 20 characters).",
    ),
    "board.nickname_set": ("ニックネームを「{nickname}」にしました。", 'Your nickname is now "{nickname}".'),
    "board.relation_set": (
        "まちとの関わりを「{relation}」にしました。",
        'Your relation to the town is now "{relation}".',
    ),
    "board.choose_relation_from": (
        "関わり方は「{choices_ja}」から選んでください。",
        "Please choose one of: {choices_en}.",
    ),
    "board.profile_fields": ("変えられるのは nickname と relation です。", "You can change nickname and relation."),
    "board.left": (
        "コミュニティから退会しました。ニックネームは削除しました。またいつでも参加してください。",
        "You have left the community and your nickname was deleted. You are welcome back any time.",
    ),
    "board.not_member": ("コミュニティには参加していません。", "You are not in the community."),
    "board.guide": (
        "【{bot} の使い方】\n"
        "・メニューの「掲示板」でスレッドを読んで、「投稿する」で書き込めます。\n"
        "・「いいね」で気持ちを伝えられます。困った投稿は「通報する」を押してください。\n"
        "・「プロフィール」でニックネームを変えたり、退会したりできます。\n"
        "・Webでも読めます: {url}",
        "[How to use {bot}]\n"
        '- Read threads with "Board" in the menu, and write with "Post".\n'
        '- "Like" shows how you feel. For a troubling post, press "Report".\n'
        '- In "Profile" you can change your nickname or leave.\n'
        "- You can also read the board on the web: {url}",
    ),
    "board.send_again": (
        "{problem}\nもう一度送ってください（やめる場合は「やめる」）。",
        '{problem}\nPlease send it again (or "cancel" to stop).',
    ),
    # ---- the board in chat ----
    "board.heading": ("掲示板", "Board"),
    "board.no_threads": ("まだスレッドがありません。", "There are no threads yet."),
    "board.no_older_threads": ("これより前のスレッドはありません。", "There are no older threads."),
    "board.official_mark": ("【市からの質問】", "[Question from the city] "),
    "board.no_posts": ("まだ投稿がありません", "No posts yet"),
    "board.thread_card": ("{count}件・最終 {when}\n{latest}", "{count} posts, latest {when}\n{latest}"),
    "board.read": ("読む", "Read"),
    "board.write": ("投稿する", "Post"),
    "board.like": ("いいね", "Like"),
    "board.more": ("もっと見る", "More"),
    "board.page_of": ("{page}/{last}ページ", "Page {page}/{last}"),
    "board.board_alt": ("掲示板の新着スレッド", "New threads on the board"),
    "board.last_page": ("スレッド #{id} は{last}ページまでです。", "Thread #{id} has {last} pages."),
    "board.post_title": ("#{id} {author}・{when}", "#{id} {author}, {when}"),
    "board.reply_to": ("↩ #{id} への返信\n", "↩ Reply to #{id}\n"),
    "board.reply": ("返信する", "Reply"),
    "board.report": ("通報する", "Report"),
    "board.next_page": ("次のページ", "Next page"),
    "board.thread_summary": (
        "[{category}] {page}/{last}ページ・{total}件",
        "[{category}] page {page}/{last}, {total} posts",
    ),
    "board.thread_empty": ("\nまだ投稿がありません。", "\nNo posts yet."),
    "board.thread_alt": ("スレッド「{title}」", 'Thread "{title}"'),
    "board.write_in_direct": (
        "書き込みはボットとの1:1トークでどうぞ（メニューの「掲示板」から）。",
        'Please write in a 1:1 chat with the bot (from "Board" in the menu).',
    ),
    "board.ask_post": ("「{title}」に投稿する文章を送ってください。", 'Please send the text to post in "{title}".'),
    "board.ask_reply": ("#{id} への返信を送ってください。", "Please send your reply to #{id}."),
    "board.posted": ("投稿しました（#{id}）。", "Posted (#{id})."),
    "board.open_thread": ("スレッドを見る", "Open the thread"),
    "board.liked": ("#{id} にいいねしました👍", "You liked #{id} 👍"),
    "board.already_liked": ("#{id} にはもういいねしています。", "You have already liked #{id}."),
    "board.reported": (
        "通報を受け付けました。市の担当者が確認します。ご協力ありがとうございます。",
        "Thank you for the report. The city's staff will look at it.",
    ),
    "board.report_note": (
        "【通報】投稿 #{id}（スレッド #{thread}）\n{text}{reason}\n"
        "非表示にするには「/hide {id}」、問題なければ「/reports dismiss {id}」。"
        "この投稿へのこの先の通報はお知らせせず、「/reports」にまとめます。",
        "[Report] Post #{id} (thread #{thread})\n{text}{reason}\n"
        "To hide it: /hide {id}. If it is fine: /reports dismiss {id}. "
        "Further reports of this post are not sent one by one: see /reports.",
    ),
    "board.report_reason": ("\n理由: {reason}", "\nReason: {reason}"),
    "board.thread_fields": (
        "カテゴリとタイトルを書いてください。カテゴリ: {categories_ja}",
        "Please give a category and a title. Categories: {categories_en}",
    ),
    "board.thread_opened": (
        "スレッド #{id}「{title}」を立てました。最初の投稿は「/post {id} 本文」でどうぞ。",
        'Opened thread #{id} "{title}". Write the first post with "/post {id} TEXT".',
    ),
    "board.number.page": ("ページは数字で指定してください。", "The page must be a number."),
    "board.number.thread": ("スレッド番号は数字で指定してください。", "The thread number must be a number."),
    "board.number.post": ("投稿番号は数字で指定してください。", "The post number must be a number."),
    "board.number.question": ("質問番号は数字で指定してください。", "The question number must be a number."),
    "board.missing.thread": ("スレッド番号を指定してください。", "Please give the thread number."),
    "board.missing.post": ("投稿番号を指定してください。", "Please give the post number."),
    # ---- staff: moderation and the city's questions ----
    "board.hidden": (
        "投稿 #{id} を非表示にしました。LINE・Webから見えなくなります。戻すには「/restore {id}」。",
        "Post #{id} is hidden: it no longer shows on LINE or the web. To bring it back: /restore {id}",
    ),
    "board.restored": ("投稿 #{id} を表示に戻しました。", "Post #{id} shows again."),
    "board.thread_hidden": (
        "スレッド #{id} を非表示にしました。LINE・Web・Discordと集計から外れます。戻すには「/thread restore {id}」。",
        "Thread #{id} is hidden: it is gone from LINE, the web, Discord and the figures. "
        "To bring it back: /thread restore {id}",
    ),
    "board.thread_restored": ("スレッド #{id}「{title}」を表示に戻しました。", 'Thread #{id} "{title}" shows again.'),
    "board.thread_already_hidden": ("スレッド #{id} はすでに非表示です。", "Thread #{id} is already hidden."),
    "board.thread_not_hidden": ("スレッド #{id} は非表示になっていません。", "Thread #{id} is not hidden."),
    "board.queue_empty": ("確認待ちの通報はありません。", "No reports are waiting."),
    "board.queue_header": (
        "【確認待ちの通報】{total}件の投稿（新しい順）",
        "[Reports waiting] {total} posts (newest first)",
    ),
    "board.queue_line": (
        "#{id}（スレッド #{thread}）通報{count}件・最終 {when}\n{text}\n{reasons}",
        "#{id} (thread #{thread}) {count} reports, latest {when}\n{text}\n{reasons}",
    ),
    "board.queue_reasons": ("理由: 「{reasons}」", 'Reasons: "{reasons}"'),
    "board.queue_reason_join": ("」「", '", "'),
    "board.queue_no_reason": ("理由: （書かれていません）", "Reasons: (none given)"),
    "board.queue_more": ("ほか{more}件", "and {more} more"),
    "board.queue_help": (
        "非表示: /hide 投稿番号　問題なし: /reports dismiss 投稿番号",
        "Hide: /hide POST   Fine: /reports dismiss POST",
    ),
    "board.no_open_reports": ("投稿 #{id} に確認待ちの通報はありません。", "Post #{id} has no reports waiting."),
    "board.reports_dismissed": (
        "投稿 #{id} への通報{count}件を「問題なし」として閉じました。",
        "Closed {count} reports of post #{id} as fine.",
    ),
    "board.question_missing": ("質問を書いてください。", "Please write the question."),
    "board.question_opened": (
        "市からの質問 #{id}「{title}」を掲示板に出しました。\n回答のまとめは「/voice results {id}」で見られます。",
        'Question from the city #{id} "{title}" is on the board.\nSee the answers with /voice results {id}',
    ),
    "board.not_a_question": ("#{id} は市からの質問ではありません。", "#{id} is not a question from the city."),
    "board.results_header": ("【市からの質問 #{id}】{title}", "[Question from the city #{id}] {title}"),
    "board.results_count": ("回答 {total}件", "{total} answers"),
    "board.results_line": ("{n}. {author}（{when}）: {text}", "{n}. {author} ({when}): {text}"),
    "board.results_more": ("\n…（続きはWebで）", "\n… (more on the web)"),
    # ---- the board's forum on another platform ----
    "board.not_on_board": ("掲示板には載りませんでした: {problem}", "This did not go on the board: {problem}"),
    "board.edit_not_applied": (
        "編集は掲示板に反映されませんでした（前の文章のままです）: {problem}",
        "The edit did not reach the board (the post keeps its earlier text): {problem}",
    ),
    # ---- commands: summaries and usage ----
    "cmd.community join": ("コミュニティに参加する", "join the community"),
    "usage.community join": ("/community join", "/community join"),
    "cmd.community leave": ("コミュニティから退会する", "leave the community"),
    "usage.community leave": ("/community leave", "/community leave"),
    "cmd.profile": ("登録内容を見る・変える", "see or change your profile"),
    "usage.profile": (
        "/profile [nickname 新しい名前 | relation 住んでいる/出身・以前住んでいた/訪れたことがある/ファン・応援している]",
        "/profile [nickname NEW NAME | relation resident/native/visitor/fan]",
    ),
    "cmd.board": ("掲示板の新着スレッド", "recent board threads"),
    "usage.board": ("/board [ページ]", "/board [PAGE]"),
    "cmd.thread new": ("スレッドを立てる", "open a thread"),
    "usage.thread new": ("/thread new カテゴリ タイトル", "/thread new CATEGORY TITLE"),
    "cmd.thread": ("スレッドを読む", "read a thread"),
    "usage.thread": ("/thread 番号 [ページ]", "/thread NUMBER [PAGE]"),
    "cmd.post": ("スレッドに投稿する", "post in a thread"),
    "usage.post": ("/post スレッド番号 本文", "/post THREAD TEXT"),
    "cmd.reply": ("投稿に返信する", "reply to a post"),
    "usage.reply": ("/reply 投稿番号 本文", "/reply POST TEXT"),
    "cmd.react": ("投稿にいいねする", "like a post"),
    "usage.react": ("/react 投稿番号", "/react POST"),
    "cmd.report": ("困った投稿を通報する", "report a post"),
    "usage.report": ("/report 投稿番号 [理由]", "/report POST [REASON]"),
    "cmd.reports": ("確認待ちの通報の一覧", "reported posts waiting for a decision"),
    "usage.reports": ("/reports", "/reports"),
    "cmd.reports dismiss": ("通報を「問題なし」として閉じる", "dismiss the reports of a post"),
    "usage.reports dismiss": ("/reports dismiss 投稿番号", "/reports dismiss POST"),
    "cmd.hide": ("投稿を非表示にする", "hide a post"),
    "usage.hide": ("/hide 投稿番号", "/hide POST"),
    "cmd.restore": ("非表示の投稿を戻す", "restore a hidden post"),
    "usage.restore": ("/restore 投稿番号", "/restore POST"),
    "cmd.thread hide": ("スレッドを非表示にする", "hide a thread"),
    "usage.thread hide": ("/thread hide スレッド番号", "/thread hide THREAD"),
    "cmd.thread restore": ("非表示のスレッドを戻す", "restore a hidden thread"),
    "usage.thread restore": ("/thread restore スレッド番号", "/thread restore THREAD"),
    "cmd.voice new": ("市からの質問を出す（声の募集）", "ask residents a question"),
    "usage.voice new": ("/voice new 質問", "/voice new QUESTION"),
    "cmd.voice results": ("質問への回答をまとめて見る", "see the answers to a question"),
    "usage.voice results": ("/voice results 質問番号", "/voice results QUESTION"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.community join": ("参加",),
    "alias.community leave": ("退会",),
    "alias.profile": ("プロフィール",),
    "alias.board": ("掲示板",),
    "alias.react": ("いいね",),
    "alias.report": ("通報",),
    "board.agree": ("同意する", "同意", "agree"),  # typed at the rules: joins like the button
    "board.field.nickname": ("nickname", "ニックネーム"),
    "board.field.relation": ("relation", "関わり"),
}
