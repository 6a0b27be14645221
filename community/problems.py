"""The one domain problem type: bad input or a rule the request breaks, as a text key plus values.

The domain raises `Problem("event.no_such_code", code=...)`; the router turns it into the person's language once,
at the edge, and undoes whatever the handler changed before it noticed.
"""

from __future__ import annotations

from community.texts import t


class Problem(Exception):
    def __init__(self, key: str, *, with_usage: bool = True, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values
        # False: a rule the request breaks rather than the command's form: answered without its usage line.
        self.with_usage = with_usage

    def text(self, lang: str = "ja") -> str:
        return t(lang, self.key, **self.values)

    def __str__(self) -> str:  # logs and tests read the Japanese
        return self.text("ja")
