"""The formal demand and its deadline (features/demands/formal_demand.feature)."""

from pytest_bdd import scenarios

scenarios("demands/formal_demand.feature")
