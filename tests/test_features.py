"""The rules that keep a feature one slice: every table belongs to exactly one feature, a feature whose tables can
name a person says how /forget-me erases it, every command's texts are in the catalogue in both languages, every
job's schedule and description too, and the layers import only downwards without cycles."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import storage.all_models  # noqa: F401 - every table on the metadata
from community.texts import bilingual_keys, catalogue, has
from handlers.features import FEATURES, all_jobs, build_router

ROOT = Path(__file__).resolve().parents[1]
# Columns that point at a person: a table with one of them is personal data somebody must erase.
PERSON_COLUMNS = {"member_id", "author_member_id", "hidden_by", "organizer_id"}


def test_every_table_belongs_to_exactly_one_feature():
    owners: dict[str, list[str]] = {}
    for feature in FEATURES:
        for table in feature.tables:
            owners.setdefault(table.__tablename__, []).append(feature.name)
    every_table = set(SQLModel.metadata.tables)
    assert set(owners) == every_table, f"tables no feature owns: {every_table - set(owners)}"
    assert {name: who for name, who in owners.items() if len(who) > 1} == {}


def test_a_feature_whose_tables_name_people_says_what_forget_me_erases():
    for feature in FEATURES:
        personal = [t.__tablename__ for t in feature.tables if PERSON_COLUMNS & set(t.__table__.columns.keys())]
        if personal:
            assert feature.erase is not None, f"{feature.name} owns {personal} but declares no eraser"


def test_every_command_has_its_texts_in_both_languages():
    router = build_router()
    for command in router.commands.values():
        for key in (f"cmd.{command.name}", f"usage.{command.name}"):
            assert has(key), f"{key} is not in the catalogue"
        assert command.summary[0] and command.summary[1] and command.summary[0] != command.summary[1]
        assert command.usage and command.usage_en


def test_every_job_has_a_schedule_and_description():
    names = [job.name for job in all_jobs()]
    assert len(names) == len(set(names))
    assert set(names) == {
        "purge-raw",
        "checkup-notices",
        "weekly-digest",
        "quiet-groups",
        "after-event",
        "quiet-areas",
        "event-reminders",
        "announcements",
    }
    for job in all_jobs():
        assert job.schedule("ja") and job.schedule("en") and job.description("ja") and job.description("en")


def test_feature_names_are_unique_and_match_their_packages():
    names = [feature.name for feature in FEATURES]
    assert len(names) == len(set(names))
    for feature in FEATURES:
        assert (ROOT / "handlers" / feature.name / "__init__.py").is_file(), feature.name


# ---- texts ---------------------------------------------------------------------------------------------------------

FIELDS = string.Formatter()


def _fields(template: str) -> set[str]:
    """Placeholder names; a value given per language (hosts_ja / hosts_en) counts as one (hosts)."""
    return {re.sub(r"_(ja|en)$", "", name) for _, name, _, _ in FIELDS.parse(template) if name}


def test_every_text_has_both_languages_with_the_same_placeholders():
    for key, (ja, en) in catalogue().items():
        assert ja and en, key
        if key not in bilingual_keys():  # a "ja / en" line gives its details once, in either half
            assert _fields(ja) == _fields(en), f"{key}: placeholders differ between ja and en"


# A Japanese word: two or more kana or kanji in a row (a separator such as "・" or "ー" alone is not text).
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{2,}")


def _docstring_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def _patterns(tree: ast.AST) -> set[int]:
    """ids of string constants that are regular expressions (re.compile(...), re.sub(...)): input syntax, not text."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            found.update(id(n) for n in ast.walk(node.args[0]))
    return found


def _japanese_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_lines(tree)
    patterns = _patterns(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.lineno not in docstrings
            and id(node) not in patterns
            and not node.value.startswith("/")  # a file path is not text
            and JAPANESE.search(node.value)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:40]!r}")
    return found


def test_no_japanese_text_in_code_outside_the_catalogues():
    """Every user-facing string is in community/texts/ (so /lang en works everywhere); comments and docstrings may
    be Japanese, and so may city files, templates, tests and docs."""
    code = [
        path
        for folder in ("bot", "handlers", "community", "scheduler", "storage")
        for path in (ROOT / folder).rglob("*.py")
        if "texts" not in path.relative_to(ROOT).parts[:2]
    ]
    assert len(code) > 40
    found = [line for path in code for line in _japanese_literals(path)]
    assert found == []


# ---- layers --------------------------------------------------------------------------------------------------------

# Which top-level folders each may import from (the design's one-way path).
ALLOWED = {
    "storage": {"storage"},
    "community": {"community", "storage"},
    "scheduler": {"scheduler", "community", "storage"},
    "handlers": {"handlers", "scheduler", "community", "storage"},
    "bot": {"bot", "handlers", "scheduler", "community", "storage"},
}
PLATFORMS = {"linebot", "discord", "aiohttp"}


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(n) for f in functions for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in nested) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno, id(node) in nested))
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer):
    ours = set(ALLOWED)
    for path in (ROOT / layer).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module, line, _ in _imports(path):
            top = module.split(".")[0]
            if top in ours:
                assert top in ALLOWED[layer], f"{path.relative_to(ROOT)}:{line} imports {module}"
            if layer in ("community", "storage"):
                assert top not in PLATFORMS, f"{path.relative_to(ROOT)}:{line}: the domain imports {module}"


def test_no_function_level_imports_of_our_own_modules():
    """A function-level import of our own code hides an import cycle; the one exception is the optional Discord
    client (imported only when Discord is on, to spare a LINE-only city its memory)."""
    allowed = {("bot/app.py", "bot.discord.wiring"), ("bot/app.py", "bot.discord.adapter")}
    for folder in ALLOWED:
        for path in (ROOT / folder).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            for module, line, inside in _imports(path):
                if inside and module.split(".")[0] in ALLOWED and (relative, module) not in allowed:
                    pytest.fail(f"{relative}:{line} imports {module} inside a function")
