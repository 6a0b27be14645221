"""Alembic environment: the target metadata is every SQLModel table in storage.models."""

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.all_models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"), config.attributes.get("schema"))
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # A batch migration copies a table and drops the old one, which other tables' rows refer to: with the
            # foreign keys on that DROP fails. SQLite applies this only outside a transaction, hence the commit.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Instances starting together migrate one at a time; the later ones then find nothing to do.
                connection.execute(text("SELECT pg_advisory_xact_lock(70070001)"))
            context.run_migrations()
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
