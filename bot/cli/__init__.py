"""The command line: `python -m bot` (main.py) and the subcommands each feature adds."""

from bot.cli.main import main

__all__ = ["main"]
