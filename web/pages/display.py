"""Template helpers for pages: an event's details as label/text pairs."""

from __future__ import annotations

import json
import re
from typing import Any

from web.formatting import money, words
from web.pages.forms import LABELS

# Stored vocabulary words (bank_transfer, promised_to_pay) are shown as words.
_VOCABULARY = re.compile(r"^[a-z]+(_[a-z]+)+$")


def _text(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return money(value["amount"], value["currency"])
    if isinstance(value, dict):
        parts = ((k, _text(v)) for k, v in value.items())
        return "; ".join(f"{words(k)}: {t}" for k, t in parts if t)
    if isinstance(value, list):
        return "; ".join(t for t in (_text(v) for v in value) if t)
    if value is None or value == "":
        return ""
    text = str(value)
    return words(text) if _VOCABULARY.match(text) else text


# Labels an event spells its own way (the same field name means another thing).
EVENT_LABELS = {
    "AttachmentAdded": {"kind": "Kind of document", "name": "File name",
                        "media_type": "Media type", "size": "Size (bytes)",
                        "sha256": "SHA-256"},
}


def event_details(details: str | dict[str, Any] | None,
                  event_type: str = "") -> list[tuple[str, str]]:
    """The event's own fields (stored as JSON) as (label, text), blanks left out."""
    data = json.loads(details) if isinstance(details, str) else (details or {})
    labels = {**LABELS, **EVENT_LABELS.get(event_type, {})}
    pairs = ((labels.get(k, words(k).capitalize()), _text(v)) for k, v in sorted(data.items()))
    return [(label, text) for label, text in pairs if text]
