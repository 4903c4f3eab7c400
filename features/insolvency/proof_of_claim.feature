Feature: A proof of claim in the debtor's insolvency
  As a credit controller
  When the debtor goes into insolvency I file our claim for everything outstanding,
  and write off what the insolvency will not pay.

  Background:
    Given Quayside Joinery Ltd owes us EUR 1,200.00 on invoice INV-6001 issued on 1 January 2025 and due on 31 January 2025
    And I charged compensation of EUR 40.00 on 1 February 2025
    And the debtor paid EUR 200.00 on 10 February 2025

  Scenario: Filing the proof of claim
    When I file a proof of claim with "High Court, Insolvency List" in insolvency case "BR-2025-000123" on 1 April 2025
    Then the case records "Proof of claim for EUR 1,040.00 filed with High Court, Insolvency List (BR-2025-000123)"
    And on 1 April 2025 the case is in insolvency
    And the outstanding balance is EUR 1,040.00

  Scenario: Writing off what the insolvency does not pay
    Given I filed a proof of claim with "High Court, Insolvency List" in insolvency case "BR-2025-000123" on 1 April 2025
    And the debtor paid EUR 240.00 on 1 September 2025
    When I write off the outstanding balance on 1 October 2025 because of the insolvency
    Then the case records "EUR 800.00 written off: insolvency"
    And on 1 October 2025 the case is written off
    And the outstanding balance is EUR 0.00
