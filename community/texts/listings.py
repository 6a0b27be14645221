"""Texts of the 貸畑 and 空き家 listings and of the conversations the bot relays (also for circles)."""

TEXTS = {
    # ---- commands ----
    "cmd.listings": ("貸畑・空き家を見る", "see plots and houses on offer"),
    "usage.listings": ("/listings", "/listings"),
    "cmd.listing new": ("貸畑・空き家を掲載してもらう", "offer a plot or a house"),
    "usage.listing new": ("/listing new", "/listing new"),
    "cmd.listing mine": ("自分の掲載と問い合わせの数", "your listings and their inquiries"),
    "usage.listing mine": ("/listing mine", "/listing mine"),
    "cmd.listing close": ("掲載を終える (持ち主・職員)", "close a listing (owner or staff)"),
    "usage.listing close": ("/listing close 番号", "/listing close ID"),
    "cmd.listing pending": ("承認待ちの掲載 (職員)", "listings waiting for approval (staff)"),
    "usage.listing pending": ("/listing pending", "/listing pending"),
    "cmd.listing approve": ("掲載を承認して公開する (職員)", "approve and publish a listing (staff)"),
    "usage.listing approve": ("/listing approve 番号", "/listing approve ID"),
    "cmd.listing reject": ("掲載を見送る (職員)", "reject a listing (staff)"),
    "usage.listing reject": ("/listing reject 番号 [理由]", "/listing reject ID [reason]"),
    "cmd.listing inquiries": ("掲載ごとの問い合わせ (職員)", "the inquiries about a listing (staff)"),
    "usage.listing inquiries": ("/listing inquiries 番号", "/listing inquiries ID"),
    "cmd.inquiry": ("問い合わせに返信する", "write in an inquiry"),
    "usage.inquiry": ("/inquiry 問い合わせ番号 [本文]", "/inquiry INQUIRY-ID [text]"),
    # ---- kinds and fields ----
    "listing.kind.plot": ("貸畑", "Plot"),
    "listing.kind.house": ("空き家", "House"),
    "listing.kind.farmhouse": ("畑付き空き家", "House with a field"),
    "listing.field.place": ("場所（地区）", "Place (地区)"),
    "listing.field.size": ("広さ", "Size"),
    "listing.field.price": ("価格", "Price"),
    "listing.field.conditions": ("条件", "Conditions"),
    "listing.field.photo_url": ("写真", "Photo"),
    "relay.subject.listing": ("{kind}・{place}（#{id}）", "{kind}, {place} (#{id})"),
    "relay.subject.circle": ("サークル「{name}」（#{id}）", 'circle "{name}" (#{id})'),
    # ---- the open listings ----
    "listing.none_open": (
        "いま掲載中の貸畑・空き家はありません。\n{url}",
        "No plots or houses are on offer right now.\n{url}",
    ),
    "listing.intro": (
        "掲載中の貸畑・空き家 {count}件。「問い合わせ」を押すと、持ち主にボットが伝えます（お互いのアカウントは伝わりません）。\n{url}",
        "{count} on offer. Press 「問い合わせ」 and the bot passes your message on (neither sees the other's account).\n{url}",
    ),
    "listing.list_alt": ("貸畑・空き家の一覧", "Plots and houses on offer"),
    "listing.more_title": ("もっと見る", "More"),
    "listing.more_text": ("全部で{count}件あります。", "{count} in all."),
    "listing.more_button": ("次を見る", "Next"),
    "listing.line_size": ("広さ: {size}", "Size: {size}"),
    "listing.line_price": ("価格: {price}", "Price: {price}"),
    "listing.line_conditions": ("条件: {conditions}", "Conditions: {conditions}"),
    "listing.ask_button": ("問い合わせ", "Ask the owner"),
    "listing.photo_button": ("写真を見る", "Photo"),
    # ---- the dialogue ----
    "listing.new_intro": (
        "貸したい畑や家のことを順に質問します。職員が確認してから公開されます。場所は地区まで（番地は書かないでください）。",
        "I will ask about the plot or house in turn. Staff check it before it is public. Give the 地区 only, no address.",
    ),
    "listing.step": ("({number}/{total}) {question}", "({number}/{total}) {question}"),
    "listing.q.kind": ("貸したいのはどれですか？", "What do you offer?"),
    "listing.q.place": (
        "場所の地区を教えてください（例: 小川地区）。番地は書かないでください。",
        "Which 地区 is it in? (No address.)",
    ),
    "listing.q.size": ("広さを教えてください（例: 約30坪、100㎡、4LDK）。", "How large is it? (e.g. 100 m², 4LDK)"),
    "listing.q.price": (
        "価格を教えてください（例: 年5,000円、月3万円、無料）。",
        "What does it cost? (e.g. 5,000 yen a year, free)",
    ),
    "listing.q.conditions": (
        "条件があれば書いてください（例: 農薬を使わない方）。",
        "Any conditions? (e.g. no pesticides)",
    ),
    "listing.q.photo_url": (
        "写真のリンク（https://〜）があれば送ってください。",
        "A link to a photo (https://...), if you have one.",
    ),
    "listing.q.confirm": ("この内容で申し込みますか？\n{summary}", "Send this?\n{summary}"),
    "listing.summary_kind": ("種類: {kind}", "Kind: {kind}"),
    "listing.summary_line": ("{field}: {value}", "{field}: {value}"),
    "listing.free_button": ("無料", "Free"),
    "listing.none_button": ("なし", "None"),
    "listing.send_button": ("申し込む", "Send"),
    "listing.cancel_button": ("やめる", "cancel"),
    "listing.pick_a_button": ("ボタンから選ぶか、ボタンの言葉を送ってください。", "Press a button, or type its words."),
    "listing.too_long": (
        "{limit}字までにしてください（いま{length}字）。もう一度どうぞ。",
        "At most {limit} characters (this was {length}). Try again.",
    ),
    "listing.required": ("ここは空欄にできません。もう一度どうぞ。", "This one cannot be blank. Try again."),
    "listing.no_address": (
        "番地や丁目は書かないでください（公開されます）。地区名までにしてください。",
        "Please give no block number or address (it becomes public): the 地区 only.",
    ),
    "listing.bad_photo": (
        "写真は https:// で始まるリンクを送ってください（なければ「なし」）。",
        "Send a link starting with https:// (or None).",
    ),
    "listing.bad_kind": ("種類がわかりません。", "Unknown kind."),
    "listing.submitted": (
        "受け付けました（#{id}）。職員が確認してから公開されます。公開されたらお知らせします。",
        "Received (#{id}). Staff will check it before it is public; I will tell you when it is.",
    ),
    "listing.staff_new": (
        "貸畑・空き家の掲載申請があります: {title}\n確認: /listing pending ・ 承認: /listing approve {id}",
        "A listing waits for approval: {title}\nSee /listing pending, approve with /listing approve {id}",
    ),
    # ---- staff and owners ----
    "listing.none_pending": ("承認待ちの掲載はありません。", "No listings are waiting."),
    "listing.pending_header": ("承認待ち {count}件:", "{count} waiting:"),
    "listing.pending_footer": (
        "承認: /listing approve 番号 ・ 見送り: /listing reject 番号 理由",
        "Approve: /listing approve ID; reject: /listing reject ID reason",
    ),
    "listing.approved": ("公開しました: {title}（{days}日間）", "Published: {title} (for {days} days)"),
    "listing.owner_approved": (
        "掲載が公開されました: {title}\n{days}日後に自動で終わります。早く終えるときは /listing close で。\n{url}",
        "Your listing is public: {title}\nIt closes by itself after {days} days; /listing close ends it sooner.\n{url}",
    ),
    "listing.rejected": ("見送りました: {title}", "Rejected: {title}"),
    "listing.owner_rejected": (
        "掲載は見送りになりました: {title}\n理由: {reason}",
        "Your listing was not published: {title}\nWhy: {reason}",
    ),
    "listing.no_reason": ("（記載なし）", "(none given)"),
    "listing.closed": ("掲載を終えました: {title}", "Closed: {title}"),
    "listing.not_yours": ("#{id} は、あなたの掲載ではありません。", "Listing #{id} is not yours."),
    "listing.no_such": ("#{id} の掲載はありません。", "There is no listing #{id}."),
    "listing.id_missing": ("掲載の番号を書いてください。", "Give the listing's number."),
    "listing.not_pending": ("#{id} は承認待ちではありません。", "Listing #{id} is not waiting for approval."),
    "listing.already_closed": ("#{id} はもう終わっています。", "Listing #{id} is already closed."),
    "listing.mine_none": (
        "あなたの掲載はありません。/listing new で申し込めます。",
        "You have no listings. /listing new offers one.",
    ),
    "listing.mine_header": ("あなたの掲載:", "Your listings:"),
    "listing.mine_line": ("・{title} {state} 問い合わせ{count}件", "- {title} {state}, {count} inquiries"),
    "listing.mine_footer": ("終えるとき: /listing close 番号", "To close one: /listing close ID"),
    "listing.state.pending": ("承認待ち", "waiting for approval"),
    "listing.state.open": ("公開中", "public"),
    "listing.state.rejected": ("見送り", "rejected"),
    "listing.state.closed": ("終了", "closed"),
    "listing.state.expired": ("期限切れ", "expired"),
    "listing.inquiries_header": (
        "{title}（{state}）の問い合わせ {count}件:",
        "{count} inquiries about {title} ({state}):",
    ),
    "listing.inquiry_line": (
        "・#{id} {started}から 最後 {last}・問い合わせた人 {asker}通／持ち主 {owner}通",
        "- #{id} since {started}, last {last}: asker {asker}, owner {owner} messages",
    ),
    # ---- relayed conversations ----
    "relay.direct_only": ("問い合わせはボットとの1:1トークでどうぞ。", "Please ask in your 1:1 chat with the bot."),
    "relay.gone": ("この問い合わせ先はもうありません。", "This is no longer there."),
    "relay.own": ("自分の掲載には問い合わせできません。", "You cannot ask about your own."),
    "relay.closed": ("この掲載は終わっています。", "This is closed."),
    "relay.no_such": ("問い合わせ #{id} はありません。", "There is no inquiry #{id}."),
    "relay.id_missing": (
        "問い合わせの番号を書いてください（例: /inquiry 3 ありがとうございます）。",
        "Give the inquiry's number (e.g. /inquiry 3 thanks).",
    ),
    "relay.ask_first": (
        "{title} への最初のメッセージを送ってください。ボットが伝えます。あなたの名前やアカウントは相手に伝わりません。",
        "Send your first message about {title}; the bot passes it on. Your name and account stay hidden.",
    ),
    "relay.ask_reply": (
        "問い合わせ #{id}（{title}）への返信を送ってください。",
        "Send your answer in inquiry #{id} ({title}).",
    ),
    "relay.cancel_button": ("やめる", "cancel"),
    "relay.reply_button": ("返信する", "Reply"),
    "relay.first_to_owner": (
        "{title} について問い合わせが届きました（問い合わせ #{id}）:\n\n{text}\n\n"
        "「返信する」を押すか「/inquiry {id} 本文」と送ると、ボットが相手に伝えます。お互いのアカウントは伝わりません。",
        "An inquiry about {title} (inquiry #{id}):\n\n{text}\n\n"
        'Press "Reply" or send "/inquiry {id} text"; the bot passes it on. Neither sees the other\'s account.',
    ),
    "relay.to_owner": (
        "問い合わせ #{id}（{title}）に、問い合わせた方から:\n\n{text}",
        "In inquiry #{id} ({title}), from the person asking:\n\n{text}",
    ),
    "relay.to_asker": (
        "問い合わせ #{id}（{title}）に、持ち主から:\n\n{text}",
        "In inquiry #{id} ({title}), from the owner:\n\n{text}",
    ),
    "relay.sent": (
        "伝えました（問い合わせ #{id}）。返事はこのトークに届きます。",
        "Passed on (inquiry #{id}). The answer comes to this chat.",
    ),
    "relay.unreachable": (
        "相手にいま届けられません（ボットがブロックされています）。",
        "It cannot reach them now (they blocked the bot).",
    ),
    "relay.empty": ("メッセージが空です。", "The message is empty."),
    "relay.too_long": (
        "{limit}字までにしてください（いま{length}字）。",
        "At most {limit} characters (this was {length}).",
    ),
    # ---- KPIs, digest, audit ----
    "kpi.listings_published": ("公開した貸畑・空き家", "listings published"),
    "kpi.listing_inquiries": ("貸畑・空き家への問い合わせ", "inquiries about listings"),
    "digest.listings": ("■ 貸畑・空き家", "■ Listings"),
    "digest.listings_line": ("承認待ち {pending}件・公開中 {open}件", "{pending} waiting, {open} public"),
    "audit.action.listing.approve": ("掲載を承認", "approved a listing"),
    "audit.action.listing.reject": ("掲載を見送り", "rejected a listing"),
    "audit.action.listing.close": ("掲載を終了", "closed a listing"),
}

WORDS = {
    "alias.listings": ("空き家", "貸畑"),
    "listing.kind_words.plot": ("貸畑", "畑", "plot", "field"),
    "listing.kind_words.house": ("空き家", "家", "house"),
    "listing.kind_words.farmhouse": ("畑付き空き家", "畑付き", "house with a field", "farmhouse"),
    "listing.none_words": ("なし", "none", "no", "ない", "-"),
    "listing.send_words": ("申し込む", "送信", "send", "はい", "yes"),
}
