"""The one order of a case's timeline, and which events in it are back-dated."""

from datetime import date

from application.timeline import chronology


def entry(version: int, occurred_on: str, recorded_at: str = "2026-01-01T09:00:00+00:00",
          **more) -> dict:
    return {"version": version, "occurred_on": date.fromisoformat(occurred_on),
            "recorded_at": recorded_at, **more}


def versions(entries: list[dict]) -> list[int]:
    return [e["version"] for e in entries]


class TestTheOrder:
    def test_is_by_business_date_first(self):
        found = chronology([entry(1, "2025-01-01"), entry(2, "2025-03-01"),
                            entry(3, "2025-02-01")])
        assert versions(found) == [1, 3, 2]

    def test_then_by_the_time_recorded(self):
        found = chronology([entry(1, "2025-01-01"),
                            entry(2, "2025-02-01", "2026-01-02T10:00:00+00:00"),
                            entry(3, "2025-02-01", "2026-01-02T09:30:00+00:00")])
        assert versions(found) == [1, 3, 2]

    def test_then_by_version(self):
        found = chronology([entry(3, "2025-02-01"), entry(2, "2025-02-01"),
                            entry(1, "2025-01-01")])
        assert versions(found) == [1, 2, 3]

    def test_takes_dates_and_times_as_text_too(self):
        found = chronology([{"version": 2, "occurred_on": "2025-01-05",
                             "recorded_at": "2026-01-01T09:00:00+00:00"},
                            {"version": 1, "occurred_on": "2025-01-05",
                             "recorded_at": "2026-01-01T10:00:00+01:00"}])
        assert versions(found) == [1, 2]

    def test_keeps_every_field_of_each_entry(self):
        [found] = chronology([entry(1, "2025-01-01", summary="Opened", actor="ann")])
        assert found == {**entry(1, "2025-01-01", summary="Opened", actor="ann"),
                         "backdated": False}


class TestBackDatedEvents:
    def test_an_event_dated_before_one_recorded_earlier_is_back_dated(self):
        found = chronology([entry(1, "2025-01-01"), entry(2, "2025-03-01"),
                            entry(3, "2025-02-01"), entry(4, "2025-03-01")])
        assert {e["version"]: e["backdated"] for e in found} == \
            {1: False, 2: False, 3: True, 4: False}

    def test_it_is_judged_against_the_latest_date_recorded_before_it(self):
        found = chronology([entry(1, "2025-01-01"), entry(2, "2025-03-01"),
                            entry(3, "2025-02-01"), entry(4, "2025-02-15")])
        assert {e["version"]: e["backdated"] for e in found} == \
            {1: False, 2: False, 3: True, 4: True}

    def test_an_event_on_the_same_day_as_the_latest_is_not_back_dated(self):
        found = chronology([entry(1, "2025-01-01"), entry(2, "2025-01-01")])
        assert [e["backdated"] for e in found] == [False, False]
