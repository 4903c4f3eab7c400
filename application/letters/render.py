"""A letter from its Jinja template to HTML and, by WeasyPrint, to PDF, the same bytes each
time for the same letter.

One template per kind (templates/reminder.html, formal_demand.html, letter_of_claim.html),
each extending templates/letter.html (the layout: creditor and debtor blocks, the account).
Fonts come from Debian's fonts-dejavu-core (scripts/ensure-pdf). The PDF's dates are the
letter's date (`dcterms.created` and `dcterms.modified`), and the fonts' subsets carry that
date too (SOURCE_DATE_EPOCH while rendering, which fontTools reads): rendering the same
letter again gives the same bytes with the same WeasyPrint, fonts and HarfBuzz.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from application.bundles.chronology import render_pdf
from application.schedule.hooks import LetterKind

_TEMPLATES = Environment(loader=PackageLoader("application.letters", "templates"),
                         autoescape=select_autoescape(default=True), trim_blocks=True,
                         lstrip_blocks=True, undefined=StrictUndefined)
_EPOCH = threading.Lock()


def render_html(kind: LetterKind, context: Mapping[str, Any]) -> str:
    return _TEMPLATES.get_template(f"{kind.value}.html").render(**context)


@contextmanager
def source_date(day: date) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to the start of `day` (UTC) meanwhile, one render at a time."""
    epoch = str(int(datetime.combine(day, time(), tzinfo=UTC).timestamp()))
    with _EPOCH:
        before = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = epoch
        try:
            yield
        finally:
            if before is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def letter_pdf(kind: LetterKind, context: Mapping[str, Any], day: date) -> bytes:
    """The letter of `kind` dated `day` as PDF bytes."""
    html = render_html(kind, context)
    with source_date(day):
        return render_pdf(html)
