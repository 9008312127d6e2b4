"""One pilot answer on every surface: the Pilot page's headline, its "Which rollout" row for the
chosen rollout, the CLI's ``pilot`` text and its JSON give the same weeks and calls per arm for
the same settings."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from sim.cli import app as cli
from sim.paths import shipped_scenarios


def test_page_cli_and_json_give_one_pilot_length(app: AppTest):
    app.session_state["pilot.replications"] = 8
    app.switch_page("views/pilot.py").run()
    assert not app.exception
    plan = app.session_state["pilot.plan"]
    assert plan.rollout == 0.15

    args = ["pilot", str(shipped_scenarios()["small_agency"]), "--rollout", "0.15", "-r", "8",
            "--compare-rollouts", "0.1,0.15,0.2"]  # fmt: skip
    runner = CliRunner(env={"COLUMNS": "80"})
    payload = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)
    text = " ".join(runner.invoke(cli, args).stdout.split())

    # the JSON and the page: one computation
    assert (payload["n_ai"], payload["n_control"]) == (plan.n_ai, plan.n_control)
    assert payload["whole_weeks"] == plan.whole_weeks
    assert payload["headline"] == plan.headline
    # the page's headline box and the CLI's first sentence say it
    boxes = [e.value for e in [*app.info, *app.warning]]
    assert any(b.startswith(plan.headline) for b in boxes)
    assert text.startswith(" ".join(plan.headline.split()))
    # the page's rollout table: the 15% row is the plan
    table = next(d.value for d in app.dataframe if "Rollout" in d.value.columns)
    row = table[table["Rollout"] == "15%"].iloc[0]
    assert row["Weeks"].startswith(f"{plan.whole_weeks} (")
    assert row["AI arm n"] == f"{plan.n_ai:,}"
    assert row["Control n"] == f"{plan.n_control:,}"
