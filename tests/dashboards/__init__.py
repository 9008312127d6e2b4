"""Tests of the Streamlit lab (``dashboards``)."""
