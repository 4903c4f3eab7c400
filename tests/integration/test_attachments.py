"""Attachments and the case as known at a time, on a real event store (SQLite, PostgreSQL).

Nothing is stored for a refused upload: no event and no blob. The bytes are stored once the
case has accepted the document, before its event is saved; the read models list it, and its
event is in the timeline and the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.asof import CaseNotYetRecorded, known_at
from application.attachments.policy import AttachmentPolicy, FileTooLarge, TypeNotAllowed, Upload
from application.attachments.service import Attachments
from application.attachments.store import FileBlobStore
from application.attachments.types import PDF
from application.bootstrap import Arrears, build
from application.clock import FixedClock
from application.errors import ConcurrentWrite
from application.service import CaseService
from domain.attachments import AlreadyAttached, DocumentKind
from domain.errors import InvalidValue
from domain.money import Money
from domain.values import Debtor
from tests import attachment_files as files
from tests.builders import random_ref
from tests.commands import execute, open_case

ISSUED, DUE = date(2025, 11, 1), date(2025, 12, 1)


def opened(service: CaseService, amount: str = "1000.00") -> UUID:
    return open_case(service, occurred_on=ISSUED, creditor="Creditor Ltd",
                     invoice_number=random_ref(), debtor=Debtor("Debtor Ltd"),
                     amount=Money.of(amount, "EUR"), issue_date=ISSUED, due_date=DUE)


def blob_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def blobs(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


@pytest.fixture
def attachments(service: CaseService, blobs: FileBlobStore) -> Attachments:
    return Attachments(service, blobs, AttachmentPolicy(max_bytes=64 * 1024,
                                                        allowed=(PDF, "text/plain")))


class TestAttaching:
    def test_stores_the_bytes_and_records_the_event(self, service, attachments, blobs):
        case_id = opened(service)
        attached = attachments.attach(Upload("contract.pdf", files.pdf()), case_id=case_id,
                                      actor="ann", kind=DocumentKind.CONTRACT,
                                      description="Signed", occurred_on=date(2025, 12, 5))
        [event] = [e for e in service.history(case_id) if e["type"] == "AttachmentAdded"]
        assert event["data"] == {"name": "contract.pdf", "media_type": PDF,
                                 "size": len(files.pdf()), "sha256": attached.document.sha256,
                                 "kind": "contract", "description": "Signed"}
        assert (event["occurred_on"], event["actor"]) == ("2025-12-05", "ann")
        assert blobs.get(attached.document.sha256) == files.pdf()
        assert service.load(case_id).attachments == {attached.document.sha256: "contract.pdf"}

    def test_reads_back_its_own_event(self, service, attachments):
        case_id = opened(service)
        attached = attachments.attach(Upload("a.txt", files.text()), case_id=case_id,
                                      actor="ann")
        event = attachments.event(case_id, attached.recorded.version)
        assert (event.name, event.sha256) == ("a.txt", attached.document.sha256)

    def test_one_blob_for_the_same_content_on_two_cases(self, service, attachments, blobs):
        first, second = opened(service), opened(service)
        for case_id in (first, second):
            attachments.attach(Upload("contract.pdf", files.pdf()), case_id=case_id,
                               actor="ann")
        assert len(blob_files(blobs.root)) == 1
        assert all(service.load(c).attachments for c in (first, second))

    def test_a_closed_case_takes_a_document(self, service, attachments):
        case_id = opened(service, amount="100.00")
        execute(service, case_id, "record_payment", amount=Money.of("100.00", "EUR"),
                method="card", occurred_on=DUE)  # on time: no interest to claim or waive
        assert service.load(case_id).is_closed
        attached = attachments.attach(Upload("receipt.pdf", files.pdf("receipt")),
                                      case_id=case_id, actor="ann")
        assert attached.recorded.version == 4


class TestNothingIsStoredWhenRefused:
    @pytest.mark.parametrize(("upload", "error"), [
        (Upload("invoice.pdf", files.png()), TypeNotAllowed),  # a .pdf-named PNG
        (Upload("big.pdf", files.pdf() + b"%" * (64 * 1024)), FileTooLarge),
        (Upload("archive.pdf", files.zip_archive()), TypeNotAllowed),
        (Upload("empty.pdf", b""), InvalidValue),
    ])
    def test_an_upload_refused_by_its_content(self, service, attachments, blobs, upload,
                                              error):
        case_id = opened(service)
        with pytest.raises(error) as refused:
            attachments.attach(upload, case_id=case_id, actor="ann")
        assert refused.value.field == "file"
        assert service.load(case_id).version == 1
        assert blob_files(blobs.root) == []

    def test_the_same_content_twice_on_one_case(self, service, attachments, blobs):
        case_id = opened(service)
        attachments.attach(Upload("contract.pdf", files.pdf()), case_id=case_id, actor="ann")
        with pytest.raises(AlreadyAttached, match="as 'contract.pdf'"):
            attachments.attach(Upload("copy.pdf", files.pdf()), case_id=case_id, actor="bob")
        assert service.load(case_id).version == 2
        assert len(blob_files(blobs.root)) == 1

    def test_a_document_the_case_refuses_leaves_no_blob(self, service, attachments, blobs):
        case_id = opened(service)
        with pytest.raises(InvalidValue) as refused:
            attachments.attach(Upload("contract.pdf", files.pdf()), case_id=case_id,
                               actor="ann", occurred_on=ISSUED - timedelta(days=1))
        assert refused.value.field == "occurred_on"
        assert blob_files(blobs.root) == []

    def test_a_blob_store_that_fails_saves_no_event(self, service, blobs, monkeypatch):
        case_id = opened(service)

        def disk_full(content: bytes) -> str:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(blobs, "put", disk_full)
        with pytest.raises(OSError):
            Attachments(service, blobs).attach(Upload("c.pdf", files.pdf()), case_id=case_id,
                                               actor="ann")
        assert service.load(case_id).version == 1
        assert list(service.history(case_id))[-1]["type"] == "CaseOpened"

    def test_a_concurrent_write_saves_no_event(self, service, make_service, blobs):
        case_id = opened(service)
        other = make_service()
        attachments = Attachments(service, blobs)

        def someone_else_writes_first(content: bytes) -> str:
            execute(other, case_id, "add_note", text="meanwhile")
            return FileBlobStore.put(blobs, content)

        blobs.put = someone_else_writes_first  # type: ignore[method-assign]
        with pytest.raises(ConcurrentWrite):
            attachments.attach(Upload("c.pdf", files.pdf()), case_id=case_id, actor="ann")
        assert [e["type"] for e in service.history(case_id)] == ["CaseOpened", "NoteAdded"]


@pytest.fixture
def arrears(database_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[Arrears]:
    app = build(database_url, clock=clock, blobs=tmp_path / "blobs")
    yield app
    app.close()


class TestTheReadModels:
    def test_list_the_attachment_and_show_its_event(self, arrears):
        case_id = opened(arrears.service)
        document = arrears.attachments.attach(
            Upload("mail.eml", files.email()), case_id=case_id, actor="ann",
            kind=DocumentKind.EMAIL).document
        arrears.projector.catch_up()
        [row] = arrears.views.attachments(str(case_id))
        assert (row["name"], row["media_type"], row["size"], row["sha256"], row["kind"]) == (
            "mail.eml", "message/rfc822", len(files.email()), document.sha256, "email")
        assert arrears.views.attachment(str(case_id), document.sha256) == row
        assert arrears.views.attachment(str(case_id), "0" * 64) is None
        summary = ("Document attached: mail.eml (email; email message, "
                   f"{len(files.email())} bytes)")
        assert arrears.views.timeline(str(case_id))[-1]["summary"] == summary
        audit = arrears.views.audit().rows[0]
        assert (audit["event_type"], audit["summary"]) == ("AttachmentAdded", summary)

    def test_are_rebuilt_with_it(self, arrears):
        case_id = opened(arrears.service)
        arrears.attachments.attach(Upload("c.pdf", files.pdf()), case_id=case_id, actor="ann")
        arrears.projector.catch_up()
        before = arrears.views.attachments(str(case_id))
        arrears.projector.rebuild()
        assert arrears.views.attachments(str(case_id)) == before != []


class TestTheCaseAsKnownAtATime:
    @pytest.fixture
    def history(self, service: CaseService, clock: FixedClock
                ) -> tuple[UUID, list[datetime]]:
        """Opened, then paid 400 a day later, then (back-dated) a 100 payment two days later."""
        case_id = opened(service)
        times = [clock.now()]
        clock.advance(days=1)
        execute(service, case_id, "record_payment", amount=Money.of("400", "EUR"),
                method="card", occurred_on=date(2025, 12, 20))
        times.append(clock.now())
        clock.advance(days=1)
        execute(service, case_id, "record_payment", amount=Money.of("100", "EUR"),
                method="card", occurred_on=date(2025, 12, 15))
        times.append(clock.now())
        return case_id, times

    def test_hides_the_events_recorded_later_and_shows_the_balance_then(
            self, service, history):
        case_id, times = history
        known = known_at(service, case_id, times[1] + timedelta(hours=1))
        assert (len(known.events), known.later) == (2, 1)
        record = known.record()
        assert record["balance"]["paid"] == "400.00"
        assert record["balance"]["outstanding"] == "600.00"
        assert (record["events_known"], record["events_later"]) == (2, 1)
        assert record["as_of"] == (times[1] + timedelta(hours=1)).isoformat()
        assert [e["summary"] for e in known.history()][-1].startswith("Payment of EUR 400.00")

    def test_at_exactly_the_recorded_time_includes_the_event(self, service, history):
        case_id, times = history
        assert len(known_at(service, case_id, times[2]).events) == 3
        assert known_at(service, case_id, times[2]).record()["balance"]["outstanding"] == \
            "500.00"

    def test_seen_on_a_business_day(self, service, history):
        case_id, times = history
        record = known_at(service, case_id, times[0]).record(date(2025, 12, 11))
        assert (record["days_overdue"], record["balance"]["paid"]) == (10, "0.00")

    def test_before_the_case_was_recorded(self, service, history):
        case_id, times = history
        with pytest.raises(CaseNotYetRecorded) as refused:
            known_at(service, case_id, times[0] - timedelta(seconds=1))
        assert refused.value.field == "as_of"

    def test_its_views_are_the_ones_the_read_models_held_then(self, arrears, clock):
        case_id = opened(arrears.service)
        clock.advance(days=1)
        arrears.attachments.attach(Upload("c.pdf", files.pdf()), case_id=case_id, actor="ann")
        arrears.projector.catch_up()
        then = clock.now()
        held = (arrears.views.case(str(case_id)), arrears.views.timeline(str(case_id)),
                arrears.views.attachments(str(case_id)))
        clock.advance(days=1)
        execute(arrears.service, case_id, "record_payment", amount=Money.of("400", "EUR"),
                method="card")
        known = known_at(arrears.service, case_id, then)
        assert (known.summary(then.date()), known.timeline(), known.attachments()) == held
