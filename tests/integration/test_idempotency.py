"""Idempotency keys against a real event store: every test runs on SQLite and on PostgreSQL.

A request sent twice under one key records its events once, whichever process sends it;
the key and the events are stored in one transaction.
"""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.commands import AddNote, OpenCase, Recorded, RecordPayment
from application.errors import ConcurrentWrite, IdempotencyKeyReused, InvalidIdempotencyKey
from application.service import CaseService
from domain.errors import AmountTooLarge
from domain.money import Money
from domain.values import Debtor
from tests.builders import random_name, random_ref
from tests.integration.test_case_service import RacingClock, open_one

REFERRED = date(2025, 3, 3)


def key() -> str:
    return f"key-{uuid4()}"


def referral(case_id: UUID, text: str = "referred to counsel Lee & Co") -> AddNote:
    return AddNote(case_id=case_id, actor="priya", occurred_on=REFERRED, text=text)


def opening(invoice_number: str) -> OpenCase:
    return OpenCase(actor="priya", occurred_on=date(2025, 1, 1), creditor="Acme Ltd",
                    invoice_number=invoice_number, debtor=Debtor(random_name()),
                    amount=Money.of("1200.00", "GBP"), issue_date=date(2025, 1, 1),
                    due_date=date(2025, 1, 31))


def versions(service: CaseService, case_id: UUID) -> list[int]:
    return [e["version"] for e in service.history(case_id)]


def same(first: Recorded, second: Recorded) -> bool:
    return (first.case_id, first.first_version, first.version) == \
        (second.case_id, second.first_version, second.version)


class TestTheSameRequestTwice:
    def test_records_one_event_and_answers_with_the_first_result(self, service, make_service):
        case_id = open_one(service)
        once = key()
        first = service.handle(referral(case_id), idempotency_key=once)
        again = service.handle(referral(case_id), idempotency_key=once)
        elsewhere = make_service().handle(referral(case_id), idempotency_key=once)
        assert (first.version, first.repeated) == (2, False)
        assert same(first, again) and again.repeated
        assert same(first, elsewhere) and elsewhere.repeated
        assert versions(service, case_id) == [1, 2]

    def test_a_second_referral_under_a_new_key_is_recorded(self, service):
        case_id = open_one(service)
        service.handle(referral(case_id), idempotency_key=key())
        second = service.handle(referral(case_id), idempotency_key=key())
        assert (second.version, second.repeated) == (3, False)
        assert versions(service, case_id) == [1, 2, 3]

    def test_opening_twice_under_one_key_opens_one_case(self, service):
        once, command = key(), opening(random_ref())
        first = service.handle(command, idempotency_key=once)
        again = service.handle(command, idempotency_key=once)
        assert same(first, again) and again.repeated
        assert versions(service, first.case_id) == [1]

    def test_the_key_outlives_the_process(self, make_service):
        service = make_service()
        case_id = open_one(service)
        once = key()
        first = service.handle(referral(case_id), idempotency_key=once)
        service.close()
        assert same(first, make_service().handle(referral(case_id), idempotency_key=once))


class TestOneKeyForAnotherRequest:
    @pytest.mark.parametrize("change", ["body", "case", "command"])
    def test_is_refused_and_stores_nothing(self, service, change):
        case_id, other_case = open_one(service), open_one(service)
        once = key()
        service.handle(referral(case_id), idempotency_key=once)
        command = {"body": referral(case_id, "another text"),
                   "case": referral(other_case),
                   "command": opening(random_ref())}[change]
        with pytest.raises(IdempotencyKeyReused) as refused:
            service.handle(command, idempotency_key=once)
        assert refused.value.field == "idempotency_key"
        assert "already used for a different request" in refused.value.message
        assert versions(service, case_id) == [1, 2]
        assert versions(service, other_case) == [1]


class TestTheKeyIsStoredWithTheEvents:
    def test_a_refused_command_stores_no_key_and_may_be_sent_again(self, service):
        case_id = open_one(service)
        once = key()
        overpayment = RecordPayment(case_id=case_id, actor="priya", occurred_on=REFERRED,
                                    amount=Decimal("99999.00"))
        with pytest.raises(AmountTooLarge):
            service.handle(overpayment, idempotency_key=once)
        assert versions(service, case_id) == [1]
        assert service.handle(referral(case_id), idempotency_key=once).version == 2

    def test_events_refused_by_the_store_leave_no_key(self, make_service, clock):
        racing = RacingClock(clock.current)
        service, other = make_service(clock=racing), make_service()
        case_id = open_one(service)
        service.case(case_id)
        once = key()
        racing.race = lambda: other.handle(referral(case_id, "first"))  # no key: a real race
        with pytest.raises(ConcurrentWrite):
            service.handle(referral(case_id, "second"), idempotency_key=once)
        assert versions(other, case_id) == [1, 2]
        # the key was not kept: the same request, sent again, is now stored
        assert service.handle(referral(case_id, "second"), idempotency_key=once).version == 3

    def test_a_key_refused_by_the_store_leaves_no_events(self, make_service, clock):
        racing = RacingClock(clock.current)
        service, other = make_service(clock=racing), make_service()
        case_id, other_case = open_one(service), open_one(service)
        once = key()
        # while this command runs, another process stores the same key for another case
        racing.race = lambda: other.handle(referral(other_case), idempotency_key=once)
        with pytest.raises(IdempotencyKeyReused):
            service.handle(referral(case_id), idempotency_key=once)
        assert versions(other, case_id) == [1]
        assert versions(other, other_case) == [1, 2]


