"""Letters as PDF: the reminder by post, the formal demand and the letter of claim.

- `settings`: the creditor's address and how to pay (ARREARS_CREDITOR_ADDRESS,
  ARREARS_PAYMENT_DETAILS) and where letters are kept (ARREARS_LETTER_DIR).
- `account`: what a letter shows of the case: the account itemised and the interest.
- `render`: one Jinja template per kind (templates/), to HTML and by WeasyPrint to PDF.
- `writer`: renders and keeps a letter before its event is saved (the service's hook and the
  schedule's `LetterRenderer`), and reads a kept letter back, its hash checked.
"""

from application.letters.writer import LetterWriter, NoLetter, install_letters

__all__ = ["LetterWriter", "NoLetter", "install_letters"]
