"""A case knows its law: the jurisdiction it is opened under, kept from the opening on."""

from __future__ import annotations

import pytest

from application.schedule.engine import Hooks
from application.schedule.hooks import case_jurisdiction
from application.settings import SettingsError, default_jurisdiction
from domain.case import DebtCase, case_id_for
from domain.errors import InvalidValues
from domain.law import Jurisdiction
from domain.values import Debtor
from tests.builders import DUE, ISSUED, eur, random_name, random_ref, stamp
from tests.unit.test_stored_events import decoded


def opened(**changes) -> DebtCase:
    fields = dict(creditor=random_name("Creditor"), invoice_number=random_ref(),
                  debtor=Debtor(random_name()), amount=eur("1200.00"), issue_date=ISSUED,
                  due_date=DUE, stamp=stamp(ISSUED))
    return DebtCase.open(**{**fields, **changes})


class TestOpening:
    @pytest.mark.parametrize("jurisdiction", list(Jurisdiction))
    def test_a_case_keeps_the_jurisdiction_it_was_opened_under(self, jurisdiction):
        case = opened(jurisdiction=jurisdiction)
        assert case.jurisdiction == jurisdiction.value
        [event] = case.collect_events()
        assert event.jurisdiction == jurisdiction.value

    def test_england_and_wales_when_none_is_given(self):
        assert opened().jurisdiction == "england-wales"

    def test_a_word_is_read_as_the_vocabulary_reads_it(self):
        assert opened(jurisdiction=" Germany ").jurisdiction == "germany"

    def test_an_unknown_jurisdiction_is_refused_naming_the_field(self):
        with pytest.raises(InvalidValues) as refused:
            opened(jurisdiction="france")
        assert "jurisdiction" in refused.value.errors
        assert "germany" in refused.value.errors["jurisdiction"][0]


class TestStoredBeforeCasesKnewTheirLaw:
    def test_an_old_case_opened_decodes_under_england_and_wales(self):
        first = decoded("case_to_counsel_v2.tsv", case_id_for("C", "INV-3"))[0]
        assert type(first).__name__ == "CaseOpened"
        assert first.jurisdiction == "england-wales"
        assert first.mutate(None).jurisdiction == "england-wales"

    @pytest.mark.parametrize(("file", "invoice"), [
        ("case_attached_snapshot_v3.tsv", "INV-4"), ("case_reminded_snapshot_v2.tsv", "INV-3"),
        ("case_to_insolvency_snapshot_v1.tsv", "INV-1")])
    def test_an_old_snapshot_restores_a_case_under_england_and_wales(self, file, invoice):
        [snapshot] = decoded(file, case_id_for("C", invoice))
        assert snapshot.mutate(None).jurisdiction == "england-wales"


class TestTheDefault:
    def test_is_england_and_wales_out_of_the_box(self):
        assert default_jurisdiction({}) is Jurisdiction.ENGLAND_WALES
        assert default_jurisdiction({"ARREARS_JURISDICTION": " "}) is Jurisdiction.ENGLAND_WALES

    def test_comes_from_arrears_jurisdiction(self):
        assert default_jurisdiction({"ARREARS_JURISDICTION": "Scotland"}) is Jurisdiction.SCOTLAND

    def test_an_unknown_word_names_the_setting(self):
        with pytest.raises(SettingsError, match="ARREARS_JURISDICTION: 'france' is not one of"):
            default_jurisdiction({"ARREARS_JURISDICTION": "france"})


class TestTheSchedulesLaw:
    def test_is_the_cases_own(self):
        assert case_jurisdiction(opened(jurisdiction="germany")) is Jurisdiction.GERMANY
        assert Hooks().jurisdiction(opened(jurisdiction="scotland")) is Jurisdiction.SCOTLAND
