"""Alembic environment for the practice records.

Run through :func:`roleplay.migrations.upgrade`, which hands over an open connection already
inside a transaction (and holding the schema lock) as ``config.attributes["connection"]``; no
``alembic.ini`` is needed. Offline (``--sql``) mode renders the SQL for
``config.get_main_option("sqlalchemy.url")``.
"""

from __future__ import annotations

from alembic import context

config = context.config
target_metadata = config.attributes.get("target_metadata")

if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
