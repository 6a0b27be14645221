"""SQLModel tables for events."""
from __future__ import annotations
