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
from domain.law import PrincipalPayment
from domain.money import Money
from domain.values import PromiseShare, Stage
from tests.builders import names, open_case, replayed, stamp, state

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
        # Except the day its principal was paid: a snapshot of shape 5 or older knows none,
        # and counts it from the due date (DebtCase.upcast_v5_v6).
        assert restored.principal_payments == [PrincipalPayment(date(2025, 1, 31), eur("500"))]
        assert case.principal_payments == [PrincipalPayment(date(2025, 2, 21), eur("500"))]
        ignore = {"principal_payments"}
        assert ({k: v for k, v in state(restored).items() if k not in ignore}
                == {k: v for k, v in state(case).items() if k not in ignore})


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


class TestReferralsStoredBeforeTheyNamedAUser:
    """LegalReferral v1 and v2 and MediationReferred v1 decode with no user named."""

    def referrals(self) -> list[CaseEvent]:
        old = decoded("case_to_counsel_v2.tsv", case_id_for("C", "INV-3"))
        older = old_events()
        return [e for e in [*old, *older] if type(e).__name__ in ("LegalReferral",
                                                                 "MediationReferred")]

    def test_name_no_user(self):
        found = self.referrals()
        assert sorted(names(found)) == ["LegalReferral", "LegalReferral", "MediationReferred",
                                        "MediationReferred"]
        assert {e.user for e in found} == {""}

    def test_keep_what_they_recorded(self):
        counsel = decoded("case_to_counsel_v2.tsv", case_id_for("C", "INV-3"))[3]
        assert (counsel.counsel, counsel.reference, counsel.mediation_kept_open) == (
            "Lowe LLP", "L-1", True)

    def test_replay_as_before(self):
        case = replayed(decoded("case_to_counsel_v2.tsv", case_id_for("C", "INV-3")))
        assert (case.stage, case.mediation_open) == (Stage.WITH_COUNSEL, True)


class TestAPaymentStoredBeforeItCarriedItsAllocation:
    """PaymentReceived version 2 and PenaltyApplied version 1 (`case_paid_in_part_v2.tsv`):
    GBP 1,200.00 due 31 January 2025, GBP 70.00 compensation on 14 February, GBP 600.00
    paid on 20 February, as Arrears showed it then: toward the principal."""

    def events(self) -> list[CaseEvent]:
        return decoded("case_paid_in_part_v2.tsv", case_id_for("C", "INV-5"))

    def test_decodes_with_no_allocation_and_no_principal(self):
        _opened, penalty, payment = self.events()
        assert payment.allocation is None and payment.promises == []
        assert penalty.principal is None and penalty.amount == Money.of("70.00", "GBP")

    def test_replays_toward_the_principal(self):
        case = replayed(self.events())
        gbp = Money.zero("GBP")
        assert (case.costs_paid, case.interest_paid, case.principal_paid) == (
            gbp, gbp, Money.of("600.00", "GBP"))
        assert case.outstanding == Money.of("670.00", "GBP")  # 1,200 + 70 - 600

    def test_a_new_payment_after_it_pays_the_costs_first(self):
        case = replayed(self.events())
        case.record_payment(amount=Money.of("100.00", "GBP"), method="card",
                            stamp=stamp(date(2025, 2, 25)))
        split = case.collect_events()[-1].allocation
        # the GBP 70.00 of compensation is still owed: 70 of costs, then 30 of principal
        assert (split.costs.amount, split.principal.amount) == (70, 30)

    def test_its_old_snapshot_restores_the_same_parts(self):
        case = replayed(self.events())
        [snapshot] = decoded("case_paid_in_part_snapshot_v5.tsv", case.id)
        restored = snapshot.mutate(None)
        assert (restored.costs_paid, restored.interest_paid, restored.principal_paid) == (
            case.costs_paid, case.interest_paid, case.principal_paid)
        assert restored.penalty_kinds == ["compensation"] == case.penalty_kinds
        assert restored.outstanding == case.outstanding
        # a shape-5 snapshot knows no payment days: its principal paid counts from the due
        # date, so interest is never claimed on it (less than may be owed, never more)
        assert restored.principal_payments == [
            PrincipalPayment(date(2025, 1, 31), Money.of("600.00", "GBP"))]
        assert restored.interest_claimed_until is None
        assert not restored.interest_without_period


class TestASettlementAgreedBeforeItsPayByDayWasKept:
    """Snapshot shape 7 kept an agreed settlement's amount but not its pay-by day."""

    def test_its_snapshot_restores_the_settlement_without_a_pay_by_day(self):
        case_id = case_id_for("C", "INV-6")
        [snapshot] = decoded("case_settlement_agreed_snapshot_v7.tsv", case_id)
        restored = snapshot.mutate(None)
        assert restored.settlement == Money.of("1000.00", "GBP")
        assert restored.settle_by is None
        assert restored.outstanding == Money.of("1200.00", "GBP")

    def test_paying_the_settlement_after_it_still_settles_the_case(self):
        [snapshot] = decoded("case_settlement_agreed_snapshot_v7.tsv", case_id_for("C", "INV-6"))
        restored = snapshot.mutate(None)
        restored.record_payment(amount=Money.of("1000.00", "GBP"), method="card",
                                stamp=stamp(date(2025, 3, 15)))
        assert restored.stage == Stage.SETTLED.value

    def test_a_settlement_agreed_now_keeps_its_pay_by_day(self):
        case = open_case(amount=Money.of("1200.00", "GBP"))
        case.agree_settlement(amount=Money.of("1000.00", "GBP"), pay_by=date(2025, 3, 20),
                              stamp=stamp(date(2025, 3, 2)))
        assert case.settle_by == date(2025, 3, 20)
