"""The occasions feature (issue 17): a sign-up QR per occasion (成人式 2027, a school, a festival) that brings people
to the LINE account and records which occasion brought them; the KPIs count sign-ups per occasion."""

from __future__ import annotations

from community import occasions
from handlers.feature import Feature
from handlers.occasions.chat import chat
from handlers.occasions.cli import COMMANDS
from handlers.occasions.data import DATA
from handlers.occasions.web import ROUTES
from storage.models.occasions import Occasion

FEATURE = Feature(
    "occasions",
    chat=chat,
    web=ROUTES,
    cli=COMMANDS,
    tables=(Occasion,),
    data=DATA,
    kpis=(occasions.KPIS,),
    report=(occasions.PER_OCCASION,),
    digest=occasions.digest_lines,
)
