"""Money and law: statutory interest, compensation, payment allocation, limitation and the
statutory demand, per jurisdiction. Pure functions over the rules and rate tables in `data/`
(each row citing its source); nothing here reads a clock or writes anything.
"""

from domain.law.allocation import Allocation, Owed, allocate_payment, allocation_order
from domain.law.calculation import InterestCalculation, InterestLine, PrincipalPayment
from domain.law.credit import relevant_day
from domain.law.errors import RateUnknown
from domain.law.insolvency import DemandCheck, check_statutory_demand
from domain.law.interest import calculate_interest
from domain.law.limitation import Limitation, limitation_period
from domain.law.rules import Rules, rules_for
from domain.law.tables import RateRow, RateTable, rate_table
from domain.law.vocabulary import Bucket, Jurisdiction

__all__ = [
    "Allocation", "Bucket", "DemandCheck", "InterestCalculation", "InterestLine",
    "Jurisdiction", "Limitation", "Owed", "PrincipalPayment", "RateRow", "RateTable",
    "RateUnknown", "Rules", "allocate_payment", "allocation_order", "calculate_interest",
    "check_statutory_demand", "limitation_period", "rate_table", "relevant_day", "rules_for",
]
