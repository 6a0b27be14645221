"""Imports every table module so SQLModel.metadata (Alembic, tests) knows them all."""

from storage.models import announce, audit, childcare, community, core, events, quota, staff  # noqa: F401
