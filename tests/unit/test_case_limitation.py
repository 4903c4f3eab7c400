"""A case's limitation date under its own law, restarted by part payments and written
acknowledgments while the period runs, never revived after it expired."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.domain import Snapshot

from domain.case import DebtCase, case_id_for
from domain.law.limitation import WARNING_DAYS, limitation_near
from domain.money import Money
from domain.values import Debtor
from tests.builders import given, random_name, random_ref, stamp, state, step
from tests.unit.test_stored_events import decoded, mapper

DUE = date(2018, 1, 31)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def opened(jurisdiction: str = "england-wales", due: date = DUE) -> DebtCase:
    return DebtCase.open(creditor=random_name("Creditor"), invoice_number=random_ref(),
                         debtor=Debtor(random_name()), amount=gbp("1200.00"),
                         issue_date=date(due.year, 1, 1), due_date=due,
                         jurisdiction=jurisdiction, stamp=stamp(date(due.year, 1, 1)))


def acknowledged(on: date) -> tuple:
    return step("acknowledge_debt", on, document="signed letter")


def paid(on: date, amount: str = "100") -> tuple:
    return step("record_payment", on, amount=gbp(amount), method="card")


class TestPerJurisdiction:
    @pytest.mark.parametrize(("jurisdiction", "ends_on"), [
        # Limitation Act 1980 s.5: 6 years from 31 Jan 2018 → 31 Jan 2024.
        ("england-wales", date(2024, 1, 31)),
        # Limitation (NI) Order 1989 art.4: also 6 years → 31 Jan 2024.
        ("northern-ireland", date(2024, 1, 31)),
        # Prescription and Limitation (Scotland) Act 1973 s.6: 5 years → 31 Jan 2023.
        ("scotland", date(2023, 1, 31)),
        # §§ 195, 199 BGB: 3 years from the end of 2018 → 31 Dec 2021.
        ("germany", date(2021, 12, 31)),
    ])
    def test_the_period_runs_from_the_due_date_by_the_case_law(self, jurisdiction, ends_on):
        case = given(opened(jurisdiction))
        assert case.limitation_date == ends_on
        assert case.limitation.restarted_on is None

    def test_the_basis_says_how_the_date_follows_and_cites_the_statute(self):
        case = given(opened("scotland"))
        assert case.limitation.basis == (
            "Limitation ends on 31 January 2023: 5 years from 31 January 2018, the due date "
            "(Prescription and Limitation (Scotland) Act 1973 s.6).")


class TestRestarts:
    def test_a_written_acknowledgment_restarts_the_period(self):
        # Due 31 Jan 2018 → 31 Jan 2024; acknowledged 1 Jun 2023, within it → 6 years
        # from then: 1 Jun 2029.
        case = given(opened(), acknowledged(date(2023, 6, 1)))
        assert case.limitation_date == date(2029, 6, 1)
        assert case.limitation.restarted_on == date(2023, 6, 1)
        assert "restarted the period (s.29(5))" in case.limitation.basis

    def test_in_scotland_an_acknowledgment_restarts_five_years(self):
        # Due 31 Jan 2018 → 31 Jan 2023; acknowledged 1 Jun 2022 → 5 years: 1 Jun 2027.
        case = given(opened("scotland"), acknowledged(date(2022, 6, 1)))
        assert case.limitation_date == date(2027, 6, 1)

    def test_an_acknowledgment_after_expiry_does_not_revive_the_period(self):
        # Due 31 Jan 2018 → expired after 31 Jan 2024; an acknowledgment of 1 Mar 2024
        # and a payment of 1 Feb 2025 come too late: it stays 31 Jan 2024 (s.29(7)).
        case = given(opened(), acknowledged(date(2024, 3, 1)), paid(date(2025, 2, 1)))
        assert case.limitation_date == date(2024, 1, 31)
        assert case.limitation.too_late == (date(2024, 3, 1), date(2025, 2, 1))
        assert "does not revive it (s.29(7))" in case.limitation.basis

    def test_each_restart_within_the_period_moves_it_on(self):
        case = given(opened("scotland"), acknowledged(date(2022, 6, 1)),
                     paid(date(2025, 12, 1)))
        # Scotland: 1 Jun 2022 + 5 = 1 Jun 2027; the payment of 1 Dec 2025, within it,
        # restarts again: 1 Dec 2030.
        assert case.limitation_date == date(2030, 12, 1)

    def test_a_payment_recorded_later_with_an_earlier_date_counts_by_its_date(self):
        case = given(opened(), acknowledged(date(2023, 6, 1)), paid(date(2020, 5, 5)))
        assert case.limitation_date == date(2029, 6, 1)
        assert case.limitation_restarts == [date(2023, 6, 1), date(2020, 5, 5)]


class TestTheWarning:
    def test_warns_from_ninety_days_before_to_the_day_itself(self):
        ends = date(2024, 1, 31)
        assert WARNING_DAYS == 90
        assert not limitation_near(ends, date(2023, 11, 1))  # 91 days before
        assert limitation_near(ends, date(2023, 11, 2))      # 90 days before
        assert limitation_near(ends, ends)
        assert not limitation_near(ends, date(2024, 2, 1))   # passed: no longer "near"


class TestStoredBeforeVersion6:
    def test_an_old_snapshot_restarts_from_its_latest_acknowledgment_and_payment(self):
        [snapshot] = decoded("case_acknowledged_snapshot_v5.tsv", case_id_for("C", "INV-5"))
        case = snapshot.mutate(None)
        assert case.limitation_restarts == [date(2020, 3, 2), date(2021, 6, 15)]
        # Scotland: due 31 Jan 2019 + 5 → 31 Jan 2024; acknowledged 2 Mar 2020 → 2 Mar
        # 2025; paid 15 Jun 2021 → 15 Jun 2026.
        assert case.limitation_date == date(2026, 6, 15)
        assert (case.offer, case.statutory_demand_deadline) == (None, None)

    def test_a_new_snapshot_keeps_every_restart(self):
        case = given(opened(), acknowledged(date(2023, 6, 1)), paid(date(2020, 5, 5)))
        restored = mapper().to_domain_event(mapper().to_stored_event(Snapshot.take(case)))
        assert state(restored.mutate(None)) == state(case)
