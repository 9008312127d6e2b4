"""The README's Quick start runs as written from an empty folder (issue 11).

The commands are read from the README itself (the ``bash`` block after ``<!-- quick-start -->``),
so the test and the page cannot drift apart, and each runs in a real subprocess, in order, in a
fresh temporary folder, as a user would type it; every one must exit 0. The role-play store and
the call-log key are pointed into that folder (``HANDOFF_LAB_DB``, ``HANDOFF_LAB_KEY_FILE``),
never at the user's own data folder; ``roleplay`` is a conversation, so it is given a short call
on its input (one line to the caller, ``/end`` and a reason code).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- quick-start -->"
CLI = "import sys; from sim.cli import main; sys.argv[0] = 'handoff-lab'; main()"
CALL = "Thanks for holding, I have your details from the assistant.\n/end\npricing_question\n"
"""What the test types into ``handoff-lab roleplay``."""


def quick_start_commands(text: str) -> list[list[str]]:
    """The commands of the Quick start block: comments dropped, ``\\`` continuations joined."""
    block = text.split(MARKER, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.strip()]


def test_the_quick_start_block_is_found_and_read_as_typed():
    text = f"x\n{MARKER}\n```bash\na b  # note\n\nc --d 1 \\\n    --e 2\n```\nafter\n"
    assert quick_start_commands(text) == [["a", "b"], ["c", "--d", "1", "--e", "2"]]
    commands = quick_start_commands(README.read_text(encoding="utf-8"))
    assert all(c[0] == "handoff-lab" for c in commands)
    names = [c[1] for c in commands]
    assert names.index("sample-log") < names.index("calibrate") < names.index("backtest")


@pytest.mark.slow
def test_every_quick_start_command_exits_0_in_an_empty_folder(tmp_path):
    from sim.cli.plugins import ROLEPLAY_MODULES
    from sim.cli.shared import has_module

    commands = quick_start_commands(README.read_text(encoding="utf-8"))
    folder = tmp_path / "empty"
    folder.mkdir()
    env = dict(os.environ, COLUMNS="80")
    env["HANDOFF_LAB_DB"] = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    env["HANDOFF_LAB_KEY_FILE"] = str(tmp_path / "calllog.key")
    missing = [m for m in ("pyarrow", "faker", *ROLEPLAY_MODULES) if not has_module(m)]
    if missing:
        pytest.skip(f"the Quick start needs the 'all' extra ({', '.join(missing)} missing)")
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-c", CLI, *command[1:]],
            cwd=folder,
            env=env,
            input=CALL if command[1] == "roleplay" else "",
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, f"{shlex.join(command)}:\n{done.stderr[-3000:]}"
        assert "Traceback" not in done.stderr, shlex.join(command)
    for made in ("my_agency.toml", "regional/kpis.csv", "sweep.parquet", "calls.csv",
                 "calibrated.toml"):  # fmt: skip
        assert (folder / made).is_file(), made
