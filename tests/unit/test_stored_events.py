"""Events and snapshots stored before their version 2 shapes still decode and replay.

The stored bytes in tests/unit/stored/ were written by the code before the change (see its
README); each test decodes them with today's mapper, as a CaseService would.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)

from application.transcodings import register_all
from domain.attachments import AlreadyAttached
from domain.case import DebtCase, case_id_for
from domain.events import CaseEvent
from domain.money import Money
from domain.values import PromiseShare, Stage
from tests.builders import names, replayed, stamp, state

STORED = Path(__file__).parent / "stored"


def mapper() -> Mapper:
    """The mapper of a CaseService: the library's transcodings and Arrears' own."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    register_all(transcoder)
    return Mapper(transcoder=transcoder)


def decoded(file: str, case_id: UUID) -> list:
    """Each line of a stored file (version, topic, state bytes), decoded."""
    found = []
    for line in (STORED / file).read_text(encoding="utf-8").splitlines():
        version, topic, body = line.split("\t")
        found.append(mapper().to_domain_event(StoredEvent(
            originator_id=case_id, originator_version=int(version), topic=topic,
            state=body.encode("utf-8"))))
    return found


def old_events() -> list[CaseEvent]:
    return decoded("case_to_insolvency_v1.tsv", case_id_for("C", "INV-1"))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


class TestAnOldPayment:
    def test_decodes_without_a_decision_about_promises(self):
        payment = old_events()[2]
        assert names([payment]) == ["PaymentReceived"]
        assert (payment.amount, payment.occurred_on) == (eur("500.00"), date(2025, 2, 21))
        assert payment.promises is None

    def test_replays_as_it_was_recorded_the_promise_it_paid_late_counted_as_kept(self):
        case = replayed(old_events()[:3])
        assert case.paid == eur("500.00")
        assert case.next_promised_date is None
        assert case.broken_promises(date(2025, 3, 1)) == []

    def test_is_followed_by_payments_that_decide_by_the_promised_date(self):
        case = replayed(old_events()[:3])
        case.promise_payment(amount=eur("100"), promised_on=date(2025, 3, 1),
                             stamp=stamp(date(2025, 2, 22)))
        case.record_payment(amount=eur("100"), method="card", stamp=stamp(date(2025, 3, 2)))
        assert case.collect_events()[-1].promises == [
            PromiseShare(date(2025, 3, 1), eur("0.00"), "broken")]
        assert case.broken_promises(date(2025, 3, 3)) == [(eur("100.00"), date(2025, 3, 1))]


class TestOldReferrals:
    def test_decode_as_ending_the_mediation_as_they_did_then(self):
        counsel, agency, claim = old_events()[5:]
        assert names([counsel, agency, claim]) == ["LegalReferral", "CollectionAgencyAssigned",
                                                  "BankruptcyClaimFiled"]
        assert counsel.mediation_kept_open is False
        assert (agency.override_reason, agency.mediation_kept_open) == ("", False)
        assert claim.mediation_kept_open is False

    def test_replay_to_the_state_their_old_snapshot_restores(self):
        case = replayed(old_events())
        [snapshot] = decoded("case_to_insolvency_snapshot_v1.tsv", case.id)
        restored = snapshot.mutate(None)
        assert isinstance(restored, DebtCase)
        assert (case.stage, case.mediation_open) == (Stage.IN_INSOLVENCY, False)
        assert state(restored) == state(case)


class TestAnOldSnapshotInMediation:
    def restored(self) -> DebtCase:
        [snapshot] = decoded("case_in_mediation_snapshot_v1.tsv",
                             UUID("d530e79d-bead-54d1-82e6-05f950a04fa3"))
        return snapshot.mutate(None)

    def test_restores_the_open_mediation_and_the_open_promise(self):
        case = self.restored()
        assert (case.version, case.stage, case.mediation_open) == (4, Stage.IN_MEDIATION, True)
        assert case.stage_after_mediation == Stage.DEMANDED
        assert case.next_promised_date == date(2025, 3, 20)
        assert case.broken_promises(date(2025, 3, 21)) == [(eur("300.00"), date(2025, 3, 20))]

    def test_takes_new_commands(self):
        case = self.restored()
        case.record_payment(amount=eur("300"), method="card", stamp=stamp(date(2025, 3, 22)))
        case.refer_to_counsel(counsel="Law & Co", override_reason="no progress",
                              mediation="keep_open", stamp=stamp(date(2025, 3, 25)))
        case.conclude_mediation(outcome="failed", stamp=stamp(date(2025, 4, 1)))
        assert names(case.collect_events()) == ["PaymentReceived", "LegalReferral",
                                                "MediationConcluded"]
        assert (case.stage, case.mediation_open) == (Stage.WITH_COUNSEL, False)
        assert case.broken_promises(date(2025, 4, 1)) == [(eur("300.00"), date(2025, 3, 20))]


class TestSnapshotsFromBeforeAttachments:
    """A snapshot of shape 1 or 2 restores a case with no documents attached, and takes one."""

    PDF = "a" * 64

    def restored(self, file: str) -> DebtCase:
        [snapshot] = decoded(file, case_id_for("C", "INV-3"))
        case = snapshot.mutate(None)
        assert isinstance(case, DebtCase)
        return case

    def test_a_version_2_snapshot_restores_its_balance_and_no_attachments(self):
        case = self.restored("case_paid_in_part_snapshot_v2.tsv")
        assert (case.version, case.paid, case.outstanding) == (3, eur("300.00"), eur("500.00"))
        assert case.attachments == {}

    def test_a_version_1_snapshot_also_restores_no_attachments(self):
        [snapshot] = decoded("case_to_insolvency_snapshot_v1.tsv", case_id_for("C", "INV-1"))
        assert snapshot.mutate(None).attachments == {}

    def test_a_restored_case_takes_a_document_and_refuses_it_twice(self):
        case = self.restored("case_paid_in_part_snapshot_v2.tsv")
        fields = dict(name="contract.pdf", media_type="application/pdf", size=10,
                      sha256=self.PDF)
        case.attach_document(**fields, stamp=stamp(date(2025, 3, 1)))
        assert names(case.collect_events()) == ["AttachmentAdded"]
        assert case.attachments == {self.PDF: "contract.pdf"}
        with pytest.raises(AlreadyAttached):
            case.attach_document(**fields, stamp=stamp(date(2025, 3, 2)))
