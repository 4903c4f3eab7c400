from domain.errors import InvalidValue, RuleBroken
from domain.values import Stage
from tests.builders import day, eur, given, names, refused, step, when


class TestIssuingADemand:
    def test_a_demand_states_the_outstanding_balance_its_deadline_and_consequences(self):
        case = given(None, step("apply_penalty", day(1), kind="compensation", amount=eur("40")),
                     amount="1000.00")
        events = when(case, "issue_demand", day(14), deadline=day(28),
                      consequences=" court proceedings ", letter_reference="LBA-1")
        assert names(events) == ["DemandIssued"]
        demand = events[0]
        assert (demand.amount, demand.deadline, demand.consequences, demand.letter_reference) \
            == (eur("1040.00"), day(28), "court proceedings", "LBA-1")
        assert case.demand_deadline == day(28)
        assert case.demand_issued
        assert case.last_contact_on == day(14)
        assert case.stage == Stage.DEMANDED

    def test_a_demand_may_be_for_part_of_the_balance(self):
        case = given(amount="1000.00")
        [demand] = when(case, "issue_demand", day(14), deadline=day(28), consequences="court",
                        amount=eur("250.00"))
        assert demand.amount == eur("250.00")

    def test_the_deadline_must_be_after_the_day_the_demand_is_issued(self):
        case = given()
        with refused(case, InvalidValue, "deadline", match="must be after the demand's issue"):
            when(case, "issue_demand", day(14), deadline=day(14), consequences="court")
        with refused(case, InvalidValue, "deadline"):
            when(case, "issue_demand", day(14), deadline=day(13), consequences="court")

    def test_the_day_after_is_the_earliest_deadline(self):
        case = given()
        [demand] = when(case, "issue_demand", day(14), deadline=day(15), consequences="court")
        assert demand.deadline == day(15)

    def test_a_demand_must_say_what_happens_if_it_is_ignored(self):
        case = given()
        with refused(case, InvalidValue, "consequences", match="must not be blank"):
            when(case, "issue_demand", day(14), deadline=day(28), consequences="  ")

    def test_no_demand_while_the_case_is_on_hold(self):
        case = given(None, step("place_hold", day(10), reason="manual"))
        with refused(case, RuleBroken, "case",
                     match=r"on hold \(manual\); lift the hold before issuing a demand"):
            when(case, "issue_demand", day(14), deadline=day(28), consequences="court")

    def test_a_second_demand_moves_the_deadline(self):
        case = given(None, step("issue_demand", day(14), deadline=day(28), consequences="court"))
        when(case, "issue_demand", day(30), deadline=day(44), consequences="court")
        assert case.demand_deadline == day(44)
        assert case.stage == Stage.DEMANDED
