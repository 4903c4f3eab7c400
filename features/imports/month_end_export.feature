Feature: A month-end export of open invoices becomes cases
  As a credit controller with hundreds of open invoices in the accounting system,
  I want its open-invoices export to become cases, and next month's export to record
  who paid, so that I never type an invoice in twice.

  Scenario: January's export opens cases, February's records who paid
    Given the accounting system's open invoices at the end of January:
      | invoice     | debtor                  | issued     | due        | currency | due amount |
      | INV/2026/01 | Harbour Lights Cafe Ltd | 2026-01-05 | 2026-02-04 | GBP      | 1,200.00   |
      | INV/2026/02 | Quayside Books Ltd      | 2026-01-12 | 2026-02-11 | GBP      | 450.00     |
      | INV/2026/03 | Kiyomi KK               | 2026-01-20 | 2026-02-19 | JPY      | 98,000     |
    When I import the January export on 1 February 2026
    Then 3 cases are created
    And the January export is attached to each case as evidence
    Given the accounting system's open invoices at the end of February:
      | invoice     | debtor                  | issued     | due        | currency | due amount |
      | INV/2026/01 | Harbour Lights Cafe Ltd | 2026-01-05 | 2026-02-04 | GBP      | 200.00     |
      | INV/2026/03 | Kiyomi KK               | 2026-01-20 | 2026-02-19 | JPY      | 98,000     |
    When I import the February export as a full export on 1 March 2026
    Then INV/2026/01 has GBP 200.00 outstanding after a payment of GBP 1,000.00 reported by the ledger
    And INV/2026/02 has a task "no longer open in the ledger — confirm payment"
    And INV/2026/03 is unchanged
    When I import the February export as a full export on 1 March 2026
    Then nothing more is recorded
