"""`arrears doctor`: is this installation well? Each check is a small function returning a
`Check` (ok, warn or fail, what was found, and what to do about it); `run.examine` runs them
in order, the database first (nothing else is asked of a database that does not answer).
Nothing is created or changed: the doctor only reads.
"""
