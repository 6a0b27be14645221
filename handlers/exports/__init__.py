"""The exports feature (issue 15): posts, voices, surveys, events (also in the standard open dataset form),
touchpoints and referrals as CSV or JSON, from the command line (`python -m bot export`) and the dashboard; members
only by public id; every export audited. It owns no tables."""

from __future__ import annotations

from handlers.exports.cli import COMMANDS
from handlers.exports.web import ROUTES
from handlers.feature import Feature

FEATURE = Feature("exports", web=ROUTES, cli=COMMANDS)
