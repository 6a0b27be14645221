"""Imports every table module so SQLModel.metadata (Alembic, tests) knows them all."""
from storage import models, models_childcare, models_community, models_events, models_quota, models_staff  # noqa: F401
