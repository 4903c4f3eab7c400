Feature: Mediation and legal referral
  As a credit controller
  After the demand I may hand the case to a mediator or to counsel.
  Without a demand first, a referral needs a reason.
  During mediation, a referral to counsel needs a reason too, and I say whether it concludes
  the mediation (with its outcome) or keeps it open, so that its outcome can be recorded later.

  Background:
    Given Harbour Lights Cafe Ltd owes us EUR 1,200.00 on invoice INV-5001 issued on 1 January 2025 and due on 31 January 2025

  Scenario: Mediation is refused without a demand
    When I refer the case to mediation with "Calm Resolutions" on 1 March 2025
    Then it is refused: "issue a demand before referring to mediation, or give an override reason"
    And the case timeline has 1 entry

  Scenario: Mediation without a demand, for a reason
    When I refer the case to mediation with "Calm Resolutions" on 1 March 2025 because "the debtor asked for mediation"
    Then the case records "Referred to mediation with Calm Resolutions"
    And on 1 March 2025 the case is in mediation

  Scenario: Mediation after the demand, and back when it fails
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    And I referred the case to mediation with "Calm Resolutions" on 3 March 2025
    When the mediator reports that mediation failed on 31 March 2025
    Then the case records "Mediation concluded: failed"
    And on 31 March 2025 the case is demanded

  Scenario: Legal referral after the demand
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    When I refer the case to counsel "Wright & Partners LLP" on 3 March 2025
    Then the case records "Referred to counsel: Wright & Partners LLP"
    And on 3 March 2025 the case is with counsel

  Scenario: Legal referral is refused without a demand
    When I refer the case to counsel "Wright & Partners LLP" on 3 March 2025
    Then it is refused: "issue a demand before referring to counsel, or give an override reason"
    And on 3 March 2025 the case is overdue

  Scenario: Counsel during mediation needs a reason
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    And I referred the case to mediation with "Calm Resolutions" on 3 March 2025
    When I refer the case to counsel "Wright & Partners LLP" on 20 March 2025
    Then it is refused: "the case is in mediation; give an override reason for referring to counsel"
    And on 20 March 2025 the case is in mediation

  Scenario: Counsel while the mediation goes on, and its outcome afterwards
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    And I referred the case to mediation with "Calm Resolutions" on 3 March 2025
    And I referred the case to counsel "Wright & Partners LLP" on 20 March 2025 because "limitation is near", keeping the mediation open
    When the mediator reports that mediation agreed on 31 March 2025
    Then the case records "Mediation concluded: agreed"
    And on 31 March 2025 the case is with counsel

  Scenario: Counsel that concludes the mediation
    Given I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    And I referred the case to mediation with "Calm Resolutions" on 3 March 2025
    When I refer the case to counsel "Wright & Partners LLP" on 20 March 2025 because "no progress", concluding the mediation as failed
    Then the last two entries read "Mediation concluded: failed" and "Referred to counsel: Wright & Partners LLP"
    And on 20 March 2025 the case is with counsel
    And the mediator's report on 31 March 2025 is refused: "the case is not in mediation"
