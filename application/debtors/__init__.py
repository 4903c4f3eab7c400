"""Working debtor by debtor: holds on a debtor, one reminder a day, the statement."""
