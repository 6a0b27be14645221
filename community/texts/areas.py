"""Texts of the 行政区 feature: the search, representatives, the profile dialogue, the member's own 区, area
communities, the register's command line, KPIs and the digest."""

TEXTS = {
    # ---- commands ----
    "cmd.area": ("行政区（自治会）を探す・きまりを見る", "find a 行政区 (neighbourhood association) and its rules"),
    "usage.area": ("/area [区名・地区・小学校区の一部]", "/area [part of a name, 地区 or 小学校区]"),
    "cmd.area rep": ("区の代表者を決める (職員)", "name a 区's representatives (staff)"),
    "usage.area rep": (
        "/area rep 区名 @名前 | 区名 公開ID | 区名 clear",
        "/area rep NAME @someone | NAME PUBLIC-ID | NAME clear",
    ),
    "cmd.area edit": ("区のきまりを記入する (代表者)", "fill in the 区's rules (representatives)"),
    "usage.area edit": ("/area edit [区名]", "/area edit [NAME]"),
    "cmd.area publish": ("区のきまりを公開する (代表者)", "publish the 区's rules (representatives)"),
    "usage.area publish": ("/area publish [区名]", "/area publish [NAME]"),
    "cmd.area unpublish": ("区のきまりを非公開にする (代表者)", "make the 区's rules private (representatives)"),
    "usage.area unpublish": ("/area unpublish [区名]", "/area unpublish [NAME]"),
    "cmd.area mine": ("自分の住む区を登録する・消す", "record (or clear) the 区 you live in"),
    "usage.area mine": ("/area mine 区名 | /area mine clear", "/area mine NAME | /area mine clear"),
    "cmd.area bind": (
        "このグループを区・小学校区のコミュニティにする",
        "make this group a 区's or 小学校区's community",
    ),
    "usage.area bind": ("/area bind 区名または小学校区", "/area bind NAME-OR-小学校区"),
    "cmd.area unbind": ("地域コミュニティの登録をやめる", "unbind this area community"),
    "usage.area unbind": ("/area unbind", "/area unbind"),
    "cmd.area facilitator": ("地域コミュニティの世話人を決める / stop でやめる", "name facilitators / stop"),
    "usage.area facilitator": ("/area facilitator @名前 | /area facilitator stop", "/area facilitator @someone | stop"),
    "role.area_rep": ("区の代表者", "区 representatives"),
    "role.area_facilitator": ("地域コミュニティの世話人", "area community facilitators"),
    # ---- the list ----
    "area.none_registered": (
        "行政区はまだ登録されていません。市の職員が準備中です。",
        "No 行政区 have been registered yet; city staff are preparing them.",
    ),
    "area.none_found": (
        "「{query}」に当てはまる区はありません。区名・地区・小学校区の一部で探せます（例: /area 小川）。",
        'No 区 matches "{query}". Search by part of a name, 地区 or 小学校区 (e.g. /area ogawa).',
    ),
    "area.no_more": ("これ以上の区はありません。", "There are no more 区."),
    "area.found": (
        "行政区 {count}件（「移住者歓迎」の区が先頭です）。区名や地区で絞り込めます: /area 地区名",
        "{count} 区 (those welcoming newcomers first). Narrow it down: /area NAME",
    ),
    "area.found_query": (
        "「{query}」の区 {count}件（「移住者歓迎」の区が先頭です）。",
        '{count} 区 for "{query}" (newcomers welcome first).',
    ),
    "area.list_alt": ("行政区の一覧", "The 行政区"),
    "area.more_title": ("もっと見る", "More"),
    "area.more_text": ("全部で{count}件あります。", "{count} in all."),
    "area.more_button": ("次の区を見る", "Next 区"),
    "area.private_mark": ("非公開", "Private"),
    "area.welcome_mark": ("🌱 移住者歓迎", "🌱 Newcomers welcome"),
    "area.card_answer": ("{field}: {value}", "{field}: {value}"),
    "area.page_button": ("詳しく見る", "Details"),
    "area.district_of": ("地区: {district}", "地区: {district}"),
    "area.school_of": ("小学校区: {school}", "school: {school}"),
    "area.no_register_line": ("地区未登録", "district not registered"),
    "area.field.entry_fee": ("入会金", "Entry fee"),
    "area.field.dues": ("区費・年会費", "Dues"),
    "area.field.garbage": ("ゴミ出し", "Garbage"),
    "area.field.cleanup": ("草刈り・奉仕作業", "Grass cutting and volunteer work"),
    "area.field.social": ("冠婚葬祭・つきあい", "Weddings, funerals and other customs"),
    "area.field.notes": ("そのほか", "Other notes"),
    "area.name_separator": ("、", ", "),
    # ---- representatives ----
    "area.no_such": (
        "「{name}」という区は登録されていません。/area で区の一覧を見られます。",
        'There is no 区 named "{name}". /area lists them.',
    ),
    "area.rep_usage": ("区名と代表者を書いてください。", "Give the 区's name and its representative."),
    "area.reps": ("「{name}」の代表者: {names}", 'Representatives of "{name}": {names}'),
    "area.nobody": ("まだいません", "nobody yet"),
    "area.reps_added": (
        "「{name}」の代表者にしました: {names}\n代表者は /area edit で区のきまりを記入し、公開するか決められます。",
        'Now representing "{name}": {names}\nThey fill in the rules with /area edit and choose whether to publish.',
    ),
    "area.reps_cleared": ("「{name}」の代表者 {count}人を外しました。", 'Removed {count} representatives of "{name}".'),
    "area.rep_guide": (
        "「{name}」の代表者になりました。\n/area edit と送ると、入会金・区費・ゴミ出し・草刈り・つきあいなどを順に質問します。"
        "答えは公開を選ぶまで誰にも見えません（非公開のままでも大丈夫です）。",
        'You now represent "{name}".\nSend /area edit and I will ask about the entry fee, dues, garbage, grass cutting '
        "and customs in turn. Nobody sees the answers until you choose to publish (staying private is fine).",
    ),
    "area.no_such_member": (
        "公開ID「{id}」の人は見つかりません（本人が /event id で確かめられます）。",
        'Nobody has the public id "{id}" (they can check it with /event id).',
    ),
    "area.not_yours": (
        "「{name}」の代表者ではないので変えられません。",
        'You do not represent "{name}", so you cannot change it.',
    ),
    "area.which": ("どの区ですか？ 区名を付けてください: {names}", "Which 区? Add its name: {names}"),
    "area.which_staff": (
        "区名を付けてください（例: /area edit 小川1区）。",
        "Add the 区's name (e.g. /area edit Ogawa-1).",
    ),
    "area.published": (
        "「{name}」のきまりを公開しました。\n{url}\n/area unpublish でいつでも非公開に戻せます。",
        '"{name}" is now public.\n{url}\n/area unpublish makes it private again at any time.',
    ),
    "area.unpublished": (
        "「{name}」を非公開にしました。一覧には名前だけが「非公開」と載ります。",
        '"{name}" is private now: only its name is listed, marked private.',
    ),
    # ---- the profile dialogue ----
    "area.edit_intro": (
        "「{name}」のきまりを{steps}問、順に質問します。分かる範囲で大丈夫です。最後に公開するか選べます。"
        "途中でやめるときは「やめる」と送ってください。",
        'I will ask {steps} questions about "{name}". Answer what you know; at the end you choose whether to publish. '
        'Send "cancel" to stop.',
    ),
    "area.step": ("({number}/{total}) {question}", "({number}/{total}) {question}"),
    "area.current": ("いまの答え: {value}", "Current answer: {value}"),
    "area.q.entry_fee": (
        "入会金はいくらですか？（例: なし、5,000円）",
        "Is there an entry fee? (e.g. none, 5,000 yen)",
    ),
    "area.q.dues": ("区費・年会費はいくらですか？（例: 月500円）", "What are the dues? (e.g. 500 yen a month)"),
    "area.q.garbage": (
        "ゴミ出しのきまりを教えてください（集積所の当番など）。",
        "What are the garbage rules (duty at the collection point)?",
    ),
    "area.q.cleanup": (
        "草刈りなどの奉仕作業はどのくらいの頻度ですか？",
        "How often is grass cutting or other volunteer work?",
    ),
    "area.q.social": (
        "冠婚葬祭などのつきあいはどのようなものですか？",
        "What customs are there (weddings, funerals, gatherings)?",
    ),
    "area.q.notes": ("ほかに伝えたいことがあれば書いてください。", "Anything else newcomers should know?"),
    "area.q.newcomers": ("「{name}」は移住してくる方を歓迎しますか？", 'Does "{name}" welcome people moving in?'),
    "area.q.publish": (
        "最後に、この答えを公開しますか？ 公開すると市のページとボットで誰でも見られます。",
        "Last: publish these answers? Once public, anyone can read them on the city's page and in the bot.",
    ),
    "area.keep_button": ("そのまま", "Keep"),
    "area.blank_button": ("空欄にする", "Leave blank"),
    "area.cancel_button": ("やめる", "cancel"),
    "area.newcomers.yes_button": ("歓迎します", "Welcome"),
    "area.newcomers.no_button": ("特に表明しない", "No statement"),
    "area.publish_button": ("公開する", "Publish"),
    "area.private_button": ("非公開にする", "Keep private"),
    "area.state_public": ("公開中", "public"),
    "area.state_private": ("非公開", "private"),
    "area.answer_too_long": (
        "{limit}字までにしてください（いま{length}字）。もう一度どうぞ。",
        "Please keep it to {limit} characters (this was {length}). Try again.",
    ),
    "area.pick_a_button": ("ボタンから選ぶか、ボタンの言葉を送ってください。", "Press a button, or type its words."),
    "area.saved_public": (
        "保存して公開しました。ありがとうございます！\n{url}",
        "Saved and published. Thank you!\n{url}",
    ),
    "area.saved_private": (
        "保存しました（非公開）。「{name}」の答えは誰にも見えません。/area publish でいつでも公開できます。",
        'Saved (private): nobody sees "{name}"\'s answers. /area publish makes them public at any time.',
    ),
    "area.edit_stale": (
        "この記入は終わっています。/area edit からやり直してください。",
        "This form has ended; start again with /area edit.",
    ),
    "area.answer_saved": ("保存しました。", "Saved."),
    # ---- the member's own 区 ----
    "area.mine_none": (
        "住んでいる区は登録されていません。/area mine 区名 で登録すると、その区へのお知らせが届くことがあります。",
        "You have not recorded a 区. /area mine NAME records it, so notices for that 区 can reach you.",
    ),
    "area.mine_is": (
        "あなたの区: {name}（/area mine clear で消せます）",
        "Your 区: {name} (/area mine clear removes it)",
    ),
    "area.mine_saved": (
        "あなたの区を「{name}」にしました。この区へのお知らせが届くことがあります。/area mine clear でいつでも消せます。",
        'Recorded "{name}" as your 区: notices for it can reach you. /area mine clear removes it at any time.',
    ),
    "area.mine_cleared": ("登録していた区を消しました。", "Your 区 is no longer recorded."),
    # ---- area communities ----
    "area.school_label": ("{school}区", "{school} school district"),
    "area.bind_which": (
        "区名か小学校区を書いてください（例: /area bind 小川1区）。",
        "Give a 区 or a 小学校区 (e.g. /area bind Ogawa-1).",
    ),
    "area.bind_unknown": ("「{name}」という区も小学校区も登録されていません。", 'No 区 or 小学校区 is named "{name}".'),
    "area.bind_not_allowed": (
        "ここを変えられるのは職員か、その区の代表者だけです。",
        "Only staff or the 区's representatives can change this.",
    ),
    "area.bind_taken": (
        "このグループはもう「{name}」のコミュニティです。",
        'This group is already the community of "{name}".',
    ),
    "area.bind_event": (
        "このグループはイベント「{title}」のグループです。",
        'This group belongs to the event "{title}".',
    ),
    "area.bound": (
        "このグループを「{name}」の地域コミュニティにしました。/area facilitator @名前 で世話人を決めてください。",
        'This group is now the community of "{name}". Name its facilitators with /area facilitator @someone.',
    ),
    "area.unbound": (
        "「{name}」の地域コミュニティの登録をやめました。",
        'This group is no longer the community of "{name}".',
    ),
    "area.not_bound": (
        "このグループは地域コミュニティではありません（/area bind で登録）。",
        "This group is no area community (/area bind).",
    ),
    "area.facilitators": ("「{name}」の世話人: {names}", 'Facilitators of "{name}": {names}'),
    "area.facilitators_added": ("「{name}」の世話人にしました: {names}", 'Now facilitating "{name}": {names}'),
    "area.facilitator_guide": (
        "「{name}」の地域コミュニティの世話人になりました。グループが静かなときは、話題のヒントをお送りします。"
        "やめるときはグループで /area facilitator stop と送ってください。",
        'You now facilitate the community of "{name}". When the group goes quiet I will send you a topic idea. '
        "To stop, send /area facilitator stop in the group.",
    ),
    "area.facilitator_stopped": ("「{name}」の世話人をやめました。", 'You no longer facilitate "{name}".'),
    "area.not_facilitator": ("「{name}」の世話人ではありません。", 'You do not facilitate "{name}".'),
    "area.nudge": (
        "「{place}」({name}の地域コミュニティ) は{days}日ほど静かです。こんな話題はいかがでしょう:\n「{starter}」\n"
        "この案内を止めるにはグループで「/area facilitator stop」と送ってください。",
        '"{place}" (community of {name}) has been quiet for {days} days. A topic idea:\n"{starter}"\n'
        'To stop these, send "/area facilitator stop" in the group.',
    ),
    "area.orphan_report": ("世話人のいない静かな地域コミュニティ:", "Quiet area communities without a facilitator:"),
    "area.orphan_line": ("・{place}（{name}）{days}日静か", "- {place} ({name}): quiet for {days} days"),
    # ---- the register (command line), KPIs, digest, audit ----
    "area.name_missing": ("区名がありません。", "The 区 has no name."),
    "area.name_too_long": ("区名・地区・小学校区は{limit}字までです。", "Names are at most {limit} characters."),
    "area.csv_not_text": (
        "CSVとして読めません（UTF-8かShift_JISで保存してください）。",
        "Not a CSV (save it as UTF-8 or Shift_JIS).",
    ),
    "area.csv_empty": ("CSVが空です。", "The CSV is empty."),
    "area.csv_no_name": (
        "1行目に「区名」（または name）の列がありません。列: 区名, 地区, 小学校区",
        'The first row has no "name" column. Columns: name, district, school',
    ),
    "area.share": (
        "公開している区: {published} / {total}区（{percent}%）",
        "区 publishing their rules: {published} of {total} ({percent}%)",
    ),
    "kpi.areas_published": ("きまりを公開している行政区", "行政区 publishing their rules"),
    "kpi.areas_total": ("登録されている行政区", "行政区 registered"),
    "kpi.areas_published_percent": ("公開している区の割合(%)", "share of 区 publishing (%)"),
    "digest.areas": ("■ 行政区", "■ 行政区"),
    "digest.areas_welcoming": ("「移住者歓迎」の区: {count}", "区 welcoming newcomers: {count}"),
    "digest.area_residents": ("住んでいる区を登録した人: {count}", "members who recorded their 区: {count}"),
    "digest.quiet_areas": ("■ 静かな地域コミュニティ", "■ Quiet area communities"),
    "digest.quiet_area": ("・{name} {days}日 世話人: {who}", "- {name} {days} days, facilitators: {who}"),
    "job.quiet-areas.schedule": ("毎日 10:45", "daily 10:45"),
    "job.quiet-areas.description": (
        "[events] quiet_days 日静かな地域コミュニティの世話人に声をかける。世話人のいないものは職員に知らせる",
        "facilitators of area communities quiet for [events] quiet_days get a nudge; those without one go to staff",
    ),
    "job.quiet-areas.result": (
        "世話人 {nudged}人に声かけを送りました。世話人のいない静かな地域コミュニティ {orphans}件を職員に知らせました",
        "nudged {nudged} facilitators; reported {orphans} area communities without a facilitator to staff",
    ),
    "audit.action.area.publish": ("区のきまりを公開", "published a 区's rules"),
    "audit.action.area.unpublish": ("区のきまりを非公開に", "made a 区's rules private"),
    "audit.action.area.edit": ("区のきまりを記入", "filled in a 区's rules"),
    "audit.action.area.reps_clear": ("区の代表者を外す", "removed a 区's representatives"),
    "audit.action.area.import": ("行政区を取り込み", "imported 行政区"),
    "cli.areas.help": ("市の行政区: CSVの取り込み、追加、一覧", "the city's 行政区: import a CSV, add one, list them"),
    "cli.areas.import": (
        "CSV（区名, 地区, 小学校区）を取り込む",
        "import a CSV with the columns name, district, school",
    ),
    "cli.areas.file": ("CSVファイル（UTF-8かShift_JIS）", "the CSV file (UTF-8 or Shift_JIS)"),
    "cli.areas.add": ("区を一つ追加する（あれば地区と小学校区を更新）", "add one 区 (or update its 地区 and 小学校区)"),
    "cli.areas.name": ("区名", "the 区's name"),
    "cli.areas.district": ("地区", "its 地区"),
    "cli.areas.school": ("小学校区", "its 小学校区"),
    "cli.areas.list": ("登録されている区の一覧", "list the registered 区"),
    "cli.areas.unreadable": ("{file} を読めません: {reason}", "cannot read {file}: {reason}"),
    "cli.areas.imported": ("追加 {added}区、更新 {updated}区", "added {added}, updated {updated}"),
    "cli.areas.row_error": ("{line}行目: {problem}", "line {line}: {problem}"),
    "cli.areas.added": (
        "追加しました: {name}（{district}地区・{school}区）",
        "added {name} ({district}, {school})",
    ),
    "cli.areas.updated": (
        "更新しました: {name}（{district}地区・{school}区）",
        "updated {name} ({district}, {school})",
    ),
    "cli.areas.none": ("区はまだ登録されていません", "no 区 registered yet"),
}

WORDS = {
    "area.csv_header.name": ("name", "区", "区名", "行政区", "行政区名"),
    "area.csv_header.district": ("district", "地区", "地区名"),
    "area.csv_header.school": ("school", "小学校区", "学区", "小学校"),
    "alias.area": ("行政区", "区"),
    "area.clear_words": ("clear", "消す", "削除", "やめる", "remove"),
    "area.stop_words": ("stop", "やめる", "停止"),
    "area.keep_words": ("そのまま", "keep", "変えない"),
    "area.blank_words": ("空欄にする", "空欄", "leave blank", "blank", "-", "なしにする"),
    "area.newcomers.yes": ("歓迎します", "歓迎", "welcome", "歓迎する"),
    "area.newcomers.no": ("特に表明しない", "表明しない", "no statement", "歓迎しない"),
    "area.choice.publish": ("公開する", "公開", "publish", "public"),
    "area.choice.private": ("非公開にする", "非公開", "非公開のまま", "keep private", "private"),
}
