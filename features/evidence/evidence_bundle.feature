Feature: The evidence bundle of a case referred to counsel
  A case referred to counsel goes with its evidence: a chronology in the form lawyers use,
  every event as it was recorded, the documents, and a manifest signed with our
  installation's key, which the lawyer checks without having to trust our server.

  Background:
    Given Harbour Lights Cafe Ltd owes us GBP 1,200.00 on invoice INV-7001 issued on 1 January 2025 and due on 31 January 2025
    And I sent a reminder by email on 5 February 2025
    And I issued a demand on 14 February 2025 with a deadline of 28 February 2025
    And the debtor paid GBP 200.00 on 20 February 2025
    And I referred the case to counsel "Wright & Partners LLP" on 3 March 2025

  Scenario: A lawyer downloads the evidence bundle of a case referred to her
    When "wendy.wright" downloads the evidence bundle from the case page
    Then the download is the zip "evidence-INV-7001-v5.zip"
    And the bundle verifies offline against the installation's public key
    And its chronology lists every event of the case with the time it was recorded and its hash
    And its statement of account shows a balance outstanding of GBP 1,000.00
    And the audit trail records that "wendy.wright" downloaded the evidence bundle from the case page

  Scenario: A bundle changed after it was downloaded is rejected
    Given "wendy.wright" downloaded the evidence bundle from the case page
    When one byte of its chronology PDF is changed
    Then the bundle is rejected, naming "chronology.pdf"
