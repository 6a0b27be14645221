"""CLI subcommands for staff."""
from __future__ import annotations

import argparse
from typing import Callable


def add_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Adds subparsers; returns {subcommand: function(args) -> exit code}. None yet."""
    return {}
