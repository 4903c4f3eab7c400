"""Reading the pages' HTML in tests: invoices listed, errors beside fields, labels, sections."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from werkzeug.test import TestResponse


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def invoices(html: str) -> list[str]:
    """Invoice numbers linked in case tables, in page order."""
    return re.findall(r'class="invoice" href="[^"]+">([^<]+)</a>', html)


def section(html: str, element_id: str) -> str:
    """The markup of the <section> (or other element) with this id, up to its closing tag."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    return html[tag:html.index(f"</{name}>", start)]


def field_error(html: str, field_id: str) -> str | None:
    """The message shown beside the field with this id, or None."""
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>',
                      html, re.S)
    return unescape(found.group(1)) if found else None


def input_value(html: str, field_id: str) -> str | None:
    found = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*?'
                      rf'(?:value="([^"]*)"[^>]*>|>([^<]*)</textarea>)', html, re.S)
    return unescape(found.group(1) or found.group(2) or "") if found else None


class Controls(HTMLParser):
    """Every form control's id and every label's `for`, to check each control is labelled."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("type") not in ("hidden",
                                                                                 "submit"):
            self.controls.append(found.get("id") or f"<{tag} name={found.get('name')}>")
        if tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")


def unlabelled(html: str) -> list[str]:
    parser = Controls()
    parser.feed(html)
    return [c for c in parser.controls if c not in parser.labels]
