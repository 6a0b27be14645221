"""Settings for a command: a bad one ends it with one line naming the setting (exit 2), never a traceback."""

from __future__ import annotations

import sys

from bot.config import ConfigError, Settings, load_settings
from community.texts import t


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        print(f"{t('ja', 'config.error')} / {t('en', 'config.error')}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
