"""Who a debtor is across cases: one key per debtor, from what their cases say of them.

A debtor is recognised by their tax or VAT number where a case gives one, else by their
email address, else by their name normalised (case folded, spaces collapsed, the dots,
commas and slashes of legal forms dropped: "ACME Trading Ltd." and "Acme  trading ltd" are
one debtor, as are "Nordic A/S" and "Nordic AS"). The key says which it is:

    tax:DE123456789   email:ap@acme.example   name:acme trading ltd
"""

from __future__ import annotations

import re

from domain.values import Debtor

_PUNCTUATION = re.compile(r"[.,/'’]")
_TAX_SEPARATORS = re.compile(r"[\s./-]")


def name_key(name: str) -> str:
    """A name as the key compares it: folded, punctuation of legal forms dropped."""
    return " ".join(_PUNCTUATION.sub("", name.casefold()).split())


def debtor_key(debtor: Debtor) -> str:
    """The key the debtor's cases are grouped by (read models, holds, one reminder a day)."""
    tax_id = _TAX_SEPARATORS.sub("", debtor.tax_id).upper()
    if tax_id:
        return f"tax:{tax_id}"
    email = debtor.email.strip().casefold()
    if email:
        return f"email:{email}"
    return f"name:{name_key(debtor.name)}"
