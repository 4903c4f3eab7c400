"""The one parser's moments: an ISO date-time with its offset, or a date (its end, UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from application.parsing import parse_datetime
from domain.errors import InvalidValue

TODAY = date(2026, 3, 1)


def parsed(text: object) -> datetime:
    return parse_datetime(text, "as_of", TODAY)


class TestAccepted:
    def test_a_date_means_the_end_of_that_day_utc(self):
        assert parsed("2026-01-31") == datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)

    @pytest.mark.parametrize(("text", "moment"), [
        ("2026-01-31T17:00Z", datetime(2026, 1, 31, 17, tzinfo=UTC)),
        ("2026-01-31t17:00:30z", datetime(2026, 1, 31, 17, 0, 30, tzinfo=UTC)),
        ("2026-01-31T17:00:00+01:00", datetime(2026, 1, 31, 16, tzinfo=UTC)),
        ("2026-01-31 23:30:00-05:00", datetime(2026, 2, 1, 4, 30, tzinfo=UTC)),
        ("2026-01-31T17:00:00.25+00:00", datetime(2026, 1, 31, 17, 0, 0, 250000, tzinfo=UTC)),
        ("  2026-01-31T17:00Z ", datetime(2026, 1, 31, 17, tzinfo=UTC)),
    ])
    def test_a_date_time_with_its_offset_in_utc(self, text, moment):
        assert parsed(text) == moment
        assert parsed(text).utcoffset() == timedelta(0)

    def test_values_already_parsed(self):
        local = datetime(2026, 1, 31, 18, tzinfo=timezone(timedelta(hours=1)))
        assert parsed(local) == datetime(2026, 1, 31, 17, tzinfo=UTC)
        assert parsed(date(2026, 1, 31)) == parsed("2026-01-31")


class TestRefused:
    @pytest.mark.parametrize(("text", "message"), [
        ("2026-01-31T17:00", "has no UTC offset: add Z for UTC or one such as +01:00"),
        ("2026-02-30", "is not a real calendar date"),
        ("2026-02-30T10:00Z", "is not a real date and time"),
        ("2026-01-31T25:00Z", "is not a real date and time"),
        ("2026-01-31T10:00+24:00", "is not a real date and time"),
        ("31/01/2026", "is not a date or a date-time"),
        ("yesterday", "is not a date or a date-time"),
        ("", "is not a date or a date-time"),
        ("1899-12-31T23:00Z", "is outside 1900-01-01 to 2126-12-31"),
        ("9999-12-31", "is outside 1900-01-01 to 2126-12-31"),
        ("2026-01-31T17:00:00.1234567Z", "is not a date or a date-time"),
    ])
    def test_with_the_field_and_the_reason(self, text, message):
        with pytest.raises(InvalidValue) as refused:
            parsed(text)
        assert refused.value.field == "as_of"
        assert message in refused.value.message

    def test_a_naive_date_time_value(self):
        with pytest.raises(InvalidValue, match="must carry a UTC offset"):
            parsed(datetime(2026, 1, 31, 17))

    def test_a_long_input_is_quoted_only_in_part(self):
        with pytest.raises(InvalidValue) as refused:
            parsed("x" * 10_000)
        assert len(refused.value.message) < 200
