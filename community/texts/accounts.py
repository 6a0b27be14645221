"""Texts of the accounts feature: linking a member's accounts on two platforms (/link), and telling staff when a
platform refuses the bot for lack of a permission."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.link": ("LINEとDiscordのアカウントをひとつにする・一覧・外す", "link your LINE and Discord accounts"),
    "usage.link": (
        "/link （コードを受け取る） | /link コード （もう一方で送る） | /link remove line|discord",
        "/link (get a code) | /link CODE (send it on the other) | /link remove line|discord",
    ),
    "link.accounts": ("つながっているアカウント: {platforms}", "Linked accounts: {platforms}"),
    "link.code": (
        "連携コード: {code}\n{minutes}分以内に、もう一方のアプリ（{others}）でこのボットに「/link {code}」と送ってください。"
        "2つのアカウントがひとつのメンバーになります（ニックネーム・役割・記録がひとつに）。",
        'Link code: {code}\nWithin {minutes} minutes, send "/link {code}" to this bot on your other app ({others}). '
        "The two accounts become one member (one nickname, one set of roles and records).",
    ),
    "link.remove_hint": (
        "連携を外すには「/link remove {platform}」と送ってください。",
        'To unlink: "/link remove {platform}"',
    ),
    "link.done": (
        "{platforms} のアカウントをつなぎました。ニックネーム・役割・記録はひとつのメンバーになりました。"
        "「/forget-me」はどちらから送っても、両方のアカウントを消します。",
        'Linked {platforms}: you are one member now (one nickname, one set of roles and records). "/forget-me" '
        "on either erases both.",
    ),
    "link.removed": (
        "{platform} のアカウントの連携を外しました。そのアカウントは別のメンバーとして始まります。",
        "Unlinked your {platform} account: it starts over as a member of its own.",
    ),
    "link.code_wrong": (
        "連携コードが正しくないか、期限（10分）が切れています。もう一方のアプリで「/link」からやり直してください。",
        'That link code is wrong or expired (10 minutes). Start again with "/link" on your other app.',
    ),
    "link.same_platform": (
        "このコードはこのアプリで作ったものです。もう一方のアプリ（LINEで作ったならDiscord）で送ってください。",
        "That code was made on this app: send it on the other one.",
    ),
    "link.already": ("このアカウントはもうつながっています。", "These accounts are linked already."),
    "link.platform_taken": (
        "どちらにも同じアプリのアカウントがあるため、つなげません。「/link remove」で外してからやり直してください。",
        'Both have an account on the same app; unlink one with "/link remove" first.',
    ),
    "link.no_such_account": ("そのアプリのアカウントはつながっていません。", "No account of yours is on that app."),
    "link.only_account": (
        "アカウントがひとつだけなので、外せません。",
        "You have only this account: nothing to unlink.",
    ),
    "link.remove_which": (
        "外すアプリを「/link remove line」または「/link remove discord」と送ってください。",
        'Say which: "/link remove line" or "/link remove discord".',
    ),
    "link.platform.line": ("LINE", "LINE"),
    "link.platform.discord": ("Discord", "Discord"),
    "link.platform.console": ("コンソール", "console"),
    "link.other_apps": ("LINE または Discord", "LINE or Discord"),
    "audit.action.account.link": ("アカウントを連携", "linked accounts"),
    "audit.action.account.unlink": ("アカウントの連携を解除", "unlinked an account"),
    # ---- a platform refused for lack of a permission (bot.discord.permissions) ----
    "permission.missing": (
        "⚠ Discordのボットに「{permission}」の権限がないため、{what}ができませんでした。"
        "サーバー設定 → ロール → ボットのロールで「{permission}」をオンにしてください。"
        "（この送信は保留にしました。権限を付けたら、必要な操作をもう一度してください）",
        '⚠ The Discord bot lacks the "{permission}" permission, so {what} failed. Turn it on for the bot\'s role '
        "(Server Settings → Roles). The request was parked; repeat it once the permission is granted.",
    ),
    "permission.name.view_channel": ("チャンネルを見る", "View Channels"),
    "permission.name.send_messages": ("メッセージを送信", "Send Messages"),
    "permission.name.manage_channels": ("チャンネルの管理", "Manage Channels"),
    "permission.name.manage_roles": ("ロールの管理", "Manage Roles"),
    "permission.name.manage_events": ("イベントの管理", "Manage Events"),
    "permission.name.manage_webhooks": ("ウェブフックの管理", "Manage Webhooks"),
    "permission.name.manage_threads": ("スレッドの管理", "Manage Threads"),
    "permission.name.manage_messages": ("メッセージの管理", "Manage Messages"),
    "permission.what.event_channel": ("イベントのチャンネル作成", "making an event channel"),
    "permission.what.space_access": ("イベントのチャンネルへの参加者の出入り", "letting people into an event channel"),
    "permission.what.scheduled_event": ("Discordのイベント作成", "making the scheduled event"),
    "permission.what.event_card": ("イベントの案内の投稿", "posting an event's card"),
    "permission.what.archive": ("終わったイベントのチャンネルの保存", "archiving an event channel"),
    "permission.what.message": ("メッセージの送信", "sending a message"),
    "permission.what.board_forum": ("掲示板のフォーラムへの書き込み・整理", "keeping the board's forum"),
    "permission.what.other": ("ボットの操作", "a bot operation"),
}

WORDS: dict[str, tuple[str, ...]] = {
    "alias.link": ("連携",),
    "link.remove": ("remove", "unlink", "外す", "解除"),
}
