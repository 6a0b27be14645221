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
        "日時: {when}\n場所: {location}\n参加する人はボタンを押してください。",
        "When: {when}\nWhere: {location}\nPress the button to join.",
    ),
    "discord.space.join": ("参加する", "Join"),
}
