Feature: A formal demand with a deadline
  As a credit controller
  When reminders go unanswered I send the formal demand: the account, a deadline,
  and what happens when the deadline passes.

  Background:
    Given Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-4001 issued on 1 January 2025 and due on 31 January 2025
    And I sent a reminder by email on 7 February 2025

  Scenario: Issuing the demand
    When I issue a demand on 14 February 2025 with a deadline of 28 February 2025 warning of "court proceedings"
    Then the case records "Demand for EUR 1,200.00 issued, deadline 2025-02-28"
    And the demand deadline is 28 February 2025
    And on 14 February 2025 the case is demanded

  Scenario: The deadline must come after the day of the demand
    When I issue a demand on 14 February 2025 with a deadline of 14 February 2025 warning of "court proceedings"
    Then it is refused: "2025-02-14 must be after the demand's issue date (2025-02-14)"
    And on 14 February 2025 the case is reminded
    And the case timeline has 2 entries

  Scenario: A reminder after the demand does not step the case back
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    When I send a reminder by email on 21 February 2025
    Then the case records "Reminder sent by email after due"
    And on 21 February 2025 the case is demanded
