"""Recording an evidence bundle produced: a fact for the audit trail, closed cases too."""

from __future__ import annotations

import pytest

from application.summaries import summarise
from domain.errors import InvalidValue
from tests.builders import (
    day,
    eur,
    given,
    names,
    open_case,
    refused,
    replayed,
    stamp,
    state,
    step,
    when,
)

DIGEST = "3f" * 32
BUNDLE = dict(sha256=DIGEST, files=9, covers_version=3, interface="web")
HISTORY = [step("send_reminder", day(3), channel="email"),
           step("add_note", day(4), text="called")]


class TestRecordingABundle:
    def test_records_the_zip_hash_its_files_the_events_it_covers_and_where(self):
        case = given(None, *HISTORY)
        events = when(case, "record_evidence_bundle", day(5), **BUNDLE)
        assert names(events) == ["EvidenceBundleProduced"]
        event = events[0]
        assert (event.sha256, event.files, event.covers_version, event.interface) == \
            (DIGEST, 9, 3, "web")
        assert (event.actor, event.occurred_on) == ("ann", day(5))

    def test_changes_no_balance_or_stage(self):
        case = given(None, *HISTORY)
        before = {k: v for k, v in state(case).items() if k not in ("_version", "_modified_on")}
        when(case, "record_evidence_bundle", day(5), **BUNDLE)
        after = {k: v for k, v in state(case).items() if k not in ("_version", "_modified_on")}
        assert after == before

    def test_replays_to_the_same_case(self):
        case = open_case()
        case.send_reminder(channel="email", stamp=stamp(day(3)))
        case.record_evidence_bundle(stamp=stamp(day(5)), **{**BUNDLE, "covers_version": 2})
        assert state(replayed(case.collect_events())) == state(case)

    @pytest.mark.parametrize("closing", [
        [step("record_payment", day(30), amount=eur("1000.00"), method="card"),
         step("waive_interest", day(30), reason="goodwill")],
        [step("write_off", day(30), reason="uncollectable")],
    ])
    def test_a_closed_case_accepts_it(self, closing):
        case = given(None, *HISTORY, *closing, amount="1000.00")
        assert case.is_closed
        events = when(case, "record_evidence_bundle", day(50), **{**BUNDLE, "covers_version": 4})
        assert names(events) == ["EvidenceBundleProduced"]
        assert case.is_closed

    def test_its_summary_says_what_was_produced_where(self):
        case = given(None, *HISTORY)
        event = when(case, "record_evidence_bundle", day(5), **BUNDLE)[0]
        assert summarise(event) == (f"Evidence bundle of events 1 to 3 downloaded from the case "
                                    f"page: 9 files, SHA-256 {DIGEST}")
        event = when(case, "record_evidence_bundle", day(5), **{**BUNDLE, "files": 1,
                                                                 "interface": "cli"})[0]
        assert summarise(event).startswith("Evidence bundle of events 1 to 3 written with the "
                                           "CLI: 1 file, SHA-256 ")


class TestWhatIsRefused:
    @pytest.mark.parametrize(("field", "value", "match"), [
        ("sha256", "abc", "must be a SHA-256 digest: 64 hexadecimal digits"),
        ("sha256", "g" * 64, "must be a SHA-256 digest"),
        ("files", 0, "must be from 1 to 100,000, got 0"),
        ("covers_version", 0, "must be from 1 to the case's version 3, got 0"),
        ("covers_version", 4, "must be from 1 to the case's version 3, got 4"),
        ("interface", "fax", "'fax' is not one of: cli, web, api"),
    ])
    def test_a_value_out_of_bounds(self, field, value, match):
        case = given(None, *HISTORY)
        with refused(case, InvalidValue, field, match=match):
            when(case, "record_evidence_bundle", day(5), **{**BUNDLE, field: value})

    def test_upper_case_hex_is_the_same_digest(self):
        case = given(None, *HISTORY)
        event = when(case, "record_evidence_bundle", day(5),
                     **{**BUNDLE, "sha256": DIGEST.upper()})[0]
        assert event.sha256 == DIGEST

