Feature: Working debtor by debtor
  As a credit controller
  I want a debtor with several overdue invoices to get one reminder a day, not one per invoice
  so that they see everything they owe us at once and are not flooded with emails.

  Scenario: A debtor with three overdue invoices gets one reminder
    Given Harbour Lights Cafe Ltd, whose accounts email is ap@harbour.example, owes us GBP 1,200.00 on invoice INV-6001 issued on 1 January 2026 and due on 31 January 2026
    And they also owe us GBP 300.00 on invoice INV-6002 issued on 1 January 2026 and due on 3 February 2026
    And they also owe us GBP 450.00 on invoice INV-6003 issued on 1 January 2026 and due on 5 February 2026
    When the schedule runs on 7 February 2026
    Then 1 email arrived at ap@harbour.example
    And it lists the invoices INV-6001, INV-6002 and INV-6003
    And it is the second reminder, the firmest step among them
    And it states GBP 1,950.00 outstanding in total
    And each of the 3 cases recorded a reminder pointing at that email
