"""The invoice inside a PDF/A-3 (Factur-X, ZUGFeRD, XRechnung as PDF), taken out with the
maintained `factur-x` library; its XML is then parsed safely like any other (`xmlsafe`)."""

from __future__ import annotations

import logging

from application.imports.values import ImportRefused

# The library logs every attachment it looks at; a refused PDF is reported by us instead.
logging.getLogger("factur-x").setLevel(logging.ERROR)


def embedded_xml(name: str, content: bytes) -> bytes:
    """The embedded invoice XML, or ImportRefused when the PDF carries none."""
    from facturx import get_xml_from_pdf  # imported here: only PDFs need it

    try:
        _, xml = get_xml_from_pdf(content, check_xsd=False)
    except Exception as error:  # the library raises plain exceptions for unreadable PDFs
        raise ImportRefused(f"{name}: not a readable PDF ({type(error).__name__})") from None
    if not xml:
        raise ImportRefused(f"{name}: a PDF without an embedded invoice (no Factur-X, "
                            "ZUGFeRD or XRechnung XML attached to it)")
    return bytes(xml)
