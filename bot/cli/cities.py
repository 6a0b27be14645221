"""`python -m bot city new <id> --name <name>` and `python -m bot city check [ID]`: 横展開, a new town in minutes.

`city new` writes a commented starting file (bot/cities/template/city.toml filled in), validated by the same model
the service loads city files with. `city check` validates every file CITY_CONFIG names (or one city's or region's)
and lists the placeholders left: a placeholder is a line whose comment starts with TODO (`key = "..."  # TODO: what
to put here`), or a TODO comment on a line of its own, which marks the key or table on the next line. Exit codes:
0 clean, 1 placeholders left, 2 a file that cannot be used.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.config import ConfigError, city_config_paths, load_settings
from community import city as city_file
from community.texts import both, t
from handlers.features import unknown_features

TEMPLATE = Path(__file__).resolve().parents[1] / "cities" / "template" / "city.toml"
DEFAULT_ADDRESS = "https://tsunagaru.example.jp/{id}"
# Municipal suffixes dropped from a bot's name (written as escapes: code holds no Japanese): shi, machi, mura.
_SUFFIXES = ("\u5e02", "\u753a", "\u6751")
_HEADER = re.compile(r"^\[\[?\s*([^\[\]]+?)\s*\]\]?$")
_KEY = re.compile(r"^([A-Za-z0-9_\-.]+|\"[^\"]*\"|'[^']*')\s*=")


def bilingual(key: str, **values: object) -> str:
    return " / ".join(both(key, **values))


# ---- placeholders ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    line: int
    key: str  # "app.ios_url", "events.venues[0].shop_incentives", "targets.2026"
    note: str  # what the TODO comment says to put there


def _split_comment(line: str) -> tuple[str, str | None]:
    """(the code, the comment after '#' outside strings, or None)."""
    quote: str | None = None
    escaped = False
    for i, char in enumerate(line):
        if quote is not None:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i], line[i + 1 :]
    return line, None


def _depth(code: str) -> int:
    """How many brackets and braces a line opens (less those it closes), strings left out."""
    code = re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", "", code)
    return sum(code.count(c) for c in "[{") - sum(code.count(c) for c in "]}")


def _todo(comment: str | None) -> str | None:
    if comment is None or not comment.strip().startswith("TODO"):
        return None
    return comment.strip()[4:].lstrip(" :").strip()


def placeholders(text: str) -> list[Placeholder]:
    """Every placeholder of a city or region file's text, in file order."""
    found: list[Placeholder] = []
    table, key, depth = "", "", 0
    arrays: dict[str, int] = {}
    pending: list[tuple[int, str]] = []  # TODO comments on lines of their own, waiting for the next key or table
    for number, line in enumerate(text.splitlines(), 1):
        code, comment = _split_comment(line)
        stripped = code.strip()
        note = _todo(comment)
        if depth == 0 and (header := _HEADER.match(stripped)):
            name = header.group(1)
            if stripped.startswith("[["):
                arrays[name] = arrays.get(name, -1) + 1
                name = f"{name}[{arrays[name]}]"
            table, key = name, ""
        elif depth == 0 and (assignment := _KEY.match(stripped)):
            key = assignment.group(1).strip("\"'")
            depth = _depth(code[code.index("=") + 1 :])
        elif depth:
            depth += _depth(code)
        where = ".".join(part for part in (table, key) if part) or "(top level)"
        if stripped and pending:
            found += [Placeholder(n, where, text) for n, text in pending]
            pending = []
        if note is not None:
            if stripped:
                found.append(Placeholder(number, where, note))
            else:
                pending.append((number, note))
    found += [Placeholder(n, "(end of file)", note) for n, note in pending]
    return found


# ---- city new ----------------------------------------------------------------------------------------------------


