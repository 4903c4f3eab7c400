"""Attaching a document: given a case, when attach_document, then AttachmentAdded (or refused)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from domain.attachments import AlreadyAttached, DocumentKind
from domain.errors import InvalidValue
from domain.events import AttachmentAdded
from tests.builders import (
    ISSUED,
    day,
    eur,
    given,
    names,
    open_case,
    refused,
    replayed,
    stamp,
    step,
    when,
)

CONTRACT = hashlib.sha256(b"the contract").hexdigest()
EMAIL = hashlib.sha256(b"an email").hexdigest()


def document(**overrides):
    return {"name": "contract.pdf", "media_type": "application/pdf", "size": 12_345,
            "sha256": CONTRACT, "kind": "contract", "description": "Signed by both", **overrides}


class TestAttachingADocument:
    def test_records_its_name_type_size_hash_kind_and_description(self):
        case = given()
        [event] = when(case, "attach_document", day(3), **document())
        assert isinstance(event, AttachmentAdded)
        assert (event.name, event.media_type, event.size, event.sha256) == (
            "contract.pdf", "application/pdf", 12_345, CONTRACT)
        assert (event.kind, event.description, event.occurred_on) == (
            "contract", "Signed by both", day(3))
        assert case.attachments == {CONTRACT: "contract.pdf"}

    def test_changes_no_balance_and_no_stage(self):
        case = given()
        stage, outstanding = case.stage, case.outstanding
        when(case, "attach_document", day(3), **document())
        assert (case.stage, case.outstanding) == (stage, outstanding)

    def test_kind_defaults_to_other(self):
        case = given()
        [event] = when(case, "attach_document", day(3), **document(kind=DocumentKind.OTHER))
        assert event.kind == "other"

    def test_a_second_document_is_kept_beside_the_first(self):
        case = given(None, step("attach_document", day(1), **document()))
        when(case, "attach_document", day(2), **document(name="mail.eml", sha256=EMAIL,
                                                          media_type="message/rfc822"))
        assert case.attachments == {CONTRACT: "contract.pdf", EMAIL: "mail.eml"}

    def test_replays_to_the_same_attachments(self):
        case = open_case()
        case.attach_document(**document(), stamp=stamp(day(1)))
        case.attach_document(**document(sha256=EMAIL, name="mail.eml"), stamp=stamp(day(2)))
        assert replayed(case.collect_events()).attachments == case.attachments

    def test_is_accepted_on_a_closed_case(self):
        case = given(None, step("record_payment", day(0), amount=eur("1000.00"),
                                method="card"))
        assert case.is_closed
        assert names(when(case, "attach_document", day(9), **document())) == [
            "AttachmentAdded"]


class TestRefused:
    def test_the_same_content_twice_naming_the_first(self):
        case = given(None, step("attach_document", day(1), **document()))
        with refused(case, AlreadyAttached, "file", match="already attached to the case as "
                                                          "'contract.pdf'"):
            when(case, "attach_document", day(2), **document(name="copy.pdf"))

    @pytest.mark.parametrize(("overrides", "field"), [
        ({"sha256": "abc"}, "sha256"),
        ({"sha256": CONTRACT.upper()}, "sha256"),
        ({"media_type": "pdf"}, "media_type"),
        ({"media_type": "text/plain; charset=utf-8"}, "media_type"),
        ({"size": 0}, "size"),
        ({"size": True}, "size"),
        ({"name": "  "}, "file_name"),
        ({"name": "x" * 256}, "file_name"),
        ({"name": "a\u202ereversed.pdf"}, "file_name"),
        ({"kind": "photo"}, "kind"),
        ({"description": "d" * 2001}, "description"),
    ])
    def test_a_malformed_fact(self, overrides, field):
        case = given()
        with refused(case, InvalidValue, field):
            when(case, "attach_document", day(2), **document(**overrides))

    def test_a_date_before_the_invoice(self):
        case = given()
        with refused(case, InvalidValue, "occurred_on"):
            when(case, "attach_document", ISSUED - timedelta(days=1), **document())