def lets_in_first(monkeypatch, service: CaseService, race) -> None:
    """The service's first key look-up finds what is stored, then lets `race` run first."""
    recorder = service.recorder
    find, pending = recorder.find_key, [race]

    def find_then_race(key: str):
        found = find(key)
        while pending:
            pending.pop()()
        return found

    monkeypatch.setattr(recorder, "find_key", find_then_race)


class TestRacingSubmissions:
    def test_the_loser_of_a_race_gets_the_winners_result(self, make_service, clock):
        racing = RacingClock(clock.current)
        service, other = make_service(clock=racing), make_service()
        case_id = open_one(service)
        service.case(case_id)  # cached at version 1: the race is decided by the store
        once = key()
        won: list[Recorded] = []
        racing.race = lambda: won.append(other.handle(referral(case_id), idempotency_key=once))
        lost = service.handle(referral(case_id), idempotency_key=once)
        assert same(won[0], lost) and lost.repeated
        assert versions(other, case_id) == [1, 2]

    def test_a_winner_between_the_look_up_and_the_command_is_answered_not_refused(
            self, make_service, monkeypatch):
        service, other = make_service(), make_service()
        case_id = open_one(service)  # GBP 1,200.00: paying it all closes the case
        once = key()
        pay_all = RecordPayment(case_id=case_id, actor="priya", occurred_on=REFERRED,
                                amount=Decimal("1200.00"))
        won: list[Recorded] = []
        lets_in_first(monkeypatch, service,
                      lambda: won.append(other.handle(pay_all, idempotency_key=once)))
        lost = service.handle(pay_all, idempotency_key=once)  # not "the case is closed"
        assert same(won[0], lost) and lost.repeated
        assert [e["type"] for e in service.history(case_id)].count("PaymentReceived") == 1

    def test_an_opening_won_between_the_look_up_and_the_opening_is_answered(
            self, make_service, monkeypatch):
        service, other = make_service(), make_service()
        once, command = key(), opening(random_ref())
        won: list[Recorded] = []
        lets_in_first(monkeypatch, service,
                      lambda: won.append(other.handle(command, idempotency_key=once)))
        lost = service.handle(command, idempotency_key=once)  # not CaseAlreadyOpen
        assert same(won[0], lost) and lost.repeated

    def test_threads_of_two_services_with_one_key_store_one_event(self, make_service):
        services = [make_service(), make_service()]
        case_id = open_one(services[0])
        once = key()
        start = threading.Barrier(6)
        answers: list[Recorded | BaseException] = []

        def submit(service: CaseService) -> None:
            start.wait(10)
            try:
                answers.append(service.handle(referral(case_id), idempotency_key=once))
            except BaseException as error:  # reported by the assertion below
                answers.append(error)

        threads = [threading.Thread(target=submit, args=(services[n % 2],)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert all(isinstance(a, Recorded) for a in answers), answers
        assert {(a.case_id, a.version) for a in answers} == {(case_id, 2)}
        assert sum(not a.repeated for a in answers) == 1
        assert versions(services[0], case_id) == [1, 2]

    def test_processes_with_one_key_store_one_event(self, service, database_url):
        case_id = open_one(service)
        once = key()
        context = multiprocessing.get_context("spawn")
        start = context.Barrier(3)
        answers = context.Queue()
        workers = [context.Process(target=_submit_in_a_process,
                                   args=(database_url, str(case_id), once, start, answers))
                   for _ in range(3)]
        for worker in workers:
            worker.start()
        results = [answers.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(60)
        assert sorted(results) == [("recorded", 2, False), ("recorded", 2, True),
                                   ("recorded", 2, True)]
        assert versions(service, case_id) == [1, 2]


def _submit_in_a_process(url: str, case_id: str, once: str, start, answers) -> None:
    """In a child process: one service, the shared command, sent when all are ready."""
    service = CaseService(url, create_table=False)  # the parent made the tables
    try:
        start.wait(30)
        recorded = service.handle(referral(UUID(case_id)), idempotency_key=once)
        answers.put(("recorded", recorded.version, recorded.repeated))
    except Exception as error:  # reported by the parent's assertion
        answers.put(("error", repr(error), False))
    finally:
        service.close()


class TestTheKeyItself:
    @pytest.mark.parametrize("bad", ["", "short", "x" * 129, "has space in it",
                                     "ünïcode-key", "semi;colon;key", "line\nbreak-key",
                                     "trailing-newline\n"])
    def test_a_malformed_key_is_refused_before_anything_is_stored(self, service, bad):
        case_id = open_one(service)
        with pytest.raises(InvalidIdempotencyKey) as refused:
            service.handle(referral(case_id), idempotency_key=bad)
        assert refused.value.field == "idempotency_key"
        assert "must be 8 to 128 characters" in refused.value.message
        assert versions(service, case_id) == [1]

    @pytest.mark.parametrize("good", ["8e03978e-40d5-43e8-bc93-6894a57f9324", "a" * 128,
                                      "order:2026.01_A-9"])
    def test_a_well_formed_key_is_accepted(self, service, good):
        case_id = open_one(service)
        assert service.handle(referral(case_id), idempotency_key=good).version == 2
