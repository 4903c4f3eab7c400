"""Each kind of letter rendered, kept and read back: its text and figures by pypdf, its
SHA-256 in the event, the same bytes when rendered again.

The worked case (tests/letters/conftest.py): GBP 1,200.00 owed by a business in England and
Wales, due 2026-01-31, GBP 200.00 paid on 2026-02-15, letters dated 2026-03-01.
Statutory interest (Late Payment of Commercial Debts (Interest) Act 1998): interest starts
2026-02-01, so the reference rate is the Bank Rate on 31 December 2025, 3.75%, + 8 = 11.75%.
  2026-02-01 to 2026-02-15: 15 days on 1,200.00: 1200 x 11.75% x 15 / 365 = 2115 / 365
                            = 5.7945 -> 5.79
  2026-02-16 to 2026-03-01: 14 days on 1,000.00: 1000 x 11.75% x 14 / 365 = 1645 / 365
                            = 4.5068 -> 4.51
  interest 5.79 + 4.51 = 10.30; compensation GBP 70.00 (a debt from 1,000 to under 10,000);
  none of it claimed yet: 80.30 not yet in the account; the balance 1,200 - 200 = 1,000.00.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from application.commands import IssueDemand
from application.letters import LetterWriter
from application.letters.writer import NoLetter
from application.schedule.hooks import LetterKind
from application.service import CaseService
from domain.errors import InvalidValue
from domain.money import Money
from domain.values import Debtor
from tests.commands import execute, open_case
from tests.letters.conftest import business_case, gbp, individual_case
from tests.letters.reading import text_of


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@pytest.fixture
def paid_in_part(service: CaseService, letters: LetterWriter):
    case_id = business_case(service)
    execute(service, case_id, "record_payment", occurred_on=date(2026, 2, 15),
            amount=gbp("200.00"), reference="BACS 991")
    return case_id


def demand(service: CaseService, case_id, deadline: date = date(2026, 3, 15),
           consequences: str = "We will issue a claim in the County Court.") -> int:
    return execute(service, case_id, "issue_demand", occurred_on=date(2026, 3, 1),
                   deadline=deadline, consequences=consequences)


class TestTheFormalDemand:
    def test_names_the_parties_itemises_the_account_and_gives_the_deadline(
            self, service, letters, paid_in_part):
        record, pdf = letters.letter(paid_in_part, demand(service, paid_in_part))
        text = text_of(pdf)
        assert record["type"] == "DemandIssued"
        assert "Formal demand for payment" in text
        for words in ("Acme Supplies Ltd", "1 Mill Lane", "Leeds LS1 4AB",
                      "Harbour Lights Cafe Ltd", "4 Quay Street", "Whitby YO21 1AA",
                      "Date 1 March 2026", "INV-7001/FD/2026-03-01"):
            assert words in text
        assert "We demand payment of GBP 1,000.00." in text
        assert "The deadline for payment is 15 March 2026." in text
        assert "We will issue a claim in the County Court." in text
        assert "2026-01-01 Invoice INV-7001, due 2026-01-31 GBP 1,200.00" in text
        assert "2026-02-15 Payment received (ref. BACS 991) GBP 200.00" in text
        assert "Balance outstanding GBP 1,000.00" in text

    def test_shows_the_interest_line_by_line_and_what_is_not_yet_in_the_account(
            self, service, letters, paid_in_part):
        _, pdf = letters.letter(paid_in_part, demand(service, paid_in_part))
        text = text_of(pdf)
        assert "2026-02-01 2026-02-15 15 1200.00 11.75 5.79" in text
        assert "2026-02-16 2026-03-01 14 1000.00 11.75 4.51" in text
        assert "Interest: GBP 10.30. Compensation: GBP 70.00." in text
        assert "Of these, GBP 80.30 is not yet in the account above" in text
        assert "Bank Rate of 3.75% in force on 31 December 2025" in text

    def test_interest_claimed_before_is_an_item_of_the_account(self, service, letters,
                                                               paid_in_part):
        # The 15 days to 2026-02-15 claimed (5.79, as above); the rest is still to add:
        # 10.30 + 70.00 - 5.79 = 74.51. Balance 1,000.00 + 5.79 = 1,005.79.
        execute(service, paid_in_part, "apply_penalty", occurred_on=date(2026, 2, 20),
                kind="statutory_interest", amount=gbp("5.79"), rate=Decimal("11.75"),
                period_start=date(2026, 2, 1), period_end=date(2026, 2, 15),
                basis="Late Payment of Commercial Debts (Interest) Act 1998")
        text = text_of(letters.letter(paid_in_part, demand(service, paid_in_part))[1])
        assert ("2026-02-20 Statutory interest, 2026-02-01 to 2026-02-15 (15 days at 11.75% "
                "a year) GBP 5.79") in text
        assert "Balance outstanding GBP 1,005.79" in text
        assert "Of these, GBP 74.51 is not yet in the account above" in text

    def test_says_how_to_pay(self, service, letters, paid_in_part):
        text = text_of(letters.letter(paid_in_part, demand(service, paid_in_part))[1])
        assert "How to pay Bank transfer to Acme Supplies Ltd Sort code 20-00-00, account " \
               "12345678 Please quote invoice INV-7001 with your payment." in text


class TestTheLetterOfClaim:
    def test_an_individual_in_england_gets_one_with_30_days_and_the_annexes(self, service,
                                                                           letters):
        case_id = individual_case(service)
        record, pdf = letters.letter(case_id, demand(service, case_id, date(2026, 3, 31)))
        text = text_of(pdf)
        assert record["data"]["letter_reference"] == "INV-7002/LOC/2026-03-01"
        assert "Letter of claim" in text and "Dear Jo Bloggs" in text
        assert "letter of claim under the Pre-Action Protocol for Debt Claims" in text
        assert "The amount of the debt is GBP 800.00." in text
        assert "You have 30 days from the date of this letter to reply: please reply by " \
               "31 March 2026, using the enclosed Reply Form." in text
        assert "Send them to us at: 1 Mill Lane, Leeds LS1 4AB." in text
        for annex in ("Annex A: Statement of account", "Annex B: Information Sheet",
                      "Annex C: Reply Form", "Annex D: Financial Statement"):
            assert annex in text
        assert "Following the Pre-Action Protocol for Debt Claims, para 3.1 and Annex 1." in text
        assert "National Debtline" in text
        assert "I agree that I owe the full amount of GBP 800.00." in text

    def test_no_interest_runs_under_the_1998_act_for_an_individual(self, service, letters):
        case_id = individual_case(service)
        text = text_of(letters.letter(case_id, demand(service, case_id, date(2026, 3, 31)))[1])
        assert "No interest or other charges are continuing on the debt." in text
        assert "Balance outstanding GBP 800.00" in text

    def test_fewer_than_30_days_to_reply_is_refused_and_nothing_recorded(self, service,
                                                                         letters):
        case_id = individual_case(service)
        before = service.load(case_id).version
        with pytest.raises(InvalidValue) as refused:
            demand(service, case_id, date(2026, 3, 30))
        assert refused.value.field == "deadline"
        assert "the deadline must be on or after 2026-03-31" in refused.value.message
        assert service.load(case_id).version == before

    def test_a_business_debtor_gets_a_formal_demand(self, service, letters, paid_in_part):
        text = text_of(letters.letter(paid_in_part, demand(service, paid_in_part))[1])
        assert "Formal demand for payment" in text and "Reply Form" not in text


class TestTheReminderByPost:
    def test_a_reminder_by_letter_gets_its_letter(self, service, letters):
        case_id = individual_case(service)
        version = execute(service, case_id, "send_reminder", occurred_on=date(2026, 2, 10),
                          channel="letter")
        record, pdf = letters.letter(case_id, version)
        text = text_of(pdf)
        assert "Payment reminder" in text and "INV-7002/R/2026-02-10" in text
        assert "is still unpaid: it is now 10 days overdue" in text
        assert "Please pay the balance of GBP 800.00 without delay." in text
        assert record["data"]["letter_sha256"] == sha256(pdf)

    def test_before_the_due_date_it_says_when_it_falls_due(self, service, letters):
        case_id = individual_case(service)
        version = execute(service, case_id, "send_reminder", occurred_on=date(2026, 1, 28),
                          channel="letter")
        text = text_of(letters.letter(case_id, version)[1])
        assert "falls due for payment on 31 January 2026" in text

    def test_a_reminder_by_email_has_no_letter(self, service, letters):
        case_id = individual_case(service)
        version = execute(service, case_id, "send_reminder", occurred_on=date(2026, 2, 10),
                          channel="email")
        assert service.history(case_id)[-1]["data"]["letter_sha256"] == ""
        with pytest.raises(NoLetter, match=f"event {version} \\(ReminderSent\\) has no letter"):
            letters.letter(case_id, version)


class TestTheHashAndTheStore:
    def test_the_event_records_the_sha256_of_the_stored_pdf(self, service, letters,
                                                            paid_in_part, tmp_path):
        version = demand(service, paid_in_part)
        record, pdf = letters.letter(paid_in_part, version)
        recorded = record["data"]["letter_sha256"]
        assert recorded == sha256(pdf)
        stored = tmp_path / "letters" / recorded[:2] / recorded[2:]
        assert sha256(stored.read_bytes()) == recorded

    def test_rendering_the_same_letter_again_gives_the_same_bytes(self, service, letters,
                                                                  paid_in_part):
        version = demand(service, paid_in_part)
        record = letters.letter(paid_in_part, version)[0]
        again = letters.render(service.load(paid_in_part), IssueDemand(
            case_id=paid_in_part, actor="ann", occurred_on=date(2026, 3, 1),
            deadline=date(2026, 3, 15), consequences="We will issue a claim in the County "
                                                     "Court."), LetterKind.FORMAL_DEMAND, "")
        assert again.letter_sha256 == record["data"]["letter_sha256"]

    def test_a_demand_with_its_own_letter_is_not_rendered_again(self, service, letters,
                                                                paid_in_part):
        given = IssueDemand(case_id=paid_in_part, actor="ann", occurred_on=date(2026, 3, 1),
                            deadline=date(2026, 3, 15), consequences="court",
                            letter_sha256="a" * 64)
        assert letters.prepare(service.load(paid_in_part), given) == given
        assert letters.prepare(service.load(paid_in_part), replace(
            given, letter_sha256="")).letter_sha256 not in ("", "a" * 64)

    def test_an_event_without_a_letter_and_a_version_beyond_the_case(self, service, letters,
                                                                     paid_in_part):
        with pytest.raises(NoLetter, match="event 1 \\(CaseOpened\\) has no letter"):
            letters.letter(paid_in_part, 1)
        with pytest.raises(NoLetter, match="the case has no event 99"):
            letters.letter(paid_in_part, 99)


class TestWhereTheLawGivesNoFigure:
    def test_a_euro_debt_under_english_law_gets_its_letter_without_the_fixed_sum(
            self, service, letters):
        # The 1998 Act's fixed sums are in GBP: the interest without the fixed sum, said so.
        # 1 February to 1 March 2026, 29 days at 11.75% (Bank Rate 3.75% on 31 December
        # 2025 + 8): 1000 x 11.75% x 29 / 365 = 9.335 -> EUR 9.34

        case_id = open_case(service, occurred_on=date(2026, 1, 1), invoice_number="INV-EUR",
                            debtor=Debtor("Bau GmbH"), amount=Money.of("1000.00", "EUR"),
                            issue_date=date(2026, 1, 1), due_date=date(2026, 1, 31))
        text = text_of(letters.letter(case_id, demand(service, case_id))[1])
        assert "We demand payment of EUR 1,000.00." in text
        assert "Interest: EUR 9.34." in text
        assert "No fixed sum added: the fixed sum under s.5A" in text
        assert "this debt is in EUR." in text
        assert "Convert" not in text and "penalty" not in text  # nothing for the creditor
