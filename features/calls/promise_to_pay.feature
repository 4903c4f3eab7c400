Feature: A call that ends in a promise to pay
  As a credit controller
  When I phone the debtor and they promise to pay, I log the call and the promise;
  if the money is not in by the promised date, the promise is broken the day after.
  Money that comes later is still recorded, as a late payment: it does not keep the promise.

  Background:
    Given Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-2001 issued on 1 January 2025 and due on 31 January 2025

  Scenario: Logging a call with a promise to pay
    When I log an outbound call with Sam Patel on 10 February 2025 who promises to pay EUR 1,200.00 by 20 February 2025
    Then the case records "Promised to pay EUR 1,200.00 by 2025-02-20"
    And the next promised date is 20 February 2025
    And the case timeline has 3 entries

  Scenario: The promise is kept
    Given the debtor promised on 10 February 2025 to pay EUR 1,200.00 by 20 February 2025
    When the debtor pays EUR 1,200.00 on 20 February 2025
    # 1-20 February at 4.75% + 8 = 12.75%: 1,200.00 x 12.75% x 20 / 365 = 8.38
    Then EUR 8.38 of interest to 20 February 2025 is not claimed
    When I waive the interest not claimed on 20 February 2025 because "the promise was kept"
    Then the case records "Paid in full; case closed"
    And on 21 February 2025 the case is paid
    And on 21 February 2025 no promise is broken
    And the outstanding balance is EUR 0.00

  Scenario: The promise is broken the day after the promised date
    Given the debtor promised on 10 February 2025 to pay EUR 1,200.00 by 20 February 2025
    When the debtor pays EUR 500.00 on 20 February 2025
    Then on 20 February 2025 no promise is broken
    But on 21 February 2025 the promise counts as broken
    And the outstanding balance is EUR 700.00

  Scenario: A payment a day after the promised date breaks the promise
    Given the debtor promised on 10 February 2025 to pay EUR 500.00 by 20 February 2025
    When the debtor pays EUR 500.00 on 21 February 2025
    Then the case records "Payment of EUR 500.00 received by bank transfer; late for the promise to pay by 2025-02-20"
    And on 22 February 2025 the promise counts as broken
    And the outstanding balance is EUR 700.00

  Scenario: A payment recorded late but made by the promised date keeps the promise
    Given the debtor promised on 10 February 2025 to pay EUR 500.00 by 20 February 2025
    And I added the note "chased the debtor" on 24 February 2025
    When the debtor pays EUR 500.00 on 20 February 2025
    Then on 25 February 2025 no promise is broken
    And the outstanding balance is EUR 700.00

  Scenario: A promise of more than is owed is not taken
    When I log an inbound call with Sam Patel on 10 February 2025 who promises to pay EUR 1,500.00 by 20 February 2025
    Then it is refused: "EUR 1,500.00 is more than the outstanding balance of EUR 1,200.00"
    And the case timeline has 2 entries
