"""The canonical JSON an event's hash covers: pinned byte for byte (ADR 0016)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from application.evidence.canonical import CanonicalError, canonical_json, event_bytes
from domain.money import Money
from domain.values import PaymentMethod, PromiseShare, PromiseStanding

CASE = UUID("2D4C71EE-D4AE-54ED-8F07-510B53FA99F7")


def test_an_event_is_pinned_to_the_byte():
    state = {"timestamp": datetime(2026, 3, 1, 9, 0, tzinfo=UTC), "actor": "priya.shah",
             "occurred_on": date(2026, 1, 10), "amount": Money(Decimal("1000.00"), "GBP"),
             "method": PaymentMethod.BANK_TRANSFER, "reference": "Réf «7» \"q\"\n",
             "promises": [PromiseShare(date(2026, 1, 9), Money(Decimal("5E+1"), "GBP"),
                                       PromiseStanding.KEPT)],
             "class_version": 2}
    expected = (
        '{"actor":"priya.shah","amount":{"amount":"1000.00","currency":"GBP"},'
        '"class_version":2,"method":"bank_transfer","occurred_on":"2026-01-10",'
        '"originator_id":"2d4c71ee-d4ae-54ed-8f07-510b53fa99f7","originator_version":6,'
        '"promises":[{"amount":{"amount":"50","currency":"GBP"},"promised_on":"2026-01-09",'
        '"standing":"kept"}],"reference":"Réf «7» \\"q\\"\\n",'
        '"timestamp":"2026-03-01T09:00:00+00:00","topic":"domain.events:PaymentReceived"}'
    ).encode()
    assert event_bytes("domain.events:PaymentReceived", CASE, 6, state) == expected


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1.2E+3"), b'"1200"'), (Decimal("-0.50"), b'"-0.50"'), (Decimal("7"), b'"7"'),
    (datetime(2026, 1, 1, 9, 30, 0, 5, tzinfo=timezone(timedelta(hours=2))),
     b'"2026-01-01T09:30:00.000005+02:00"'),
    ((1, True, None), b"[1,true,null]"),
    ({"b": 1, "a": {"d": 2, "c": 3}}, b'{"a":{"c":3,"d":2},"b":1}'),
    ("\x01\x7f\u00e9", b'"\\u0001\x7f\xc3\xa9"'),
])
def test_values_take_one_form(value, text):
    assert canonical_json(value) == text


@pytest.mark.parametrize("value", [1.5, datetime(2026, 1, 1), Decimal("NaN"), {1: "x"},
                                   object(), b"bytes"])
def test_what_has_no_canonical_form_is_refused(value):
    with pytest.raises(CanonicalError):
        canonical_json(value)


def test_a_stored_field_named_like_the_envelope_is_refused():
    with pytest.raises(CanonicalError, match="reserved field topic"):
        event_bytes("t", CASE, 1, {"topic": "x"})
