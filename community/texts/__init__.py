"""Every user-facing string, Japanese first and English when the member chose it (/lang en): one catalogue module per
feature in this package (`TEXTS`: key -> (ja, en)), plus the words people type (`WORDS`: key -> accepted words).

A new feature adds `community/texts/<feature>.py`; the modules here are found by name, no list to extend. Code
outside this package holds no Japanese text (tests/test_texts.py checks).
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from functools import cache
from types import ModuleType

LANGS = ("ja", "en")


@cache
def _modules() -> tuple[ModuleType, ...]:
    return tuple(importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__))


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for module in _modules():
        for key, pair in getattr(module, "TEXTS", {}).items():
            if key in merged:
                raise ValueError(f"text key {key!r} is defined twice ({module.__name__})")
            merged[key] = pair
    return merged


@cache
def _words() -> dict[str, frozenset[str]]:
    merged: dict[str, frozenset[str]] = {}
    for module in _modules():
        for key, words in getattr(module, "WORDS", {}).items():
            if key in merged:
                raise ValueError(f"word list {key!r} is defined twice ({module.__name__})")
            merged[key] = frozenset(fold(w) for w in words)
    return merged


def fold(text: str) -> str:
    """How typed words are compared: full-width folded (NFKC), case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def t(lang: str, key: str, **values: object) -> str:
    ja, en = catalogue()[key]
    template = en if lang == "en" else ja
    return template.format(**values) if values else template


def both(key: str, **values: object) -> tuple[str, str]:
    """The (ja, en) pair, formatted."""
    return t("ja", key, **values), t("en", key, **values)


def has(key: str) -> bool:
    return key in catalogue()


def words(key: str) -> frozenset[str]:
    """The accepted typed words for key (already folded): compare with fold(text)."""
    return _words()[key]


def is_word(key: str, text: str | None) -> bool:
    return text is not None and fold(text) in words(key)


@cache
def bilingual_keys() -> frozenset[str]:
    """Keys printed as one "ja / en" line, whose Japanese half may leave details to the English half."""
    return frozenset(key for module in _modules() for key in getattr(module, "BILINGUAL", ()))
