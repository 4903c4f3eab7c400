Feature: A late-payment penalty
  As a credit controller
  Once an invoice is overdue I add statutory interest and the fixed compensation,
  and I may waive part of it as a goodwill gesture; never interest on or before the due date.

  Background:
    Given Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-3001 issued on 1 January 2025 and due on 31 January 2025

  Scenario: Statutory interest for the days overdue
    When I charge statutory interest of EUR 7.50 at 8.15% a year for 1 February 2025 to 28 February 2025 on 1 March 2025
    Then the case records "Statutory interest of EUR 7.50 applied at 8.15% a year for 28 days"
    And the outstanding balance is EUR 1,207.50

  Scenario: No interest on the due date
    When I charge statutory interest of EUR 0.27 at 8.15% a year for 31 January 2025 to 31 January 2025 on 31 January 2025
    Then it is refused: "no statutory interest on or before the due date (2025-01-31)"
    And the outstanding balance is EUR 1,200.00
    And the case timeline has 1 entry

  Scenario: Compensation, part of it waived for a long-standing customer
    Given I charged compensation of EUR 40.00 on 1 February 2025
    When I waive EUR 15.00 of the compensation on 5 February 2025 because "long-standing customer"
    Then the case records "Compensation of EUR 15.00 waived: long-standing customer"
    And the outstanding balance is EUR 1,225.00

  Scenario: No more can be waived than was charged
    Given I charged a late fee of EUR 40.00 on 1 February 2025
    When I waive EUR 50.00 of the late fee on 5 February 2025 because "goodwill"
    Then it is refused: "EUR 50.00 is more than the late_fee still applied of EUR 40.00"
    And the outstanding balance is EUR 1,240.00
