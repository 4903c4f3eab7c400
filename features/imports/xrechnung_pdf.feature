Feature: An e-invoice received as a PDF becomes a case
  As a credit controller whose invoices go out as XRechnung inside a PDF,
  I want the PDF itself to open the case and be kept with it,
  so that the evidence is the document the debtor received.

  Scenario: An XRechnung received as a PDF becomes a case with the invoice kept as evidence
    Given an XRechnung RE-2026/0042 from Acme Supplies Ltd to Bäckerei Sonnenschein GmbH for EUR 2,380.00 due 2026-02-04, embedded in a PDF
    When I import the PDF on 1 February 2026
    Then 1 case is created
    And RE-2026/0042 is owed EUR 2,380.00 by Bäckerei Sonnenschein GmbH, due 2026-02-04
    And the PDF is attached to the case, its SHA-256 recorded and its bytes kept
    When I import the invoice's XML on 1 February 2026
    Then nothing more is recorded
