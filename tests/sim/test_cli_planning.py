"""The planning commands: ``roi`` and ``staff`` print tables or JSON, and user mistakes exit 2."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.paths import shipped_scenarios

runner = CliRunner(env={"COLUMNS": "200"})
SMALL = str(shipped_scenarios()["small_agency"])


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_roi_json():
    """The contract: baseline, both arms' KPIs (as ``simulate --json`` gives them) and producer
    hours, the monthly net gain with its interval, and a breakdown that adds up to it."""
    result = invoke("roi", SMALL, "-r", 3, "--set", "days=2", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["baseline"] == "staffed"
    assert set(payload["arms"]) == {"ai", "all_human"}
    for arm in payload["arms"].values():
        assert arm["producer_hours_per_day"] > 0
        assert set(arm["kpis"]["abandonment_rate"]) == {"mean", "ci_low", "ci_high"}
    gain = payload["net_gain_monthly"]
    assert gain["ci_low"] <= gain["mean"] <= gain["ci_high"]
    assert sum(payload["breakdown"].values()) == pytest.approx(gain["mean"])
    assert {"intake", "producer_time", "platform_fees"} <= set(payload["breakdown"])
    assert (payload["replications"], payload["days"]) == (3, 2)
    head = payload["headline"]
    assert head["intake_cost_ratio"] > 1
    assert len(payload["sensitivity"]) == 5
    same = json.loads(invoke("roi", SMALL, "-r", 3, "--set", "days=2", "--json",
                             "--baseline", "same", "--no-sensitivity").stdout)  # fmt: skip
    assert same["baseline"] == "same"
    ai, human = same["arms"]["ai"], same["arms"]["all_human"]
    assert ai["producer_hours_per_day"] == human["producer_hours_per_day"]


def test_roi_table():
    result = invoke("roi", SMALL, "-r", 2, "--set", "days=1", "--no-sensitivity")
    assert result.exit_code == 0, result.output
    assert "the AI gains" in result.output
    assert "Where the monthly net gain comes from" in result.output
    assert "2 paired replications of 1 day." in " ".join(result.output.split())
    assert "tornado" not in result.output.lower()


def _words(text: str) -> Counter:
    """The words a terminal shows, box-drawing left out (wrapped cells keep their words)."""
    boxes = "".join(chr(c) for c in range(0x2500, 0x2580))
    return Counter(text.translate({ord(c): " " for c in boxes}).split())


@pytest.mark.parametrize(
    "args",
    [
        ("roi", SMALL, "-r", 2, "--set", "days=1"),
        ("staff", SMALL, "-r", 2, "--set", "days=1", "--interval", 60),
        ("pilot", SMALL, "--rollout", 0.15, "-r", 4, "--compare-rollouts", "0.1,0.15"),
    ],
    ids=["roi", "staff", "pilot"],
)
def test_tables_at_80_columns_show_every_word(args):
    """Nothing is cut at 80 columns: the same words as at 200 (timings aside), no ellipsis."""
    wide = CliRunner(env={"COLUMNS": "200"}).invoke(app, [str(a) for a in args])
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(app, [str(a) for a in args])
    assert wide.exit_code == narrow.exit_code == 0, narrow.output
    assert "…" not in narrow.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80

    def shown(text: str) -> Counter:
        return Counter({w: n for w, n in _words(text).items() if not w.startswith("(")})

    assert shown(narrow.stdout) == shown(wide.stdout)


def test_staff_json():
    result = invoke("staff", SMALL, "-r", 3, "--set", "days=2", "--interval", 60, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["interval_minutes"] == 60
    assert len(payload["intervals"]) == 10  # 08:00–18:00 in hours
    row = payload["intervals"][0]
    assert {"producers", "erlang_a", "headcount", "transfer_completion_low"} <= set(row)
    assert payload["totals"][0]["group"] == "Producers"
    assert payload["weekdays"] == []  # no weekday pattern: the plan as before


WEEKEND = ["staff", "weekend_desk", "-r", 2, "--set", "days=7", "--interval", 60]
"""One calendar week of the shipped weekend desk: mon, tue–thu, fri and sat plans."""


@pytest.fixture(scope="module")
def weekend_plan():
    """The plan ``WEEKEND`` asks for, from the Python API (the CLI's defaults spelled out)."""
    from sim.loader import load_scenario
    from sim.staffing import Targets, staffing

    scenario = load_scenario("weekend_desk", ["days=7"])
    return staffing(scenario, Targets.from_scenario(scenario), interval_minutes=60,
                    replications=2, shrinkage=0.30)  # fmt: skip


def _row_words(table) -> list[list[str]]:
    """Each row of a display table as the words a terminal shows of it."""
    return [" ".join(str(v) for v in row).split() for row in table.itertuples(index=False)]


def test_staff_prints_one_plan_per_weekday_pattern_with_the_apis_figures(weekend_plan):
    from sim.staffing_report import group_table, judged_table, totals_table, weekday_labels

    labels = weekday_labels(weekend_plan)
    assert labels == ["mon", "tue–thu", "fri", "sat"]
    result = invoke(*WEEKEND)
    assert result.exit_code == 0, result.output
    boxes = {c: " " for c in range(0x2500, 0x2580)}
    flat = " ".join(result.stdout.translate(boxes).split())  # titles wrap at a table's width
    titles = []
    for days in labels:
        titles += [
            f"Weekend desk, Producers on {days}: producers needed per 60 minutes",
            f"Producers on {days}: the targets, judged at the pessimistic 95% bound",
        ]
    titles += ["Per weekday and group, per day", "One plan per weekday pattern"]
    starts = [flat.index(title) for title in titles]
    assert starts == sorted(starts)  # every table, in the order of the patterns
    tables = []
    for days in labels:
        tables += [
            group_table(weekend_plan, "Producers", days),
            judged_table(weekend_plan, "Producers", days),
        ]
    tables.append(totals_table(weekend_plan))
    for k, table in enumerate(tables):
        printed = flat[starts[k] + len(titles[k]) : starts[k + 1]]
        at = 0
        for row in _row_words(table):  # each row of the API's table, in order
            at = printed.index(" ".join(row), at) + 1
        assert printed.count(":00 ") == len(table) or k == len(tables) - 1
    assert "Per group, per day" not in flat


def test_staff_json_carries_each_weekday_plan(weekend_plan):
    result = invoke(*WEEKEND, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    patterns = payload["weekdays"]
    assert [p["label"] for p in patterns] == ["mon", "tue–thu", "fri", "sat"]
    assert [p["weekdays"] for p in patterns] == [list(p.days) for p in weekend_plan.weekdays]
    for pattern in patterns:
        rows = [r for r in payload["intervals"] if r["weekdays"] == pattern["label"]]
        assert pattern["roster"]["Producers"] == [r["producers"] for r in rows]
        assert pattern["intervals"] == [r["interval"] for r in rows]
        for day in pattern["weekdays"]:
            assert pattern["roster"]["Producers"] == weekend_plan.roster("Producers", day)
    assert len(pattern["intervals"]) == 4  # Saturday 09:00–13:00 in hours
    assert [t["days_per_week"] for t in payload["totals"]] == [1, 3, 1, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["staff", SMALL, "--completion", "1.0"], "cannot be met"),
        (["staff", SMALL, "--interval", "45"], "15, 30 or 60"),
        (["staff", SMALL, "--shrinkage", "1.5"], "shrinkage"),
        (["roi", str(shipped_scenarios()["small_agency_all_human"])], "AI is off"),
        (["roi", SMALL, "--set", "ai.rollout=0"], "AI is off"),
        (["staff", SMALL, "--set", "nonsense=1"], "unknown key"),
    ],
    ids=["completion 1", "interval", "shrinkage", "no ai", "rollout 0", "bad key"],
)
def test_user_mistakes_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_unreachable_scheduler_exits_2(unused_port):
    result = invoke("roi", SMALL, "-r", 2, "--no-sensitivity", "--scheduler",
                    f"tcp://127.0.0.1:{unused_port}")  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler" in result.output


