"""Alembic, driven from code so `python -m bot db upgrade` and the server need no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str, schema: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["schema"] = schema
    return config


def upgrade(database_url: str, revision: str = "head", schema: str | None = None) -> None:
    """Bring the database (or, on PostgreSQL, one city's schema in it) up to date; creates the schema if needed."""
    if schema:
        engine = make_engine(database_url)
        try:
            with engine.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        finally:
            engine.dispose()
    command.upgrade(alembic_config(database_url, schema), revision)


def current_heads(database_url: str) -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())