def _toml_text(value: str) -> str:
    """A value as the inside of a TOML basic string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def starting_file(city_id: str, name: str, name_en: str = "", public_base_url: str = "") -> str:
    """The commented starting file of a new town (bot/cities/template/city.toml filled in)."""
    short = name
    for suffix in _SUFFIXES:
        short = short.removesuffix(suffix)
    values = {
        "id": city_id,
        "name": name,
        "name_en": name_en or city_id.replace("-", " ").title(),
        "name_en_todo": "" if name_en else "  # TODO: the town's English name",
        "bot_name": t("ja", "cities.new.bot_name", short=short or name),
        "env": city_id.upper().replace("-", "_"),
        "public_base_url": public_base_url or DEFAULT_ADDRESS.format(id=city_id),
    }
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute({k: _toml_text(v) for k, v in values.items()})


def _configure_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help=t("en", "cli.city.id"))
    parser.add_argument("--name", required=True, help=t("en", "cli.city.name"))
    parser.add_argument("--name-en", default="", help=t("en", "cli.city.name_en"))
    parser.add_argument("--out", help=t("en", "cli.city.out"))
    parser.add_argument("--public-base-url", default="", help=t("en", "cli.city.public_base_url"))
    parser.add_argument("--force", action="store_true", help=t("en", "cli.city.force"))


def run_new(args: argparse.Namespace) -> int:
    if not re.fullmatch(city_file.SLUG, args.id):
        print(bilingual("cities.new.bad_id", id=args.id), file=sys.stderr)
        return 2
    text = starting_file(args.id, args.name.strip(), args.name_en.strip(), args.public_base_url.strip())
    try:
        city_file.parse_city(text, f"{args.id}.toml")
    except city_file.CityFileError as exc:
        print(bilingual("cities.new.invalid", problem=exc), file=sys.stderr)
        return 2
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.out or f"{args.id}.toml")
    if out.exists() and not args.force:
        print(bilingual("cities.new.exists", path=out), file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    left = placeholders(text)
    print(bilingual("cities.new.written", path=out, count=len(left)))
    for found in left:
        print(bilingual("cities.check.placeholder", line=found.line, setting=found.key, note=found.note))
    print(bilingual("cities.new.next", id=args.id))
    return 0


# ---- city check --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    path: Path
    id: str  # the city's (or region's) id; the file name when it cannot be read
    problem: str | None  # why the file cannot be used, None when it can
    placeholders: tuple[Placeholder, ...] = ()


def check_file(path: Path) -> Checked:
    """One file: valid by the city (or region) model, a usable id and known features, and its placeholders."""
    try:
        if city_file.is_region_file(path):
            region = city_file.load_region(path)
            return Checked(path, region.id, None, tuple(placeholders(path.read_text(encoding="utf-8"))))
        config = city_file.load_city(path)
    except city_file.CityFileError as exc:
        return Checked(path, path.stem.lower(), str(exc))
    city_id = config.info.id or path.stem.lower()
    if not re.fullmatch(city_file.SLUG, city_id):
        return Checked(path, city_id, f"[city] id {city_id!r}: lowercase letters, digits and - (set [city] id)")
    unknown = unknown_features(config)
    if unknown:
        return Checked(path, city_id, f"[city] features: unknown {unknown}")
    return Checked(path, city_id, None, tuple(placeholders(path.read_text(encoding="utf-8"))))


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", help=t("en", "cli.city.check_id"))


def run_check(args: argparse.Namespace) -> int:
    try:
        paths = city_config_paths()
    except ConfigError as exc:
        print(bilingual("cities.check.together", problem=exc), file=sys.stderr)
        return 2
    checked = [check_file(path) for path in paths]
    if args.id is not None:
        chosen = [found for found in checked if found.id == args.id]
        if not chosen:
            print(bilingual("cities.check.unknown", id=args.id, ids=", ".join(c.id for c in checked)), file=sys.stderr)
            return 2
        checked = chosen
    for found in checked:
        _print_checked(found)
    invalid = sum(found.problem is not None for found in checked)
    if args.id is None and not invalid:
        try:  # what only the files together can say: ids used twice, a region's unknown city, a second address
            load_settings()
        except ConfigError as exc:
            print(bilingual("cities.check.together", problem=exc))
            invalid += 1
    left = sum(len(found.placeholders) for found in checked)
    print(bilingual("cities.check.summary", files=len(checked), invalid=invalid, placeholders=left))
    return 2 if invalid else 1 if left else 0


def _print_checked(found: Checked) -> None:
    if found.problem is not None:
        print(bilingual("cities.check.invalid", path=found.path, problem=found.problem))
        return
    if not found.placeholders:
        print(bilingual("cities.check.ok", path=found.path, id=found.id))
        return
    print(bilingual("cities.check.placeholders", path=found.path, id=found.id, count=len(found.placeholders)))
    for item in found.placeholders:
        print(bilingual("cities.check.placeholder", line=item.line, setting=item.key, note=item.note))


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    city = sub.add_parser("city", help=t("en", "cli.city.help"))
    actions = city.add_subparsers(dest="city_action", required=True)
    _configure_new(actions.add_parser("new", help=t("en", "cli.city.new")))
    _configure_check(actions.add_parser("check", help=t("en", "cli.city.check")))
    return {"city": lambda args: run_new(args) if args.city_action == "new" else run_check(args)}
