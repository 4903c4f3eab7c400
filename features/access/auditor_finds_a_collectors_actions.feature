Feature: An auditor finds every action a collector took last month
  As an auditor
  I list from the audit trail everything one collector recorded last month, on every case,
  and nothing of anyone else or of another month; the export says the same.

  Background:
    Given today is 15 February 2026
    And the users
      | name       | role      |
      | priya.shah | collector |
      | tom.baker  | collector |
      | ravi.mehta | auditor   |
    And "priya.shah" opened invoice INV-8001 of Nordic Timber Trading Oy for EUR 3,900.00 issued on 1 December 2025
    And "priya.shah" opened invoice INV-8002 of Sunflower Nursery Ltd for GBP 1,480.00 issued on 1 December 2025
    And "priya.shah" signed in and recorded
      | invoice  | command         | on              |
      | INV-8001 | send a reminder | 5 January 2026  |
      | INV-8002 | add a note      | 12 January 2026 |
      | INV-8002 | log a call      | 31 January 2026 |
      | INV-8001 | add a note      | 2 February 2026 |
    And "tom.baker" signed in and recorded
      | invoice  | command    | on              |
      | INV-8001 | add a note | 20 January 2026 |

  Scenario: Every action of one collector last month
    When "ravi.mehta" signs in and looks up the audit trail of "priya.shah" for last month
    Then he finds
      | invoice  | event        | occurred on |
      | INV-8002 | CallLogged   | 2026-01-31  |
      | INV-8002 | NoteAdded    | 2026-01-12  |
      | INV-8001 | ReminderSent | 2026-01-05  |
    And the export of the same filters lists the same events

  Scenario: An auditor records nothing
    When "ravi.mehta" signs in and adds the note "checked" to invoice INV-8001
    Then it is forbidden
