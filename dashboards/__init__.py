"""Warm Handoff Lab's Streamlit dashboard: the router (``app.py``), the pages (``views/``) and
the code they share (``common``, the chart modules), imported as ``dashboards.*``."""
