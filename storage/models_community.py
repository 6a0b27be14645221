"""SQLModel tables for community."""
from __future__ import annotations
