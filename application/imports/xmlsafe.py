"""Parsing XML safely: defusedxml, with no DTD, no entity expansion and nothing fetched."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from application.imports.values import ImportRefused


def parse_xml(name: str, content: bytes) -> Element:
    """The root element, or ImportRefused: malformed XML, a DTD, entities, external refs."""
    try:
        return fromstring(content, forbid_dtd=True, forbid_entities=True,
                          forbid_external=True)
    except DefusedXmlException as error:
        raise ImportRefused(f"{name}: XML with a DTD, entity declarations or external "
                            f"references is refused ({type(error).__name__}); nothing is "
                            "expanded or fetched") from None
    except ParseError as error:
        raise ImportRefused(f"{name}: not well-formed XML ({error})") from None


def local_name(tag: str) -> tuple[str, str]:
    """'{namespace}Name' as (namespace, Name)."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag
