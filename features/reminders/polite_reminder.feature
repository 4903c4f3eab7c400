Feature: A polite reminder, before and after the due date
  As a credit controller
  I send a friendly reminder shortly before an invoice falls due, and another once it is
  overdue, so that most invoices are paid without anything formal.

  Background:
    Given Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-1001 issued on 1 January 2025 and due on 31 January 2025

  Scenario: A reminder a week before the due date
    When I send a reminder by email on 24 January 2025
    Then the case records "Reminder sent by email before due"
    And on 24 January 2025 the case is open

  Scenario: A reminder on the due date itself
    When I send a reminder by sms on 31 January 2025
    Then the case records "Reminder sent by sms on due"
    And on 31 January 2025 the case is 0 days overdue

  Scenario: A reminder once the invoice is overdue
    When I send a reminder by letter on 7 February 2025
    Then the case records "Reminder sent by letter after due"
    And on 7 February 2025 the case is reminded
    And on 7 February 2025 the case is 7 days overdue

  Scenario: An invoice turns overdue the day after it falls due
    Then on 31 January 2025 the case is open
    And on 1 February 2025 the case is overdue

  Scenario: No reminder while the invoice is disputed
    Given the debtor disputed the invoice on 3 February 2025 saying "the coffee machine never worked"
    When I send a reminder by email on 7 February 2025
    Then it is refused: "the case is on hold (dispute); lift the hold before sending a reminder"
    And the case timeline has 2 entries
