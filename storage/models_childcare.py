"""SQLModel tables for childcare."""
from __future__ import annotations
