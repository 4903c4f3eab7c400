"""Payments as parts of the principal, for `arrears interest` (every payment toward it)."""

from __future__ import annotations

from datetime import date

from application.interest import principal_parts
from domain.law import PrincipalPayment
from tests.builders import eur, open_case, stamp


def paid(*payments: tuple[str, date]):
    case = open_case(amount="1000.00")
    case.collect_events()
    for amount, on in payments:
        case.record_payment(amount=eur(amount), method="card", stamp=stamp(on))
    return case.collect_events()


class TestPrincipalParts:
    def test_every_payment_counts_toward_the_principal_in_date_order(self):
        events = paid(("300", date(2025, 3, 5)), ("200", date(2025, 3, 1)))
        assert principal_parts(eur("1000.00"), reversed(events)) == (
            PrincipalPayment(date(2025, 3, 1), eur("200.00")),
            PrincipalPayment(date(2025, 3, 5), eur("300.00")))

    def test_never_beyond_the_principal(self):
        events = paid(("700", date(2025, 3, 1)), ("200", date(2025, 3, 2)))
        assert principal_parts(eur("800.00"), events) == (
            PrincipalPayment(date(2025, 3, 1), eur("700.00")),
            PrincipalPayment(date(2025, 3, 2), eur("100.00")))
