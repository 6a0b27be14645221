"""SQLModel tables for staff."""
from __future__ import annotations
