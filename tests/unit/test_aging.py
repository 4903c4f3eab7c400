from datetime import date

import pytest

from domain.stages import AGING_BUCKETS, aging_bucket, days_overdue
from tests.builders import DUE, day, given


class TestDaysOverdue:
    @pytest.mark.parametrize(("on", "days"), [
        (date(2025, 1, 1), 0),
        (DUE, 0),
        (day(1), 1),
        (day(29), 29),
        (date(2025, 3, 1), 29),
        (date(2026, 1, 31), 365),
    ])
    def test_days_overdue_are_calendar_days_after_the_due_date(self, on, days):
        assert days_overdue(DUE, on) == days
        assert given().days_overdue(on) == days


class TestAgingBuckets:
    @pytest.mark.parametrize(("offset", "bucket"), [
        (-10, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
        (2000, "90+"),
    ])
    def test_each_case_falls_in_one_bucket_by_days_overdue(self, offset, bucket):
        assert aging_bucket(DUE, day(offset)) == bucket

    def test_the_buckets_in_order(self):
        assert AGING_BUCKETS == ("current", "1-30", "31-60", "61-90", "90+")
