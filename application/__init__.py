"""Arrears use cases on top of the eventsourcing library: commands, projections, queries."""
