Feature: A lawyer sees only the cases referred to her
  As counsel acting for the creditor
  I open the cases referred to me, and see nothing of any other case,
  so that a debtor's details go only to the lawyer acting on their debt.

  Background:
    Given the users
      | name       | role      |
      | priya.shah | collector |
      | helen.lowe | counsel   |
    And Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-7001, referred to counsel "Lowe LLP" naming the user "helen.lowe"
    And Quayside Events Ltd owes us GBP 1,650.00 on invoice INV-7002, referred to counsel "Other LLP" naming no user

  Scenario: A lawyer opens a case referred to her
    When "helen.lowe" signs in and opens invoice INV-7001
    Then she sees the case of Harbour Lights Cafe Ltd
    And she is offered nothing to record

  Scenario: A lawyer cannot open a case not referred to her
    When "helen.lowe" signs in and opens invoice INV-7002
    Then the page is not found, as for a case that does not exist
    And nothing of Quayside Events Ltd is on her case list, her dashboard or its debtor's page

  Scenario: A lawyer cannot change a case referred to her
    When "helen.lowe" signs in and adds the note "settled with us" to invoice INV-7001
    Then it is forbidden
    And invoice INV-7001 has no note
