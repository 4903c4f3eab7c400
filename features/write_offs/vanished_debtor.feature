Feature: Writing off the debt of a debtor who has vanished
  As a credit controller
  When the debtor cannot be found and tracing has failed, I write off what is
  outstanding, so the case stops asking for work; notes may still be added.

  Background:
    Given Pop-Up Gelato owes us EUR 480.00 on invoice INV-7001 issued on 1 January 2025 and due on 31 January 2025
    And I sent a reminder by letter on 7 February 2025
    And the debtor paid EUR 80.00 on 20 February 2025

  Scenario: Writing off the rest
    When I write off the outstanding balance on 1 September 2025 because the debtor has vanished
    Then the case records "EUR 400.00 written off: debtor vanished"
    And on 1 September 2025 the case is written off
    And the outstanding balance is EUR 0.00

  Scenario: Nothing but notes after the write-off
    Given I wrote off the outstanding balance on 1 September 2025 because the debtor has vanished
    When I send a reminder by email on 2 September 2025
    Then it is refused: "the case is written off; only notes may be added"
    And on 2 September 2025 the case is written off

  Scenario: A note after the write-off
    Given I wrote off the outstanding balance on 1 September 2025 because the debtor has vanished
    When I add the note "tracing agent found no forwarding address" on 2 September 2025
    Then the case records "Note: tracing agent found no forwarding address"
