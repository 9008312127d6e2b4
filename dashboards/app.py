"""Warm Handoff Lab: the Streamlit router (``handoff-lab dashboard`` runs this file).

Each page is a script in ``views/``, found relative to this file; shared code (the current
scenario, the chart look, the TOML writer) is the ``dashboards`` package this file belongs to,
imported as ``dashboards.*`` (installed with the lab, so no ``sys.path`` edits are needed).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards import common

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Warm Handoff Lab", layout="wide")

PAGES = {
    "Plan": [
        st.Page(HERE / "views" / "scenario.py", title="Scenario", url_path="scenario",
                icon=":material/description:", default=True),
        st.Page(HERE / "views" / "simulate.py", title="Simulate", url_path="simulate",
                icon=":material/play_circle:"),
        st.Page(HERE / "views" / "staffing.py", title="Staffing", url_path="staffing",
                icon=":material/groups:"),
        st.Page(HERE / "views" / "roi.py", title="ROI & cost", url_path="roi",
                icon=":material/payments:"),
        st.Page(HERE / "views" / "pilot.py", title="Pilot sizing", url_path="pilot",
                icon=":material/science:"),
    ],
    "Practise": [
        st.Page(HERE / "views" / "practice.py", title="Role-play", url_path="roleplay",
                icon=":material/headset_mic:"),
        st.Page(HERE / "views" / "trainer.py", title="Trainer", url_path="trainer",
                icon=":material/school:"),
    ],
}  # fmt: skip

page = st.navigation(PAGES)
common.current_scenario()  # every page starts from a scenario
page.run()
