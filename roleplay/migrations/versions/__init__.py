"""Revisions of the practice-records schema, oldest first (0001 is the schema before Alembic)."""
