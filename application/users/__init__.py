"""Users and roles: who may sign in, with which role; kept as events (ADR 17)."""