@pytest.fixture
def unused_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pilot_json():
    result = invoke("pilot", SMALL, "--rollout", 0.2, "-r", 20, "--lift", 0.06,
                    "--compare-rollouts", "0.1,0.2", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["rollout"] == 0.2
    assert payload["n_control"] > payload["n_ai"] > 0  # 80/20 split: control is the big arm
    assert payload["weeks"] > 0
    assert {row["rollout"] for row in payload["rollouts"]["rollouts"]} == {0.1, 0.2}


def test_pilot_text_opens_with_the_plan_json_gives():
    """One pilot answer: the sentence the text opens with is the JSON's headline, its weeks are
    the JSON's whole weeks, the comparison's row for the plan's rollout is the plan, and the
    text fits 80 columns."""
    args = ("pilot", SMALL, "--rollout", 0.15, "-r", 6, "--compare-rollouts", "0.1,0.15")
    narrow = CliRunner(env={"COLUMNS": "80"})
    text = narrow.invoke(app, [str(a) for a in args])
    as_json = invoke(*args, "--json")
    assert text.exit_code == 0, text.output
    assert as_json.exit_code == 0, as_json.output
    plan = json.loads(as_json.stdout)
    flat = " ".join(text.stdout.split())
    assert flat.startswith(f"Run the pilot at 15% of calls for {plan['whole_weeks']} weeks")
    assert " ".join(plan["headline"].split()) in flat
    row = next(r for r in plan["rollouts"]["rollouts"] if r["rollout"] == 0.15)
    assert (row["n_ai"], row["n_control"]) == (plan["n_ai"], plan["n_control"])
    assert (row["weeks_to_decision"], row["whole_weeks"]) == (plan["weeks"], plan["whole_weeks"])
    assert max(len(line) for line in text.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rollout", "1.5"], "rollout must be"),
        (["--rollout", "0"], "rollout must be"),
        (["--metric", "nope"], "allowed metrics"),
        (["--lift", "0"], "non-zero"),
        (["--compare-rollouts", "0.1,x"], "comma-separated"),
    ],
)
def test_pilot_bad_input_exits_2(args, message):
    result = invoke("pilot", SMALL, "-r", 2, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_sweep_table_json_and_export(tmp_path):
    out = tmp_path / "sweep.csv"
    result = invoke("sweep", SMALL, "--grid", "destinations.0.producers=3,6", "-r", 2,
                    "--set", "days=1", "--out", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Transfer completion" in result.output  # the KPI's label, not its column name
    assert "transfer_completion_rate" not in result.output
    import pandas as pd

    table = pd.read_csv(out)
    assert len(table) == 4  # 2 cells × 2 replications
    means = table.groupby("destinations.0.producers")["transfer_completion_rate"].mean()
    assert means[6] > means[3]
    payload = json.loads(invoke("sweep", SMALL, "--grid", "ai.rollout=0.5,1.0", "-r", 1,
                                "--set", "days=1", "--json").stdout)  # fmt: skip
    assert payload  # JSON-safe output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "ai.rolout=0.1"], "allowed keys here"),
        (["--grid", "ai.rollout=0.1,1.5"], "less than or equal to 1"),
        (["--grid", "ai.rollout"], "--grid"),
        (["--grid", "ai.rollout=0.1", "--kpi", "nope"], "unknown KPI"),
        (["--grid", "ai.rollout=0.1", "--out", "x.txt"], ".csv or .parquet"),
    ],
)
def test_sweep_bad_input_exits_2(args, message, tmp_path):
    result = invoke("sweep", SMALL, "-r", 1, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "x.txt").exists()


