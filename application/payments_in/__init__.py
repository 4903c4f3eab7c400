"""Payments in: bank statements (camt.053, camt.054, a CSV export with a mapping) read
into credits, each matched to cases and recorded as RecordPayment, or queued for review.

    credits.py   a credit as read from a statement, and a refusal naming file/place/field
    camt.py      ISO 20022 camt.053 / camt.054, parsed with defusedxml
    csvbank.py   a CSV bank export with a TOML mapping file
    rf.py        ISO 11649 creditor references (RF...), with their mod-97 check
    matching.py  pure: which open invoices a credit pays, or why it goes to review
    queue.py     the credits table: every credit seen, its plan or its review reason
    importing.py read, match, record; the summary of one import
    review.py    the review queue's commands: assign, not ours
See docs/adr/0024-payments-in.md.
"""
