"""What a document is, read from its content, never from its name.

Binary formats (PDF, PNG, JPEG, the zipped office formats) are recognised by the `filetype`
library from their leading bytes. It knows no text formats, so those are recognised here: an
email message (RFC 5322: a block of header lines with From and Date) and plain text (UTF-8,
ASCII included, with no control characters but tab, line breaks and form feed).
"""

from __future__ import annotations

import re

import filetype

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
TEXT, EMAIL = "text/plain", "message/rfc822"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# Every media type Arrears can recognise (and so record), with what people call it and the
# short name configuration may use for it.
KNOWN: dict[str, tuple[str, str]] = {
    PDF: ("PDF document", "pdf"),
    PNG: ("PNG image", "png"),
    JPEG: ("JPEG image", "jpeg"),
    TEXT: ("plain text", "txt"),
    EMAIL: ("email message", "eml"),
    DOCX: ("Word document", "docx"),
    XLSX: ("Excel workbook", "xlsx"),
    ODT: ("OpenDocument text", "odt"),
}
# The file-name extensions a browser's file chooser offers for each type (a hint only: the
# type is read from the content).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), TEXT: (".txt",), EMAIL: (".eml",),
    DOCX: (".docx",), XLSX: (".xlsx",), ODT: (".odt",),
}
BINARY = frozenset({PDF, PNG, JPEG, DOCX, XLSX, ODT})
# Control characters plain text may hold: tab, line feed, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HEADER = re.compile(rb"[!-9;-~]+:")  # a field name (printable ASCII but ':') and a colon
_FOLDED = re.compile(rb"[ \t]")
HEADER_BLOCK = 64 * 1024  # an email's header block must end within this many bytes


def describe(media_type: str) -> str:
    """What people call content of a media type: 'a PNG image (image/png)'."""
    name = KNOWN.get(media_type, ("", ""))[0]
    if not name:
        return f"of type {media_type}"
    if name != "plain text":
        name = ("an " if name[0] in "aeiouAEIOU" else "a ") + name
    return f"{name} ({media_type})"


def sniff(content: bytes) -> str | None:
    """The media type of the content, or None when it is of no type Arrears recognises.

    A type `filetype` names that Arrears does not record (a ZIP, a GIF, a program) is
    returned as named, so a refusal can say what the content is.
    """
    guess = filetype.guess_mime(content)
    if guess in BINARY:
        return guess
    if is_email(content):
        return EMAIL
    if is_text(content):
        return TEXT
    return guess


def is_text(content: bytes) -> bool:
    """UTF-8 text (a byte-order mark allowed) without other control characters."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return _CONTROL.search(text) is None


def is_email(content: bytes) -> bool:
    """An Internet message: header lines up to a blank line, among them From and Date.

    An mbox 'From ' line may come first; the body after the headers may be in any encoding.
    """
    end = content.find(b"\n\n", 0, HEADER_BLOCK)
    crlf = content.find(b"\r\n\r\n", 0, HEADER_BLOCK)
    if crlf != -1 and (end == -1 or crlf < end):
        end = crlf
    if end == -1:
        return False
    lines = content[:end].replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    names: set[bytes] = set()
    for n, line in enumerate(lines):
        if _FOLDED.match(line) and n > 0:
            continue
        if not _HEADER.match(line) or b"\x00" in line:
            return False
        names.add(line.split(b":", 1)[0].strip().lower())
    return {b"from", b"date"} <= names
