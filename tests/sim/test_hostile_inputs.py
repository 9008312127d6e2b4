"""Hostile input across every ``handoff-lab`` command, run as a user would: a subprocess.

Each case runs the real console script under ``prlimit --as`` (a 1 GiB address-space bound:
``calls_per_day = 1e9`` alone would ask for 7.45 GiB) and a timeout, in a fresh folder, and
checks what issue 12 asks of every user mistake: exit code 2, the key, option or file named in
the message, no traceback, and nothing half-written (the folder holds exactly what it held
before; the record store, where one is needed, lives outside it). The cases cover numbers
that are not finite, overrides into text, nesting and ``extends`` chains past the limits,
volumes, replications and grids past the limits (:mod:`sim.limits`), outputs that cannot be
written (checked before the work starts: the big sweeps below would outlast the timeout if
they ran first), record databases that cannot be opened, and call logs that are not call logs.
A second group checks that names holding rich markup (``Agency [/draft]``, ``[pilot]``,
``[link=…]``) are printed as typed, with no terminal hyperlink, by validate, simulate, roi,
scores and roleplay.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sim import limits

pytestmark = pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs prlimit")

MEMORY_BOUND = 1 << 30
"""Address space each command may use (1 GiB; a small simulation needs about 600 MiB)."""
TIMEOUT = 90
"""Seconds a case may take: the slowest command here is done in a few."""

SCRIPT = Path(sys.executable).with_name("handoff-lab")


def nested(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


def scenario(body: str, base: str = "minimal_queue") -> str:
    return f'extends = "{base}"\n{body}\n'


def chain(n: int) -> dict[str, str]:
    files = {f"c{i}.toml": f'extends = "c{i + 1}.toml"\n' for i in range(n)}
    files[f"c{n}.toml"] = 'extends = "minimal_queue"\n'
    return files


ROWS = "\n".join(
    f"C{k:07d},2024-03-04 09:{k % 60:02d}:00,inbound,billing,ai,contained" for k in range(5)
)
LOG_HEADER = "call_id,started_at,direction,call_type,handled_by,outcome"
PLANTED = ("Jane Roe", "555-010-2234x12", "jane.roe@example.com", "12 Elm Street")
HEADERLESS = "\n".join(
    f"{PLANTED[0]},{PLANTED[1]},{PLANTED[2]},{PLANTED[3]},2024-03-04 09:0{k}:00,contained"
    for k in range(5)
)
JUNK = bytes(random.Random(12).getrandbits(8) for _ in range(4096))


@dataclass(frozen=True)
class Case:
    """One hostile command: its arguments (``{tmp}`` is the case's folder), the files made
    before it runs, and the text its message must hold."""

    id: str
    args: tuple[str, ...]
    named: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    """Texts that must not appear in the output (planted personal data)."""
    xfail: str | None = None


def case(id, args, named, files=None, absent=(), xfail=None) -> Case:
    return Case(id, tuple(args), named, dict(files or {}), tuple(absent), xfail)


DB = "sqlite:///{home}/records.db"
MQ = "minimal_queue"
BIG_GRID = ("--grid", "destinations.0.producers=2,3,4,5,6,7,8,9", "--grid", "days=20,30,40")

CASES = [
    # --- numbers that are not finite, in files ------------------------------------------------
    case(
        "inf calls_per_day (validate)",
        ["validate", "s.toml"],
        "inbound.calls_per_day",
        {"s.toml": scenario("[inbound]\ncalls_per_day = inf")},
    ),
    case(
        "inf calls_per_day (simulate)",
        ["simulate", "s.toml", "-r", "1"],
        "inbound.calls_per_day",
        {"s.toml": scenario("[inbound]\ncalls_per_day = inf")},
    ),
    case(
        "nan calls_per_day (simulate)",
        ["simulate", "s.toml", "-r", "1"],
        "inbound.calls_per_day",
        {"s.toml": scenario("[inbound]\ncalls_per_day = nan")},
    ),
    case(
        "-inf cost (roi)",
        ["roi", "s.toml", "-r", "2"],
        "ai.cost_per_minute",
        {"s.toml": scenario("[ai]\ncost_per_minute = -inf", "small_agency")},
    ),
    case(
        "inf inside a profile list",
        ["validate", "s.toml"],
        "inbound.profile.1",
        {"s.toml": scenario("[inbound]\nprofile = [1.0, inf, 1.0]")},
    ),
    case(
        "nan inside a distribution",
        ["simulate", "s.toml", "-r", "1"],
        "ai.talk_minutes.mean",
        {
            "s.toml": scenario(
                '[ai]\ntalk_minutes = { dist = "exponential", mean = nan }', "small_agency"
            )
        },
    ),
    case(
        "inf setup cost (staff)",
        ["staff", "s.toml", "-r", "2"],
        "costs.setup",
        {"s.toml": scenario("[costs]\nsetup = inf", "small_agency")},
    ),
    # --- volumes over the limits --------------------------------------------------------------
    case(
        "calls_per_day = 1e9 (validate)",
        ["validate", "s.toml"],
        "inbound.calls_per_day",
        {"s.toml": scenario("[inbound]\ncalls_per_day = 1e9")},
    ),
    case(
        "calls_per_day = 1e9 (simulate)",
        ["simulate", "s.toml", "-r", "1"],
        f"{limits.MAX_CALLS_PER_REPLICATION:,}",
        {"s.toml": scenario("[inbound]\ncalls_per_day = 1e9")},
    ),
    case(
        "calls_per_day = 1e9 (sweep)",
        ["sweep", "s.toml", "--grid", "seed=1,2"],
        "inbound.calls_per_day",
        {"s.toml": scenario("[inbound]\ncalls_per_day = 1e9")},
    ),
    case(
        "contacts_per_week = 1e12",
        ["validate", "s.toml"],
        "outbound.contacts_per_week",
        {"s.toml": scenario("[outbound]\ncontacts_per_week = 1e12", "small_agency")},
    ),
    case(
        "a decade of a busy centre",
        ["simulate", "s.toml", "-r", "1"],
        "inbound.calls_per_day",
        {"s.toml": scenario("days = 3660\n[inbound]\ncalls_per_day = 1000")},
    ),
    case(
        "volume via --set",
        ["simulate", MQ, "--set", "inbound.calls_per_day=1e9"],
        "inbound.calls_per_day",
    ),
    case(
        "volume via --grid",
        ["sweep", MQ, "--grid", "inbound.calls_per_day=100,1e9"],
        "inbound.calls_per_day",
    ),
    # --- nesting, extends, size ---------------------------------------------------------------
    case(
        "lists nested 5000 deep",
        ["validate", "s.toml"],
        "16 levels",
        {"s.toml": f"a = {nested(5000)}\n"},
    ),
    case(
        "tables nested 3000 deep (simulate)",
        ["simulate", "s.toml"],
        "16 levels",
        {"s.toml": "a = " + nested(3000, "{x=", "}").replace("{x=}", "{x=1}") + "\n"},
    ),
    case(
        "dotted key 5000 deep",
        ["validate", "s.toml"],
        "nested more than 16",
        {"s.toml": "a" + ".a" * 5000 + " = 1\n"},
    ),
    case(
        "lists nested 20 deep",
        ["validate", "s.toml"],
        "nested more than 16",
        {"s.toml": scenario(f"x = {nested(20)}")},
    ),
    case("extends chain of 40", ["validate", "c0.toml"], "extends", chain(40)),
    case("extends chain of 40 (roi)", ["roi", "c0.toml"], "extends", chain(40)),
    case(
        "circular extends",
        ["validate", "a.toml"],
        "circular",
        {"a.toml": 'extends = "b.toml"\n', "b.toml": 'extends = "a.toml"\n'},
    ),
    case("extends is a number", ["validate", "a.toml"], "extends", {"a.toml": "extends = 5\n"}),
    case(
        "extends a missing file",
        ["validate", "a.toml"],
        "extends",
        {"a.toml": 'extends = "nowhere.toml"\n'},
    ),
    case(
        "a 2 MB scenario",
        ["validate", "big.toml"],
        "big.toml",
        {"big.toml": "# " + "x" * 2_000_000 + "\n"},
    ),
    case("binary junk as a scenario", ["validate", "junk.toml"], "junk.toml", {"junk.toml": JUNK}),
    case("a folder as a scenario", ["simulate", "{tmp}"], "directory"),
    case("a missing scenario", ["simulate", "nope.toml"], "nope.toml"),
    case("not TOML", ["validate", "bad.toml"], "not valid TOML", {"bad.toml": "name = \n"}),
    case("an empty scenario", ["validate", "empty.toml"], "name", {"empty.toml": ""}),
    # --- --set and --grid ---------------------------------------------------------------------
    case(
        "--set into a text value",
        ["simulate", "small_agency", "--set", "inbound.profile.0=2"],
        "inbound.profile",
    ),
    case("--set under the name", ["simulate", MQ, "--set", "name.x=1"], "name.x"),
    case(
        "--set inf", ["simulate", MQ, "--set", "inbound.calls_per_day=inf"], "inbound.calls_per_day"
    ),
    case(
        "--set nan (roi)",
        ["roi", MQ, "--set", "inbound.calls_per_day=nan"],
        "inbound.calls_per_day",
    ),
    case(
        "--set inf in a table",
        ["simulate", "small_agency", "--set", 'ai.talk_minutes={dist="exponential", mean=inf}'],
        "ai.talk_minutes.mean",
    ),
    case(
        "--set a list index out of range",
        ["simulate", MQ, "--set", "destinations.99.producers=1"],
        "destinations.99",
    ),
    case("--set without =", ["simulate", MQ, "--set", "days"], "key=value"),
    case("--set an empty key part", ["simulate", MQ, "--set", "a..b=1"], "a..b"),
    case("--set nested 3000 deep", ["simulate", MQ, "--set", f"x={nested(3000)}"], "x: nested"),
    case(
        "--grid of a million cells",
        [
            "sweep",
            MQ,
            "--grid",
            "seed=" + ",".join(map(str, range(1000))),
            "--grid",
            "days=" + ",".join(map(str, range(1, 1001))),
        ],
        f"{limits.MAX_GRID_CELLS:,} cells",
    ),
    case("--grid nan", ["sweep", MQ, "--grid", "ai.rollout=0.1,nan"], "ai.rollout"),
    case(
        "--grid inf (roi's baseline key)",
        ["sweep", MQ, "--grid", "costs.setup=1,inf"],
        "costs.setup",
    ),
    case("--grid nested 3000 deep", ["sweep", MQ, "--grid", f"x={nested(3000)}"], "x: nested"),
    case("--grid a value twice", ["sweep", MQ, "--grid", "days=1,1"], "listed twice"),
    case("--grid without =", ["sweep", MQ, "--grid", "days"], "--grid"),
    # --- options ------------------------------------------------------------------------------
    case("simulate --replications 10000000", ["simulate", MQ, "-r", "10000000"], "--replications"),
    case("roi --replications 10000000", ["roi", MQ, "-r", "10000000"], "--replications"),
    case(
        "sweep --replications 10000000",
        ["sweep", MQ, "--grid", "days=1", "-r", "10000000"],
        "--replications",
    ),
    case("staff --replications 10000000", ["staff", MQ, "-r", "10000000"], "--replications"),
    case("pilot --replications 10000000", ["pilot", MQ, "-r", "10000000"], "replications"),
    case(
        "calls per run over the limit",
        ["simulate", "regional_call_center", "-r", "5000"],
        f"{limits.MAX_CALLS_PER_RUN:,}",
    ),
    case("a negative seed", ["simulate", MQ, "--seed", "-1"], "--seed"),
    case("no workers", ["simulate", MQ, "--workers", "0"], "--workers"),
    case("staff --completion nan", ["staff", MQ, "--completion", "nan"], "completion"),
    case("pilot --rollout inf", ["pilot", MQ, "--rollout", "inf"], "rollout"),
    case("pilot --alpha nan", ["pilot", MQ, "--alpha", "nan"], "alpha"),
    case("staff --interval 7", ["staff", MQ, "--interval", "7"], "interval"),
    case(
        "calibrate --interval-minutes 7",
        ["calibrate", "log.csv", "--interval-minutes", "7"],
        "--interval-minutes",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n"},
    ),
    case(
        "calibrate --duration-unit hours",
        ["calibrate", "log.csv", "--duration-unit", "hours"],
        "--duration-unit",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n"},
    ),
    case(
        "calibrate --timezone Mars",
        ["calibrate", "log.csv", "--timezone", "Mars/Olympus"],
        "--timezone",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n"},
    ),
    case("sweep --kpi unknown", ["sweep", MQ, "--grid", "days=1", "--kpi", "[/x]"], "--kpi"),
    case("simulate --by markup", ["simulate", MQ, "--by", "[/x]"], "--by"),
    case(
        "staff --answer-within inf",
        [
            "staff",
            MQ,
            "-r",
            "2",
            "--set",
            "days=1",
            "--service-level",
            "0.8",
            "--answer-within",
            "inf",
        ],
        "--answer-within",
    ),
    case(
        "dashboard --db under a file",
        ["dashboard", "--db", "sqlite:///{tmp}/afile/x.db"],
        "afile",
        {"afile": "x"},
    ),
    case(
        "dashboard --db not a database",
        ["dashboard", "--db", "sqlite:///{tmp}/notdb.db"],
        "notdb.db",
        {"notdb.db": "this is not a database\n" * 10},
    ),
    case("dashboard --port 0", ["dashboard", "--port", "0"], "--port"),
    case("a command named in markup", ["[/x]"], "[/x]"),
    # --- outputs that cannot be written (checked before any work) -----------------------------
    case(
        "simulate --out under a file",
        ["simulate", MQ, "--out", "afile/sub"],
        "--out",
        {"afile": "x"},
    ),
    case("simulate --out in a missing folder", ["simulate", MQ, "--out", "nope/sub"], "--out"),
    case("simulate --out is a file", ["simulate", MQ, "--out", "afile"], "--out", {"afile": "x"}),
    case(
        "sweep --out under a file",
        ["sweep", "regional_call_center", *BIG_GRID, "--out", "afile/x.csv"],
        "--out",
        {"afile": "x"},
    ),
    case(
        "sweep --out in a missing folder",
        ["sweep", "regional_call_center", *BIG_GRID, "--out", "nope/x.csv"],
        "--out",
    ),
    case(
        "calibrate --output under a file",
        ["calibrate", "log.csv", "-o", "afile/x.toml"],
        "--output",
        {"afile": "x", "log.csv": f"{LOG_HEADER}\n{ROWS}\n"},
    ),
    case(
        "calibrate --output in a missing folder",
        ["calibrate", "log.csv", "-o", "no/x.toml"],
        "--output",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n"},
    ),
    case(
        "scores --export in a missing folder",
        ["scores", "--db", DB, "--export", "no/x.csv"],
        "no/x.csv",
    ),
    case(
        "scores --export under a file",
        ["scores", "--db", DB, "--export", "afile/x.csv"],
        "afile",
        {"afile": "x"},
    ),
    case(
        "scenarios copy into a missing folder",
        ["scenarios", "copy", MQ, "no/x.toml"],
        "no such folder",
    ),
    # --- record databases ---------------------------------------------------------------------
    case(
        "scores --db under a file",
        ["scores", "--db", "sqlite:///{tmp}/afile/x.db"],
        "afile",
        {"afile": "x"},
    ),
    case(
        "scores --db not a database",
        ["scores", "--db", "sqlite:///{tmp}/notdb.db"],
        "notdb.db",
        {"notdb.db": "this is not a database\n" * 10},
    ),
    case(
        "roleplay --db under a file",
        ["roleplay", "-t", "human_request", "--db", "sqlite:///{tmp}/afile/x.db"],
        "afile",
        {"afile": "x"},
    ),
    case(
        "roleplay --db not a database",
        ["roleplay", "-t", "human_request", "--db", "sqlite:///{tmp}/notdb.db"],
        "notdb.db",
        {"notdb.db": "this is not a database\n" * 10},
    ),
    case("scores --db not a URL", ["scores", "--db", "nonsense://"], "nonsense"),
    case("roleplay markup trigger", ["roleplay", "-t", "[/draft]", "--db", DB], "[/draft]"),
    # --- call logs ----------------------------------------------------------------------------
    case(
        "header-less call log",
        ["calibrate", "log.csv"],
        "log.csv",
        {"log.csv": HEADERLESS + "\n"},
        absent=PLANTED,
    ),
    case(
        "header-less call log (--check)",
        ["calibrate", "log.csv", "--check"],
        "log.csv",
        {"log.csv": HEADERLESS + "\n"},
        absent=PLANTED,
    ),
    case(
        "UTF-16 without a byte-order mark",
        ["calibrate", "log.csv"],
        "log.csv",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n".encode("utf-16-le")},
    ),
    case(
        "UTF-16 with a byte-order mark, too few calls",
        ["calibrate", "log.csv"],
        "too little data",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n".encode("utf-16")},
    ),
    case("binary junk as a call log", ["calibrate", "log.csv"], "log.csv", {"log.csv": JUNK}),
    case(
        "a line of 200,000 characters",
        ["calibrate", "log.csv"],
        "line 2",
        {"log.csv": f"{LOG_HEADER}\n" + "x," * 100_000 + "\n"},
    ),
    case(
        "one cell of 200,000 characters",
        ["calibrate", "log.csv"],
        "log.csv",
        {"log.csv": f'{LOG_HEADER}\nC1,"' + "x" * 200_000 + '",,,,\n'},
    ),
    case("an empty call log", ["calibrate", "log.csv"], "empty", {"log.csv": ""}),
    case("a header only", ["calibrate", "log.csv"], "log.csv", {"log.csv": LOG_HEADER + "\n"}),
    case(
        "an unterminated quote",
        ["calibrate", "log.csv"],
        "log.csv",
        {"log.csv": f'{LOG_HEADER}\nC1,"2024-03-04 09:00\n'},
    ),
    case("a folder as a call log", ["calibrate", "{tmp}"], "directory"),
    case("a missing call log", ["calibrate", "nope.csv"], "nope.csv"),
    case(
        "phones in a kept column, few calls",
        ["calibrate", "log.csv"],
        "too little data",
        {"log.csv": f"{LOG_HEADER}\n" + ROWS.replace("billing", PLANTED[1]) + "\n"},
        absent=PLANTED[1:2],
    ),
    case(
        "a mapping nested 3000 deep",
        ["calibrate", "log.csv", "--mapping", "map.toml"],
        "map.toml",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n", "map.toml": f"a = {nested(3000)}\n"},
    ),
    case(
        "--base nested 3000 deep",
        ["calibrate", "log.csv", "--base", "b.toml"],
        "b.toml",
        {"log.csv": f"{LOG_HEADER}\n{ROWS}\n", "b.toml": f"a = {nested(3000)}\n"},
    ),
    # --- user text in messages ----------------------------------------------------------------
    case(
        "a broken file named [pilot].toml",
        ["validate", "[pilot].toml"],
        "[pilot].toml",
        {"[pilot].toml": scenario("days = 0")},
    ),
    case(
        "a broken file named Agency [red]draft.toml",
        ["simulate", "Agency [red]draft.toml"],
        "Agency [red]draft.toml",
        {"Agency [red]draft.toml": scenario("days = 0")},
    ),
    case(
        "a missing file named [link=x]",
        ["roi", "[link=x]a.toml"],
        "[link=x]a.toml",
    ),
]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(args: list[str], cwd: Path, home: Path) -> tuple[int, str]:
    """Run ``handoff-lab`` with ``args`` in ``cwd`` under the memory bound and the timeout."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "sim.cli"]
    env = {
        **os.environ,
        "COLUMNS": "400",
        "XDG_DATA_HOME": str(home),
        "HOME": str(home),
        "HANDOFF_LAB_DB": f"sqlite:///{home}/default.db",
    }
    done = subprocess.run(
        ["prlimit", f"--as={MEMORY_BOUND}", *command, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def _params(cases):
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else []
        yield pytest.param(c, id=c.id, marks=marks)


def test_there_are_at_least_sixty_hostile_cases():
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    commands = {c.args[0] for c in CASES}
    assert {"validate", "simulate", "roi", "staff", "pilot", "sweep", "calibrate", "scenarios",
            "roleplay", "scores", "dashboard"} <= commands  # fmt: skip


@pytest.mark.parametrize("hostile", list(_params(CASES)))
def test_a_hostile_input_is_one_clear_message_and_exit_2(hostile: Case, tmp_path: Path):
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    for name, content in hostile.files.items():
        target = work / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    before = _snapshot(work)
    args = [a.replace("{tmp}", str(work)).replace("{home}", str(home)) for a in hostile.args]
    code, output = run_cli(args, work, home)
    flat = " ".join(output.replace("│", " ").split())
    assert "Traceback" not in output, output[-3000:]
    assert code == 2, output[-3000:]
    assert hostile.named.replace("{tmp}", str(work)) in flat, output[-3000:]
    for planted in hostile.absent:
        assert planted not in output
        assert planted.split()[0] not in output
    assert _snapshot(work) == before, "the command wrote into the folder"


# --- user text shown as typed ----------------------------------------------------------------

NAMES = ["Agency [/draft]", "[pilot] agency", "[link=http://x]Agency[/link]"]
OSC_HYPERLINK = "\x1b]8;"


def _named(name: str) -> str:
    return scenario(f'name = "{name}"\ndays = 1', "small_agency")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "command",
    [
        ["validate", "s.toml"],
        ["simulate", "s.toml", "-r", "1"],
        ["simulate", "s.toml", "-r", "1", "--by", "group"],
        ["roi", "s.toml", "-r", "2", "--no-sensitivity"],
    ],
    ids=["validate", "simulate", "simulate --by group", "roi"],
)
def test_names_with_markup_are_printed_as_typed(name, command, tmp_path):
    (tmp_path / "s.toml").write_text(_named(name), encoding="utf-8")
    code, output = run_cli(command, tmp_path, tmp_path)
    assert "Traceback" not in output, output[-3000:]
    assert code == 0, output[-3000:]
    assert name in output
    assert OSC_HYPERLINK not in output


@pytest.mark.parametrize("name", NAMES)
def test_producer_names_with_markup_are_printed_as_typed(name, tmp_path):
    """``roleplay`` (stdin closed: the call is left, exit 2, the turn kept) and ``scores``."""
    db = f"sqlite:///{tmp_path}/records.db"
    play = ["roleplay", "-t", "human_request", "-p", name, "--seed", "1", "--db", db]
    code, output = run_cli(play, tmp_path, tmp_path)
    assert "Traceback" not in output, output[-3000:]
    assert code == 2, output[-3000:]
    code, output = run_cli(["scores", "-p", name, "--db", db], tmp_path, tmp_path)
    assert "Traceback" not in output, output[-3000:]
    assert code == 0, output[-3000:]
    assert name in output
    assert OSC_HYPERLINK not in output
