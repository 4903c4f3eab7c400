Feature: The escalation schedule
  As a credit controller
  I want Arrears to take each step of our collection policy on the day it falls due
  so that no case is forgotten, none is chased twice, and none is chased while disputed.

  Scenario: An invoice 21 days overdue with no reply gets a formal demand with a 14-day deadline
    Given Harbour Lights Cafe Ltd owes us GBP 1,200.00 on invoice INV-5001 issued on 1 January 2026 and due on 31 January 2026
    And the schedule ran every day from 28 January 2026 to 20 February 2026
    When the schedule runs on 21 February 2026
    Then the schedule took the step "formal-demand"
    And the demand deadline is 7 March 2026
    And on 21 February 2026 the case is demanded

  Scenario: The schedule run twice on one day sends one reminder
    Given Harbour Lights Cafe Ltd, whose accounts email is ap@harbour.example, owes us GBP 1,200.00 on invoice INV-5002 issued on 1 January 2026 and due on 31 January 2026
    When the schedule runs on 7 February 2026
    And the schedule runs again on 7 February 2026
    Then the case has 1 reminder sent on 7 February 2026
    And 1 email reminder about INV-5002 arrived at ap@harbour.example
    And the second run took no step

  Scenario: A disputed case is not chased
    Given Harbour Lights Cafe Ltd owes us GBP 1,200.00 on invoice INV-5003 issued on 1 January 2026 and due on 31 January 2026
    And the debtor disputed the invoice on 1 January 2026 saying "the goods arrived damaged"
    When the schedule runs every day from 28 January 2026 to 15 March 2026
    Then the case timeline has 2 entries
    And every run left the case alone as disputed

  Scenario: An individual in England gets a letter of claim with 30 days to reply
    Given Jo Bloggs, an individual in England and Wales, owes us GBP 450.00 on invoice INV-5004 issued on 1 January 2026 and due on 31 January 2026
    When the schedule runs on 21 February 2026
    Then the schedule took the step "formal-demand"
    And the demand deadline is 23 March 2026
    And the demand is a letter of claim under the Pre-Action Protocol for Debt Claims
    And its PDF gives 30 days to reply
