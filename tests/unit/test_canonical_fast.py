"""`verify`'s shortcut to the canonical bytes: the same bytes as the full canonicalizer for
every event it makes, NotFast for anything it cannot vouch for (ADR 0037)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Mapper, StoredEvent, Transcoding
from hypothesis import given, settings
from hypothesis.strategies import datetimes, decimals, sampled_from, timezones

from application.evidence.canonical_fast import SEEN, FastCanonical, NotFast
from application.evidence.chain import Canonicalizer
from application.service import CaseService
from bench import dataset
from tests.unit.test_stored_events import STORED, mapper

CASE = UUID("2d4c71ee-d4ae-54ed-8f07-510b53fa99f7")


def both(m: Mapper, stored: StoredEvent) -> tuple[bytes, bytes]:
    slow = Canonicalizer(m)
    fast = FastCanonical(slow).bytes_of(stored.topic, str(stored.originator_id),
                                        stored.originator_version, stored.state)
    return fast, slow.bytes_of(stored)


@pytest.mark.parametrize("file", sorted(p.name for p in STORED.glob("*.tsv")
                                         if "snapshot" not in p.name))  # snapshots: no chain
def test_old_stored_events_give_the_same_bytes(file):
    m = mapper()
    lines = (STORED / file).read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        version, topic, body = line.split("\t")
        fast, slow = both(m, StoredEvent(CASE, int(version), topic, body.encode("utf-8")))
        assert fast == slow


def test_every_event_a_worked_book_stores_gives_the_same_bytes(tmp_path: Path):
    service = CaseService(f"sqlite:///{tmp_path}/events.db")
    try:
        assert dataset.generate(service, 60, events_per_case=12, seed=3) > 500
        rows = service.chain_recorder.select_chains(service.chain_recorder.case_ids())
        topics = set()
        for case_id, chain in rows.items():
            for row in chain:
                assert row.event is not None
                fast, slow = both(service.mapper, row.event)
                assert fast == slow, (case_id, row.version)
                topics.add(row.event.topic)
        assert len(topics) >= 6  # opened, reminded, called, noted, paid, promised, ...
    finally:
        service.close()


STATE = {"timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-01T09:00:00+00:00"},
         "actor": "ann", "amount": {"_type_": "money",
                                    "_data_": {"amount": "1.2E+3", "currency": "GBP"}}}


def test_a_decimal_in_another_notation_is_canonical_as_before():
    fast, slow = both(mapper(), StoredEvent(CASE, 2, "domain.events:PaymentReceived",
                                            json.dumps(STATE).encode()))
    assert fast == slow and b'"amount":"1200"' in fast


@pytest.mark.parametrize("state", [
    {**STATE, "rate": 1.5},                                        # a float
    {**STATE, "x": {"_type_": "not_registered", "_data_": "1"}},   # an unknown type
    {**STATE, "topic": "forged"},                                  # a reserved field
    {**STATE, "timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-01T09:00:00"}},
    {**STATE, "amount": {"_type_": "money", "_data_": {"amount": "NaN", "currency": "GBP"}}},
    [1, 2],                                                        # not an object
])
def test_what_it_cannot_vouch_for_is_left_to_the_full_canonicalizer(state):
    slow = Canonicalizer(mapper())
    with pytest.raises(NotFast):
        FastCanonical(slow).bytes_of("domain.events:NoteAdded", str(CASE), 2,
                                     json.dumps(state).encode())


def test_bytes_that_are_not_json_are_not_fast():
    with pytest.raises(NotFast):
        FastCanonical(Canonicalizer(mapper())).bytes_of("t", str(CASE), 1, b"\xff{")


def test_text_of_every_kind_gives_the_same_bytes():
    state = {**STATE, "note": "ctl \x00\x01\b\f\n\r\t\x1f del \x7f \u2028 \"q\" \\ é 😀 \uffff",
             "z😀": 1, "z\uffff": 2, "é": 3, "Z": 4}
    fast, slow = both(mapper(), StoredEvent(CASE, 2, "domain.events:NoteAdded",
                                            json.dumps(state, ensure_ascii=False).encode()))
    assert fast == slow


def test_a_field_stored_twice_is_read_as_the_application_reads_it():
    body = (b'{"actor":"ann","note":"first","timestamp":{"_type_":"datetime_iso",'
            b'"_data_":"2026-03-01T09:00:00+00:00"},"note":"second"}')
    fast, slow = both(mapper(), StoredEvent(CASE, 2, "domain.events:NoteAdded", body))
    assert fast == slow and b'"second"' in fast and b'"first"' not in fast


def test_a_remembered_value_is_the_value_of_its_own_text():
    fast = FastCanonical(Canonicalizer(mapper()))
    made = [fast.bytes_of("domain.events:NoteAdded", str(CASE), 2, json.dumps(
        {**STATE, "amount": {"_type_": "decimal_str", "_data_": text}}).encode())
        for text in ("1.2E+3", "1200", "1.2E+3")]
    assert [b'"amount":"1200"' in m for m in made] == [True, True, True]
    assert made[0] == made[2] and fast.memo


def test_values_remembered_by_text_keep_one_true_and_one_apart():
    slow = Canonicalizer(mapper())
    fast = FastCanonical(slow)
    for name in (1, True, 1, "1", True):
        state = {**STATE, "debtor": {"_type_": "debtor", "_data_": {
            "name": name, "kind": "business", "email": "", "phone": "", "address": "",
            "tax_id": ""}}}
        stored = StoredEvent(CASE, 2, "domain.events:NoteAdded", json.dumps(state).encode())
        made = fast.bytes_of(stored.topic, str(CASE), 2, stored.state)
        assert made == slow.bytes_of(stored)


def test_a_text_remembered_as_canonical_passes_only_for_its_own_kind():
    slow = Canonicalizer(mapper())
    fast = FastCanonical(slow)

    def stored(name: str, text: str) -> StoredEvent:
        return StoredEvent(CASE, 2, "domain.events:NoteAdded", json.dumps(
            {**STATE, "value": {"_type_": name, "_data_": text}}).encode())

    def fast_bytes(name: str, text: str) -> bytes | None:
        event = stored(name, text)
        try:
            return fast.bytes_of(event.topic, str(CASE), 2, event.state)
        except NotFast:
            return None

    day = fast_bytes("date_iso", "2026-03-01")
    assert fast_bytes("date_iso", "2026-03-01") == day == slow.bytes_of(
        stored("date_iso", "2026-03-01"))
    assert fast_bytes("decimal_str", "2026-03-01") is None  # not an amount: left to the full way
    amount = fast_bytes("decimal_str", "1200")
    assert fast_bytes("date_iso", "1200") is None
    assert fast_bytes("decimal_str", "1200") == amount == slow.bytes_of(
        stored("decimal_str", "1200"))
    assert fast.seen["date_iso"].known == {"2026-03-01"}
    assert fast.seen["decimal_str"].known == {"1200"}


@pytest.mark.parametrize("second", [
    {"amount": "12.00", "currency": "EUR"}, {"amount": "12.00", "currency": 5},
    {"amount": "12.00", "currency": None}, {"amount": "12.00", "note": "EUR"},
    {"amount": ["12.00"], "currency": "EUR"}, {"amount": "12.00", "currency": "EUR", "x": 1},
])
def test_a_money_of_an_amount_seen_before_gives_the_full_conversions_bytes(second):
    fast = FastCanonical(Canonicalizer(mapper()))
    for data in ({"amount": "12.00", "currency": "EUR"}, second):
        the_same_or_not_fast({**STATE, "amount": {"_type_": "money", "_data_": data}}, fast)
    assert "12.00" in fast.amounts.known


def test_the_texts_remembered_as_canonical_are_bounded():
    fast = FastCanonical(Canonicalizer(mapper()))
    for day in range(SEEN + 10):
        amount = f"{day}.00"
        fast.bytes_of("domain.events:NoteAdded", str(CASE), 2, json.dumps(
            {**STATE, "amount": {"_type_": "money",
                                 "_data_": {"amount": amount, "currency": "EUR"}}}).encode())
        assert amount in fast.amounts.known
    assert len(fast.amounts.known) <= SEEN


def test_a_stored_state_that_is_itself_a_value_object_is_not_fast():
    with pytest.raises(NotFast):
        FastCanonical(Canonicalizer(mapper())).bytes_of("t", str(CASE), 1, json.dumps(
            STATE["amount"]).encode())


# Text that is already canonical is taken as it is (ADR 0043); these pin that the patterns
# admit no text the full conversion would change, nor text it refuses.
AS_STORED = [
    ("datetime_iso", "2026-03-01T09:00:00+00:00"),
    ("datetime_iso", "2026-03-01T09:00:00.000001-05:30"),
    ("datetime_iso", "2026-03-01T09:00:00.000000+00:00"),
    ("datetime_iso", "2026-03-01T09:00:00-00:00"),
    ("datetime_iso", "2026-03-01 09:00:00+00:00"), ("datetime_iso", "2024-02-29T09:00:00+00:00"),
    ("datetime_iso", "2026-02-29T09:00:00+00:00"), ("datetime_iso", "2026-04-31T09:00:00+00:00"),
    ("datetime_iso", "0000-01-01T09:00:00+00:00"), ("datetime_iso", "2026-03-01T24:00:00+00:00"),
    ("datetime_iso", "2026-03-01T09:00:00+00:00:30"), ("datetime_iso", "2026-03-01T09:00:00Z"),
    ("datetime_iso", "20260301T090000+0000"), ("datetime_iso", "2026-03-01T09:00+00:00"),
    ("date_iso", "2026-03-01"), ("date_iso", "2024-02-29"), ("date_iso", "2026-02-29"),
    ("date_iso", "20260301"), ("date_iso", "2026-W09-7"), ("date_iso", "2026-13-01"),
    ("decimal_str", "1200.00"), ("decimal_str", "-0"), ("decimal_str", "-0.00"),
    ("decimal_str", "007"), ("decimal_str", "1.2E+3"), ("decimal_str", "+5"),
    ("decimal_str", "1."), ("decimal_str", ".5"), ("decimal_str", "NaN"), ("decimal_str", "1_000"),
]


def the_same_or_not_fast(state: dict, fast: FastCanonical | None = None) -> None:
    """The shortcut (`fast`, a new one by default) gives the full canonicalizer's bytes, or
    leaves the event to it."""
    stored = StoredEvent(CASE, 2, "domain.events:NoteAdded", json.dumps(state).encode())
    slow = Canonicalizer(mapper())
    fast = fast or FastCanonical(slow)
    try:
        expected = slow.bytes_of(stored)
    except Exception:  # the full way refuses it: the shortcut must not vouch for it
        with pytest.raises(NotFast):
            fast.bytes_of(stored.topic, str(CASE), 2, stored.state)
        return
    try:
        made = fast.bytes_of(stored.topic, str(CASE), 2, stored.state)
    except NotFast:
        return
    assert made == expected


@pytest.mark.parametrize(("name", "text"), AS_STORED)
def test_text_taken_as_stored_is_what_the_full_conversion_makes(name, text):
    the_same_or_not_fast({**STATE, "value": {"_type_": name, "_data_": text}})


@pytest.mark.parametrize("amount", ["1200.00", "-0.00", "007.5", "1.2E+3", "12", "1e2"])
@pytest.mark.parametrize("currency", ["GBP", "gbp", ""])
def test_money_taken_as_stored_is_what_the_full_conversion_makes(amount, currency):
    the_same_or_not_fast({**STATE, "amount": {"_type_": "money",
                                              "_data_": {"amount": amount, "currency": currency}}})


def test_money_with_a_third_field_is_what_the_full_conversion_makes():
    data = {"amount": "1.00", "currency": "GBP", "note": "x"}
    the_same_or_not_fast({**STATE, "amount": {"_type_": "money", "_data_": data}})


@settings(max_examples=300, deadline=None)
@given(moment=datetimes(timezones=timezones()) | datetimes(), as_text=sampled_from(
    ["iso", "space", "micro"]))
def test_any_time_stamp_text_gives_the_full_conversions_bytes(moment, as_text):
    text = moment.isoformat(sep=" " if as_text == "space" else "T",
                            timespec="microseconds" if as_text == "micro" else "auto")
    the_same_or_not_fast({**STATE, "timestamp": {"_type_": "datetime_iso", "_data_": text}})


@settings(max_examples=300, deadline=None)
@given(number=decimals(allow_nan=False, allow_infinity=False), as_text=sampled_from(
    ["str", "plain", "sci"]))
def test_any_amount_text_gives_the_full_conversions_bytes(number, as_text):
    text = str(number) if as_text == "str" else format(number, "f" if as_text == "plain" else "e")
    the_same_or_not_fast({**STATE, "value": {"_type_": "decimal_str", "_data_": text},
                          "amount": {"_type_": "money", "_data_": {"amount": text,
                                                                   "currency": "EUR"}}})


# A value object's fields: those its decoder keeps as given are taken as they are, those it
# changes are converted (the decoder's own output, made canonical) and what it refuses is
# left to the full canonicalizer.
@dataclass(frozen=True)
class Rate:
    percent: Decimal
    label: str
    days: tuple[int, ...]


class RateAsDict(Transcoding):
    type = Rate
    name = "rate_test"

    def encode(self, obj: Rate) -> dict[str, Any]:
        return {"percent": str(obj.percent), "label": obj.label, "days": list(obj.days)}

    def decode(self, data: dict[str, Any]) -> Rate:
        return Rate(Decimal(data["percent"]), data["label"], tuple(data["days"]))


def with_rates() -> Mapper:
    m = mapper()
    m.transcoder.register(RateAsDict())
    return m


@pytest.mark.parametrize("percent", ["1.2E+1", 12])  # 12 == Decimal(12), but "12" is canonical
def test_a_field_its_decoder_changes_is_converted_as_the_full_canonicalizer_does(percent):
    m = with_rates()
    state = {**STATE, "rate": {"_type_": "rate_test", "_data_": {
        "percent": percent, "label": "base", "days": [1, 2]}}}
    stored = StoredEvent(CASE, 2, "domain.events:NoteAdded", json.dumps(state).encode())
    fast, slow = both(m, stored)
    assert fast == slow
    assert b'"percent":"12"' in fast and b'"label":"base"' in fast and b'"days":[1,2]' in fast


def test_a_value_object_its_decoder_refuses_is_not_fast():
    state = {**STATE, "rate": {"_type_": "rate_test", "_data_": {"percent": "1", "label": "x"}}}
    with pytest.raises(NotFast):
        FastCanonical(Canonicalizer(with_rates())).bytes_of(
            "domain.events:NoteAdded", str(CASE), 2, json.dumps(state).encode())


@pytest.mark.parametrize("value", [
    {"_type_": "allocation", "_data_": {
        "order": ["costs", "interest", "principal"],
        "costs": {"_type_": "money", "_data_": {"amount": "4E+1", "currency": "GBP"}},
        "interest": {"_type_": "money", "_data_": {"amount": "0.00", "currency": "GBP"}},
        "principal": {"_type_": "money", "_data_": {"amount": "886.00", "currency": "GBP"}},
        "unallocated": {"_type_": "money", "_data_": {"amount": "0.00", "currency": "GBP"}}}},
    [{"_type_": "promise_share", "_data_": {
        "promised_on": {"_type_": "date_iso", "_data_": "2026-06-22"},
        "amount": {"_type_": "money", "_data_": {"amount": "0.00", "currency": "GBP"}},
        "standing": "broken"}}],
    {"_type_": "payment_terms", "_data_": {
        "interest_rate": {"_type_": "decimal_str", "_data_": "8.00"}, "late_fee": None,
        "payment_methods": ["bank_transfer", "card"]}},
    {"_type_": "debtor", "_data_": {"name": "Ann Ltd", "kind": "business", "email": "",
                                    "phone": "", "address": "", "tax_id": ""}},
    {"_type_": "debtor", "_data_": {"name": "Ann Ltd"}},  # the other fields by default
])
def test_each_value_object_gives_the_full_canonicalizers_bytes(value):
    stored = StoredEvent(CASE, 2, "domain.events:NoteAdded",
                         json.dumps({**STATE, "value": value}).encode())
    fast, slow = both(mapper(), stored)
    assert fast == slow
