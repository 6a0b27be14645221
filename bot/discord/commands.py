"""Slash commands mirrored from the command catalogue, and the text a used slash command stands for.

"event new" becomes group "event", subcommand "new"; each command has one optional string option for the
arguments, and a command that names a person (PERSON_COMMANDS) a user option too, which reaches the handlers as a
mention. Aliases are text-only and not mirrored. Discord cannot invoke a group itself, so a one-word command that
is also a group ("/child" next to "/child list") becomes the group's subcommand named by "discord.slash.bare".

discord.py finds the command a slash interaction names and parses its options (its CommandTree): the callback gets
the parsed values and hands them on as an `Invoked`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

from bot.discord.ports import CommandCatalogue
from bot.discord.render import clip
from community.texts import t
from handlers.router import DIRECT_PLACE, GROUP_PLACE, Command

log = logging.getLogger(__name__)

SlashItem = app_commands.Command[Any, ..., Any] | app_commands.Group
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
USER_OPTION = 6
MAX_WORDS = 3  # Discord nests a command at most as group / subgroup / subcommand
# Commands whose handlers take the people they name from mentions: on Discord they get a user option.
PERSON_COMMANDS = frozenset({"event facilitator", "event bind", "organizer", "touchpoint", "staff add"})


@dataclass(frozen=True)
class Invoked:
    """A used slash command as discord.py parsed it: the catalogue command, its argument text, the person chosen."""

    command: str  # the catalogue's name: "event facilitator"
    args: str = ""
    person: discord.User | discord.Member | None = None

    @property
    def text(self) -> str:
        return "/" + self.command + (" " + self.args.strip() if self.args.strip() else "")


OnCommand = Callable[[discord.Interaction, Invoked], Awaitable[None]]


def _slash_command(name: str, cmd: Command, on_command: OnCommand, lang: str) -> app_commands.Command[Any, ..., Any]:
    async def callback(interaction: discord.Interaction, args: str | None = None) -> None:
        await on_command(interaction, Invoked(cmd.name, args or ""))

    async def callback_with_person(
        interaction: discord.Interaction,
        args: str | None = None,
        person: discord.User | discord.Member | None = None,
    ) -> None:
        await on_command(interaction, Invoked(cmd.name, args or "", person))

    names_person = cmd.name in PERSON_COMMANDS
    slash: app_commands.Command[Any, ..., Any] = app_commands.Command(
        name=name, description=clip(cmd.summary[0], 100), callback=callback_with_person if names_person else callback
    )
    app_commands.describe(args=clip(t(lang, "discord.slash.args_help", usage=cmd.usage), 100))(slash)
    app_commands.rename(args=t(lang, "discord.slash.args"))(slash)
    if names_person:
        app_commands.describe(person=clip(t(lang, "discord.slash.person_help"), 100))(slash)
        app_commands.rename(person=t(lang, "discord.slash.person"))(slash)
    return slash


class _Tree:
    """Top-level commands and groups as they are built; a group is made when a command first needs it."""

    def __init__(self, commands: list[Command], lang: str) -> None:
        self.commands = commands
        self.lang = lang
        self.top: dict[str, SlashItem] = {}
        self.groups: dict[tuple[str, ...], app_commands.Group] = {}

    def group(self, path: tuple[str, ...]) -> app_commands.Group:
        if path not in self.groups:
            under = [
                c.summary[0]
                for c in self.commands
                if len(c.name.split()) > len(path) and tuple(c.name.split()[: len(path)]) == path
            ]
            separator = t(self.lang, "discord.slash.separator")
            description = clip(separator.join(under) or f"/{' '.join(path)}", 100)
            group = app_commands.Group(name=path[-1], description=description)
            if len(path) == 1:
                self.top[path[0]] = group
            else:
                self.group(path[:-1]).add_command(group)
            self.groups[path] = group
        return self.groups[path]

    def add(self, parts: tuple[str, ...], slash: app_commands.Command[Any, ..., Any]) -> None:
        if len(parts) == 1:
            self.top[parts[0]] = slash
        else:
            self.group(parts[:-1]).add_command(slash)


def slash_commands(catalogue: CommandCatalogue, on_command: OnCommand, lang: str = "ja") -> list[SlashItem]:
    """Top-level slash commands and groups for the catalogue's commands."""
    commands = [c for c in catalogue.commands.values() if 1 <= len(c.name.split()) <= MAX_WORDS]
    group_paths = {tuple(c.name.split()[:i]) for c in commands for i in range(1, len(c.name.split()))}
    tree = _Tree(commands, lang)
    for cmd in commands:
        parts = tuple(cmd.name.split())
        if parts in group_paths:
            parts += (t(lang, "discord.slash.bare"),)
        try:
            tree.add(parts, _slash_command(parts[-1], cmd, on_command, lang))
        except (ValueError, TypeError) as exc:  # a name Discord does not allow (spaces, capitals, symbols)
            log.warning("/%s cannot be a Discord slash command: %s", cmd.name, exc)
    return [item for item in tree.top.values() if not isinstance(item, app_commands.Group) or item.commands]


def command_text(data: Any, lang: str = "ja") -> str:
    """Application command data -> '/event new <args>' (subcommand groups and subcommands become words)."""
    words = [str(data.get("name", ""))]
    values: list[str] = []
    options = data.get("options") or []
    bare = t(lang, "discord.slash.bare")
    while options:
        first = options[0]
        if first.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if first.get("name") != bare:
                words.append(str(first.get("name", "")))
            options = first.get("options") or []
            continue
        values = [str(o["value"]) for o in options if o.get("value") not in (None, "") and o.get("type") != USER_OPTION]
        break
    args = " ".join(values).strip()
    return "/" + " ".join(words) + (" " + args if args else "")


def command_mentions(data: Any) -> tuple[tuple[str, str], ...]:
    """(user id, display name) of the user options in raw application command data (its resolved users)."""
    options = list(data.get("options") or [])
    resolved = data.get("resolved") or {}
    users, guild_members = resolved.get("users") or {}, resolved.get("members") or {}
    found = []
    while options:
        option = options.pop(0)
        options += option.get("options") or []
        if option.get("type") == USER_OPTION and option.get("value"):
            user_id = str(option["value"])
            user = users.get(user_id) or {}
            nick = (guild_members.get(user_id) or {}).get("nick")
            found.append((user_id, nick or user.get("global_name") or user.get("username") or user_id))
    return tuple(found)


def answers_privately(interaction: discord.Interaction, catalogue: CommandCatalogue, lang: str = "ja") -> bool:
    """Answers only the user needs (ephemeral): buttons, and 1:1 commands used in a channel."""
    if interaction.guild_id is None:
        return False
    if interaction.type is discord.InteractionType.component:
        return True
    cmd, _, _ = catalogue.find(command_text(interaction.data or {}, lang))
    return cmd is not None and GROUP_PLACE not in cmd.places and DIRECT_PLACE in cmd.places
