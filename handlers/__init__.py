"""Everything that comes in — chat events and commands, web requests, CLI commands, scheduled jobs — answered one
feature at a time: one package per feature (core, board, kpi, events, childcare, staff), each with a FEATURE entry
point; the list is handlers/features.py."""
