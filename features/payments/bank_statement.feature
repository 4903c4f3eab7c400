Feature: Payments in from the bank
  As a credit controller
  I want the bank statement to record the payments it shows on the invoices they pay
  so that paid invoices stop being chased, and a credit nobody can place is kept for me to look at.

  Scenario: A bank statement pays two invoices and leaves an unknown credit for review
    Given Harbour Lights Cafe Ltd owes us GBP 1,000.00 on invoice INV-7001 issued on 1 January 2026 and due on 31 January 2026
    And Harbour Lights Cafe Ltd owes us GBP 800.00 on invoice INV-7002 issued on 1 January 2026 and due on 14 February 2026
    And the bank statement of 27 February 2026 shows a credit of GBP 1,800.00 from Harbour Lights Cafe Ltd saying "Invoices INV-7002 and INV-7001"
    And it shows a credit of GBP 75.00 from Stranger plc saying "thank you"
    When I import the bank statement on 1 March 2026
    Then invoice INV-7001 is paid in full, by a bank transfer of GBP 1,000.00 on 27 February 2026
    And invoice INV-7002 is paid in full, by a bank transfer of GBP 800.00 on 27 February 2026
    And the credit of GBP 75.00 from Stranger plc waits for review as unmatched

  Scenario: The same bank statement imported twice records its payments once
    Given Harbour Lights Cafe Ltd owes us GBP 1,000.00 on invoice INV-7003 issued on 1 January 2026 and due on 31 January 2026
    And the bank statement of 27 February 2026 shows a credit of GBP 400.00 from Harbour Lights Cafe Ltd saying "INV-7003"
    When I import the bank statement on 1 March 2026
    And I import the bank statement again
    Then the second import recorded nothing and found 1 credit unchanged
    And invoice INV-7003 has 1 payment
