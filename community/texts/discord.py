"""Texts only Discord shows: the parts of slash commands, the community board forum's topic and thread openers, and
what the bot writes into an event's channel. The slash command words ("discord.slash.*" without _help) are command
names deployed on Discord: changing them renames the commands people use."""

TEXTS: dict[str, tuple[str, str]] = {
    # A one-word command that is also a group ("/child" next to "/child list") is this subcommand of the group.
    "discord.slash.bare": ("実行", "run"),
    # The one optional string option every slash command has: what follows the command.
    "discord.slash.args": ("引数", "args"),
    "discord.slash.args_help": (
        "コマンドに続けて書く内容 (使い方: {usage})",
        "What follows the command (usage: {usage})",
    ),
    # The user option of commands that name a person (/event facilitator, /organizer, /touchpoint): a mention.
    "discord.slash.person": ("相手", "person"),
    "discord.slash.person_help": ("コマンドで指名する人", "The person the command names"),
    # Between the summaries of a group's subcommands, in the group's description.
    "discord.slash.separator": ("・", " / "),
    "discord.forum.topic": (
        "{city}の関係人口コミュニティ掲示板（LINE・Webとつながっています）",
        "The {city} community board (connected with LINE and the web)",
    ),
    "discord.forum.opener": (
        "【{category}】{title}\n掲示板 #{thread_id}（LINE・Webとつながっています）\n{url}",
        "[{category}] {title}\nBoard #{thread_id} (connected with LINE and the web)\n{url}",
    ),
    # The channel topic starts with the event's marker "[CODE]": the bot finds the channel again by it.
    "discord.space.topic": ("{marker} {title} / {when} / {location}", "{marker} {title} / {when} / {location}"),
    # The scheduled event's description holds the marker too (a retried row finds the event by it).
    "discord.space.event_description": ("{marker} チャンネル: #{channel}", "{marker} Channel: #{channel}"),
    "discord.space.no_location": ("未定", "TBD"),
    "discord.space.card": (
        "日時: {when}\n場所: {location}\n「参加する」を押すと参加登録され、イベントのチャンネルが見られるようになります。",
        "When: {when}\nWhere: {location}\nPress Join to register and see the event's channel.",
    ),
    "discord.space.welcome": (
        "このチャンネルは参加登録した人・世話人・職員だけが見られます。\n日時: {when}\n場所: {location}",
        "Only those registered, the facilitators and staff see this channel.\nWhen: {when}\nWhere: {location}",
    ),
    # The public channel of the events category where each event's join card is posted (found again by name).
    "discord.space.lobby": ("イベント案内", "event-lobby"),
    "discord.space.lobby_topic": (
        "イベントの案内です。「参加する」を押すと参加登録され、そのイベントのチャンネルが見られるようになります。",
        "Events. Press Join under one to register and see its channel.",
    ),
    "discord.space.join": ("参加する", "Join"),
}
