"""Every CLI table at 80 columns shows every word it shows at full width (issue 11).

Each table-printing command runs twice in a real subprocess, at ``COLUMNS=200`` and at
``COLUMNS=80``; every word of the wide output (a run of characters between spaces and
box-drawing lines) must appear in the narrow one, and the narrow one holds no more "…" (rich's
mark for a cut) than the wide one. Wrapping at spaces, stacking a wide table's columns or
shorter headers are all fine; cutting a word is not. Times measured by the run (``(1.4 s)``)
differ between the two runs, so they are left out of the comparison.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from sim.calllog import synthetic_log, write_call_log
from sim.loader import derive, load_scenario, scenario_to_toml

WORD = re.compile(r"[^\s\u2500-\u257f]+")
"""A word: anything but spaces and the box-drawing block rich draws tables with."""
TIMING = re.compile(r"\(?\d+(?:\.\d+)? s\)?")
"""An elapsed time such as ``(1.4 s)``: different in every run."""

COMMANDS = {
    "scenarios": ["scenarios"],
    "validate": ["validate", "small_agency", "regional_call_center"],
    "simulate": ["simulate", "small_agency", "-r", "2", "--by", "trigger", "--by", "interval",
                 "--by", "weekday", "--by", "group"],
    "simulate segments": ["simulate", "{segments}", "-r", "2"],
    "roi": ["roi", "small_agency", "-r", "2", "--growth"],
    "staff": ["staff", "small_agency", "-r", "2"],
    "staff weekend_desk": ["staff", "weekend_desk", "-r", "2", "--set", "days=7",
                           "--interval", "60"],
    "pilot": ["pilot", "small_agency", "-r", "4", "--compare-rollouts", "0.1,0.2"],
    "sweep": ["sweep", "small_agency", "-r", "2", "--grid", "destinations.0.producers=3,4",
              "--grid", "ai.rollout=0.5,1.0"],
    "calibrate": ["calibrate", "{log}"],
    "calibrate --check": ["calibrate", "{log}", "--check"],
    "backtest --by interval": ["backtest", "{log}", "-r", "2", "--by", "interval"],
    "backtest --by weekday": ["backtest", "{log}", "-r", "2", "--by", "weekday"],
    "scores": ["scores", "--db", "{db}"],
    "reference": ["reference"],
}  # fmt: skip


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A synthetic call log and a store with one practice call, in a folder of the test's."""
    folder = tmp_path_factory.mktemp("columns")
    log = folder / "calls.csv"
    write_call_log(synthetic_log(load_scenario("small_agency", ["days=3"]), seed=7), log)
    db = f"sqlite:///{folder / 'records.sqlite3'}"
    env = _env(folder, 200)
    if _has_roleplay():
        script = "I have your details here, let me confirm your number.\n/end\npricing_question\n"
        subprocess.run(
            [*CLI, "roleplay", "-t", "complex_pricing", "-p", "Dana Okafor", "--seed", "3",
             "--db", db], input=script, capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
    segments = folder / "segments.toml"
    split = [{"name": "priority", "share": 0.4, "priority": 1}, {"name": "standard", "share": 0.6}]
    segmented = derive(load_scenario("small_agency"), {"segments": split})
    segments.write_text(scenario_to_toml(segmented), encoding="utf-8")
    return {"log": str(log), "db": db, "folder": folder, "segments": str(segments)}


CLI = [sys.executable, "-c", "import sys; from sim.cli import main; sys.argv[0] = 'handoff-lab'; "
       "main()"]  # fmt: skip


def _has_roleplay() -> bool:
    from sim.cli.plugins import ROLEPLAY_MODULES
    from sim.cli.shared import has_module

    return all(has_module(m) for m in ROLEPLAY_MODULES)


def _env(folder, columns: int) -> dict[str, str]:
    env = dict(os.environ, COLUMNS=str(columns), LINES="50", TERM="xterm")
    env["HANDOFF_LAB_DB"] = f"sqlite:///{folder / 'records.sqlite3'}"
    env["HANDOFF_LAB_KEY_FILE"] = str(folder / "calllog.key")
    env.pop("NO_COLOR", None)
    return env


def _run(args: list[str], folder, columns: int) -> str:
    done = subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env=_env(folder, columns), timeout=900
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def words(text: str) -> set[str]:
    return set(WORD.findall(TIMING.sub(" ", text)))


def test_words_split_on_spaces_and_table_lines_only():
    """The comparison's own rule, on a hand-made case: a wrapped cell keeps its words, a cut
    one ("qualified_…") loses one."""
    wide = "│ qualified_interest │ 91.4% │ (1.4 s)"
    assert words(wide) == {"qualified_interest", "91.4%"}
    assert words("┃ qualified_… ┃ 91.4% (2.0 s)") - words(wide) == {"qualified_…"}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_word_of_a_wide_table_is_there_at_80_columns(name, lab):
    if name == "scores" and not _has_roleplay():
        pytest.skip("scores needs the roleplay extra")
    args = [a.format(**lab) for a in COMMANDS[name]]
    wide = _run(args, lab["folder"], 200)
    narrow = _run(args, lab["folder"], 80)
    if name != "reference":  # Markdown, written as it is (a wrapped table row breaks it)
        assert max(len(line) for line in narrow.splitlines()) <= 80, name
    assert narrow.count("…") <= wide.count("…"), f"{name}: a cut word at 80 columns"
    missing = sorted(words(wide) - words(narrow))
    assert not missing, f"{name}: at 80 columns, {len(missing)} words are gone: {missing[:20]}"
