"""Imports every table module so SQLModel.metadata (Alembic, tests) knows them all."""

from storage.models import audit, childcare, community, core, events, linking, quota, staff  # noqa: F401
