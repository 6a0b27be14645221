"""Persistence: SQLModel tables (models), engine and sessions (db), Alembic migrations (migrations/)."""
