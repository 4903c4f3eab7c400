"""Small documents of each type, made here, for the attachment tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def pdf(text: str = "Contract") -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode()
            + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    """A real 1x1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def email(body: bytes = b"Please find the invoice attached.\r\n") -> bytes:
    return (b"Return-Path: <accounts@debtor.example>\r\n"
            b"From: Accounts <accounts@debtor.example>\r\n"
            b"To: credit@creditor.example\r\n"
            b"Subject: Re: invoice INV-1001\r\n"
            b"Date: Mon, 2 Mar 2026 10:15:00 +0000\r\n"
            b"Message-ID: <1@debtor.example>\r\n"
            b"Content-Type: text/plain;\r\n charset=utf-8\r\n\r\n" + body)


def text(words: str = "Call transcript, 2 March 2026.\nThey promised to pay.\n") -> bytes:
    return words.encode("utf-8")


def _zipped(first: str, files: dict[str, str], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(first, files.pop(first),
                         compress_type=zipfile.ZIP_STORED if stored_first else None)
        for name, content in files.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def docx() -> bytes:
    return _zipped("[Content_Types].xml", {
        "[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document/>"})


def xlsx() -> bytes:
    return _zipped("[Content_Types].xml", {
        "[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
        "xl/workbook.xml": "<workbook/>"})


def odt() -> bytes:
    return _zipped("mimetype", {"mimetype": "application/vnd.oasis.opendocument.text",
                                "content.xml": "<office:document-content/>"}, stored_first=True)


def zip_archive() -> bytes:
    return _zipped("notes.txt", {"notes.txt": "hello", "more.txt": "world"})
