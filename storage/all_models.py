"""Imports every table module so SQLModel.metadata (Alembic, tests) knows them all."""

from storage.models import (  # noqa: F401
    announce,
    areas,
    audit,
    childcare,
    circles,
    community,
    core,
    events,
    linking,
    listings,
    occasions,
    quota,
    staff,
)
