"""CaseService against a real event store: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.clock import FixedClock
from application.errors import CaseAlreadyOpen, CaseNotFound, ConcurrentWrite
from domain.case import case_id_for
from domain.errors import AmountTooLarge
from domain.money import Money
from domain.values import Debtor, Instalment, PaymentTerms, PromiseShare, Stage
from tests.builders import random_name, random_ref
from tests.commands import execute, open_case

ISSUED, DUE = date(2025, 1, 1), date(2025, 1, 31)


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def invoice(**changes) -> dict:
    fields = dict(creditor="Acme Ltd", invoice_number=random_ref(),
                  debtor=Debtor(random_name()), amount=gbp("1200.00"), issue_date=ISSUED,
                  due_date=DUE)
    fields.update(changes)
    return fields


def open_one(service, **changes) -> UUID:
    return open_case(service, actor="priya", occurred_on=ISSUED, **invoice(**changes))


class TestRoundTrip:
    def test_every_value_type_survives_storage(self, service, make_service):
        debtor = Debtor("Jane Doe", "individual", "jane@doe.example", "+44 7700 900123",
                        "2 Low Road, Leeds")
        terms = PaymentTerms(Decimal("8.15"), gbp("40.00"), ("bank_transfer", "card"))
        instalments = [Instalment(date(2025, 3, 1), gbp("400.00")),
                       Instalment(date(2025, 4, 1), gbp("400.50"))]
        case_id = open_one(service, debtor=debtor, terms=terms, contract_reference="MSA-9")
        execute(service, case_id, "apply_penalty", actor="priya", occurred_on=date(2025, 2, 28),
                        kind="statutory_interest", amount=gbp("7.50"), rate=Decimal("13.25"),
                        period_start=date(2025, 2, 1), period_end=date(2025, 2, 28),
                        basis="1200.00 x 13.25% x 28/365")
        version = execute(service, case_id, "agree_payment_plan", actor="priya",
                                  occurred_on=date(2025, 2, 28), instalments=instalments)
        assert version == 3

        reloaded = make_service().load(case_id)  # another instance: read from the store
        assert reloaded.debtor == debtor
        assert reloaded.terms == terms
        assert isinstance(reloaded.terms.interest_rate, Decimal)
        assert reloaded.contract_reference == "MSA-9"
        assert (reloaded.issue_date, reloaded.due_date) == (ISSUED, DUE)
        assert reloaded.invoice_amount == gbp("1200.00")
        assert reloaded.plan == instalments
        assert isinstance(reloaded.plan[0].due_on, date)
        assert reloaded.penalties_by_kind == {"statutory_interest": gbp("7.50")}
        assert reloaded.outstanding == gbp("1207.50")
        assert (reloaded.version, reloaded.stage, reloaded.hold_reason) == (3, Stage.OPEN, "plan")

        penalty = list(make_service().case_events(case_id))[1]
        assert (penalty.rate, penalty.period_start, penalty.period_end, penalty.days) == \
            (Decimal("13.25"), date(2025, 2, 1), date(2025, 2, 28), 28)

    def test_a_payments_promises_and_an_open_mediation_survive_storage(self, service,
                                                                        make_service):
        case_id = open_one(service)

        def run(command, on, **fields):
            execute(service, case_id, command, actor="priya", occurred_on=on, **fields)

        run("promise_payment", date(2025, 2, 10), amount=gbp("500"),
            promised_on=date(2025, 2, 20))
        run("record_payment", date(2025, 2, 21), amount=gbp("100"), method="card")
        run("refer_to_mediation", date(2025, 3, 1), mediator="M", override_reason="asked")
        run("refer_to_counsel", date(2025, 3, 5), counsel="Law & Co", override_reason="limit",
            mediation="keep_open")

        payment = list(make_service().case_events(case_id))[2]
        assert payment.promises == [PromiseShare(date(2025, 2, 20), gbp("0.00"), "broken")]
        assert make_service().history(case_id)[2]["data"]["promises"] == [
            {"promised_on": "2025-02-20", "amount": {"amount": "0.00", "currency": "GBP"},
             "standing": "broken"}]
        record = make_service().case(case_id, on=date(2025, 3, 6))
        assert (record["stage"], record["mediation_open"], record["broken_promises"]) == \
            ("with_counsel", True, 1)

    def test_the_case_reads_back_as_plain_data(self, service):
        case_id = open_one(service, amount=gbp("1200.00"))
        execute(service, case_id, "record_payment", actor="priya", occurred_on=date(2025, 2, 10),
                        amount=gbp("200"), method="card")
        record = service.case(case_id, on=date(2025, 3, 2))
        assert record["case_id"] == str(case_id)
        assert (record["version"], record["stage"], record["days_overdue"]) == (2, "overdue", 30)
        assert record["balance"] == {"principal": "1200.00", "penalties": "0.00",
                                     "paid": "200.00", "waived": "0.00",
                                     "written_off": "0.00", "outstanding": "1000.00"}
        assert record["limitation_date"] == "2031-02-10"

    def test_a_case_paid_in_full_is_closed_in_the_store(self, service, make_service):
        case_id = open_one(service, amount=gbp("100.00"))
        execute(service, case_id, "record_payment", actor="priya", occurred_on=DUE,
                        amount=gbp("100.00"), method="cash")  # on time: no interest
        assert [e["type"] for e in make_service().history(case_id)] == \
            ["CaseOpened", "PaymentReceived", "CasePaid"]
        assert make_service().case(case_id)["stage"] == "paid"


class TestOpening:
    def test_the_same_invoice_cannot_be_opened_twice(self, service):
        number = random_ref()
        case_id = open_one(service, invoice_number=number)
        with pytest.raises(CaseAlreadyOpen) as caught:
            open_one(service, invoice_number=number, creditor=" ACME LTD ",
                     amount=gbp("5.00"))
        assert caught.value.field == "invoice_number"
        history = service.history(case_id)
        assert [e["type"] for e in history] == ["CaseOpened"]
        assert history[0]["data"]["amount"] == {"amount": "1200.00", "currency": "GBP"}

    def test_the_case_id_comes_from_creditor_and_invoice_number(self, service):
        number = random_ref()
        assert open_one(service, invoice_number=number) == case_id_for("Acme Ltd", number)


class RacingClock(FixedClock):
    """A clock that, once asked the time, lets another writer store an event first.

    CaseService asks the clock for the recorded-at time after loading the case and before
    saving it: exactly the moment a writer in another process could get in first.
    """

    def __init__(self, current: datetime) -> None:
        super().__init__(current)
        self.race: Callable[[], None] | None = None

    def now(self) -> datetime:
        race, self.race = self.race, None
        if race is not None:
            race()
        return super().now()


class TestTwoWriters:
    def test_the_second_writer_is_refused_and_no_event_is_lost(self, make_service, clock):
        racing = RacingClock(clock.current)
        service, other = make_service(clock=racing), make_service()
        case_id = open_one(service)
        service.case(case_id)  # the case is loaded (and cached) at version 1

        racing.race = lambda: execute(other, case_id, "add_note", actor="omar",
                                            occurred_on=date(2025, 2, 1), text="called first")
        with pytest.raises(ConcurrentWrite) as caught:
            execute(service, case_id, "add_note", actor="priya", occurred_on=date(2025, 2, 1),
                            text="called second")
        assert caught.value.field == "case"
        assert [(e["version"], e["data"].get("text")) for e in other.history(case_id)] == \
            [(1, None), (2, "called first")]

        # the loser tries again and, the case reloaded, is stored after the winner
        assert execute(service, case_id, "add_note", actor="priya",
                               occurred_on=date(2025, 2, 1), text="called second") == 3
        assert [e["data"].get("text") for e in other.history(case_id)] == \
            [None, "called first", "called second"]


class TestTheCaseCache:
    def test_a_command_refused_after_loading_leaves_the_case_as_stored(self, service):
        case_id = open_one(service)
        with pytest.raises(AmountTooLarge):
            execute(service, case_id, "record_payment", actor="priya",
                            occurred_on=date(2025, 2, 1), amount=gbp("99999.00"),
                            method="card")
        assert service.case(case_id)["version"] == 1
        assert execute(service, case_id, "record_payment", actor="priya",
                               occurred_on=date(2025, 2, 1), amount=gbp("10.00"),
                               method="card") == 2
        assert service.case(case_id)["balance"]["paid"] == "10.00"

    def test_commands_from_many_threads_on_one_case_are_all_stored(self, service):
        case_id = open_one(service)
        errors: list[BaseException] = []

        def work(who: str) -> None:
            try:
                for n in range(10):
                    execute(service, case_id, "add_note", actor=who,
                                    occurred_on=date(2025, 2, 1), text=f"{who} {n}")
            except BaseException as error:  # reported by the assertion below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(f"clerk{t}",)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        history = service.history(case_id)
        assert [e["version"] for e in history] == list(range(1, 42))
        assert len({e["data"]["text"] for e in history[1:]}) == 40


class TestFindingCases:
    def test_an_unknown_case_is_not_found(self, service):
        unknown = uuid4()
        with pytest.raises(CaseNotFound):
            service.case(unknown)
        with pytest.raises(CaseNotFound):
            service.history(unknown)
        with pytest.raises(CaseNotFound) as caught:
            execute(service, unknown, "add_note", actor="priya", text="hello")
        assert caught.value.field == "case"

    def test_a_case_is_resolved_by_invoice_number_or_id(self, service, make_service):
        number = random_ref()
        case_id = open_one(service, invoice_number=number, creditor="Brick & Co")
        assert service.resolve(number, creditor="brick & co") == case_id
        assert service.resolve(f" {case_id} ") == case_id
        assert make_service(creditor="Brick & Co").resolve(number) == case_id
        with pytest.raises(CaseNotFound, match=f"no case '{number}'"):
            service.resolve(number, creditor="Acme Ltd")
        with pytest.raises(CaseNotFound):
            service.resolve(str(uuid4()))

    def test_anything_but_a_command_is_a_programming_error(self, service):
        case_id = open_one(service)
        with pytest.raises(TypeError, match="not a command"):
            service.handle({"case_id": case_id, "command": "delete"})


class TestRecording:
    def test_recorded_at_comes_from_the_clock_and_occurred_on_defaults_to_its_day(
            self, service, clock):
        case_id = open_one(service)
        clock.advance(hours=2, minutes=5)
        execute(service, case_id, "add_note", actor="priya", text="later that morning")
        history = service.history(case_id)
        assert [e["recorded_at"] for e in history] == \
            ["2026-01-01T09:00:00+00:00", "2026-01-01T11:05:00+00:00"]
        assert [e["occurred_on"] for e in history] == ["2025-01-01", "2026-01-01"]
        assert [e["actor"] for e in history] == ["priya", "priya"]
        assert service.load(case_id).modified_on == datetime(2026, 1, 1, 11, 5, tzinfo=UTC)

    def test_a_refused_command_stores_nothing(self, service, make_service):
        case_id = open_one(service, amount=gbp("100.00"))
        with pytest.raises(AmountTooLarge):
            execute(service, case_id, "record_payment", actor="priya",
                            occurred_on=date(2025, 2, 1), amount=gbp("100.01"), method="card")
        reader = make_service()
        assert [e["type"] for e in reader.history(case_id)] == ["CaseOpened"]
        assert reader.load(case_id).version == 1
        assert reader.case(case_id)["balance"]["outstanding"] == "100.00"