def test_calibrate_writes_a_valid_scenario_without_personal_data(tmp_path):
    import sim
    from sim.calllog import synthetic_log, write_call_log

    truth = sim.load_scenario(SMALL, {"days": 8})
    log = synthetic_log(truth, seed=4)
    write_call_log(log, tmp_path / "calls.csv")
    out = tmp_path / "my_agency.toml"
    result = invoke("calibrate", tmp_path / "calls.csv", "-o", out, "--timezone", "CT",
                    "--base", SMALL)  # fmt: skip
    assert result.exit_code == 0, result.output
    fitted = sim.load_scenario(out)
    assert fitted.inbound.calls_per_day == pytest.approx(truth.inbound.calls_per_day, rel=0.15)
    text = out.read_text(encoding="utf-8") + result.output
    for column in ("caller_name", "caller_phone", "caller_email"):
        for value in log[column].dropna().unique()[:50]:
            assert str(value) not in text
    assert not list(tmp_path.glob(".*.partial"))


def test_calibrate_check_maps_a_foreign_export_and_shows_no_personal_data(tmp_path):
    """``calibrate --check --mapping``: an export with its own headers and outcome codes is
    read through a mapping file; the first rows are shown in the lab's columns, personal columns
    dropped, nothing written; a code the mapping lacks is refused naming the key, not the cell."""
    import sim
    from sim.calllog import synthetic_log, write_call_log

    log = synthetic_log(sim.load_scenario(SMALL, {"days": 2}), seed=5)
    codes = {label: f"X{k}" for k, label in enumerate(sorted(log["outcome"].dropna().unique()))}
    foreign = log.rename(columns={"started_at": "Call Start", "outcome": "Disp"})
    foreign["Disp"] = foreign["Disp"].map(codes)
    write_call_log(foreign, tmp_path / "export.csv")
    values = "".join(f'{code} = "{label}"\n' for label, code in codes.items())
    mapping = tmp_path / "acme.toml"
    mapping.write_text(
        '[columns]\nstarted_at = "Call Start"\noutcome = "Disp"\n[values.outcome]\n' + values,
        encoding="utf-8",
    )
    result = invoke("calibrate", tmp_path / "export.csv", "--mapping", mapping, "--check")
    assert result.exit_code == 0, result.output
    assert "outcome" in result.output
    for column in ("caller_name", "caller_phone", "caller_email"):
        for value in log[column].dropna().unique()[:50]:
            assert str(value) not in result.output
    assert {f.name for f in tmp_path.iterdir()} == {"export.csv", "acme.toml"}  # wrote nothing
    short = tmp_path / "short.toml"
    short.write_text(mapping.read_text(encoding="utf-8").rsplit("\n", 2)[0] + "\n", "utf-8")
    refused = invoke("calibrate", tmp_path / "export.csv", "--mapping", short, "--check")
    assert refused.exit_code == 2, refused.output
    assert "values.outcome" in refused.output
    assert "Traceback" not in refused.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{missing}"], "no such file"),
        (["{tiny}"], "too little data"),
        (["{tiny}", "--duration-unit", "hours"], "--duration-unit"),
        (["{tiny}", "-o", "{nodir}/x.toml"], "no such folder"),
    ],
    ids=["missing", "too little", "unit", "no folder"],
)
def test_calibrate_bad_input_exits_2(args, message, tmp_path):
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("started_at\n2024-01-01 09:00\n", encoding="utf-8")
    args = [a.format(missing=tmp_path / "nope.csv", tiny=tiny, nodir=tmp_path / "nodir")
            for a in args]  # fmt: skip
    result = invoke("calibrate", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
