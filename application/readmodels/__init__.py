"""Read models: SQLAlchemy tables built from the event log by projections, and their queries."""
