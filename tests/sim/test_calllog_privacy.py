"""A call log planted with personal data in every column: none of it may come out.

The log is the synthetic export of a shipped scenario (Faker callers, about 600 conversations)
with more planted on top, seeded: names, phone numbers in 16 layouts (with and without extensions,
dotted, bracketed, run together, international), e-mail addresses and street addresses, each
typed into one row of every column (the call id, the start time, the codes, the outcome, the
durations, a free-text notes column, an address column). It is calibrated through the Python
API and the ``handoff-lab calibrate`` command, with a header row and without one, and every
output is searched for every planted value: the written scenario, the report, the summary,
the problems, the returned frames and every message. Also checked: the redaction of each
phone layout on its own (an independent list of layouts, not the regex's own cases).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim import load_scenario
from sim.calibrate import CalibrationError, calibrate_file
from sim.calllog import read_call_log, redact, synthetic_log
from sim.calllog.privacy import is_id_like

PHONE_LAYOUTS = [
    "###-###-####",
    "###-###-####x##",
    "(###) ###-####",
    "(###)###-####x####",
    "###.###.####",
    "###.###.#### ext. ###",
    "##########",
    "+1-###-###-####",
    "+1 (###) ###-#### x##",
    "001-###-###-####x#####",
    "+44 20 #### ####",
    "0044 20 #### ####",
    "### ### ####",
    "###-####",
    "+33 1 ## ## ## ##",
    "###-###-#### #7",
]
"""Phone layouts planted (``#`` a random digit): Faker's en_US ones and others seen in
exports."""

NAMES = ["Quentin Marlowe-Faye", "Odalys Brightwater", "Thaddeus Quillfeather", "Mireille Zabka"]
STREETS = ["742 Evergreen Terrace", "1313 Mockingbird Lane", "31 Spooner Street Apt 4"]
EMAILS = ["odalys.brightwater@example.org", "tq+calls@mailinator.example", "m.zabka@corp.example"]


def _phones(rng: random.Random) -> list[str]:
    out = []
    for layout in PHONE_LAYOUTS:
        out.append(re.sub("#", lambda _: str(rng.randrange(10)), layout))
    return out


def _planted_log(tmp_path: Path, header: bool) -> tuple[Path, list[str]]:
    rng = random.Random(20261202)
    scenario = load_scenario("small_agency")
    frame = synthetic_log(scenario, seed=7).astype(str)
    frame["Caller Address"] = [rng.choice(STREETS) for _ in range(len(frame))]
    frame["notes"] = "called about a quote"
    phones = _phones(rng)
    planted = [*phones, *NAMES, *STREETS, *EMAILS]
    # Faker's own callers are personal too.
    faker = [c for c in frame.columns if c.startswith("caller_")]
    secrets = set(planted) | {v for c in faker for v in frame[c]}
    # Every planted value into one row of every column (rows chosen at random, seeded).
    for column in frame.columns:
        for value in planted:
            frame.loc[rng.randrange(len(frame)), column] = value
    # The same phone written into a text cell with other words, and run into a word.
    frame.loc[rng.randrange(len(frame)), "reason_code"] = f"call back on {phones[1]}"
    frame.loc[rng.randrange(len(frame)), "call_type"] = "claim" + phones[6]
    path = tmp_path / ("log.csv" if header else "no_header.csv")
    frame.to_csv(path, index=False, header=header)
    return path, sorted(secrets, key=len, reverse=True)


def _leaks(text: str, secrets: list[str]) -> list[str]:
    """Planted values found in ``text``: verbatim, any word of a name or street of four letters
    or more, or a phone's ten or more digits anywhere in the text's digits."""
    found = [s for s in secrets if s in text]
    words = {w for s in [*NAMES, *STREETS] for w in re.findall(r"[A-Za-z]{4,}", s)}
    words -= {"Street", "Lane"}
    found += [w for w in words if w in text]
    digits = re.sub(r"\D", "", text)
    for s in secrets:
        d = re.sub(r"\D", "", s)
        if len(d) >= 10 and "@" not in s and d in digits:
            found.append(s)
    return found


def _frames_text(result) -> str:
    tables = [result.log.frame, *result.report.tables.values()]
    return "\n".join(t.to_csv() for t in tables)


def test_every_planted_layout_is_redacted():
    rng = random.Random(3)
    for layout in PHONE_LAYOUTS:
        phone = re.sub("#", lambda _: str(rng.randrange(10)), layout)
        for text in (phone, f"call back on {phone} today", f"claim{phone}"):
            assert re.search(r"\d{3}", redact(text)) is None, (layout, redact(text))
    assert redact("policy 12345 renewal on 2024-03-04 09:03:12") == (
        "policy 12345 renewal on 2024-03-04 09:03:12"
    )
    assert is_id_like("C0000001")
    assert not is_id_like("Jane Roe")


def test_planted_personal_data_never_leaves_the_python_api(tmp_path):
    path, secrets = _planted_log(tmp_path, header=True)
    out = tmp_path / "fitted.toml"
    result = calibrate_file(path, out, timezone="CT")
    blob = "\n".join(
        [
            out.read_text(encoding="utf-8"),
            result.summary(),
            result.to_toml(),
            result.report.parameters.to_csv(),
            " ".join(map(str, result.problems)),
            result.log.summary(max_problems=10_000),
            " ".join(result.log.notes),
            _frames_text(result),
        ]
    )
    assert _leaks(blob, secrets) == []
    assert len(result.problems) > 0  # the planted times, durations and outcomes were refused
    assert result.log.rows_used > 0.5 * result.log.rows_read  # and the rest was used


def test_planted_personal_data_never_leaves_the_cli(tmp_path):
    path, secrets = _planted_log(tmp_path, header=True)
    out = tmp_path / "fitted.toml"
    script = Path(sys.executable).with_name("handoff-lab")
    runs = [
        [str(script), "calibrate", str(path), "-o", str(out), "--timezone", "CT"],
        [str(script), "calibrate", str(path), "--check"],
    ]
    texts = []
    for command in runs:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        texts += [done.stdout, done.stderr]
    texts.append(out.read_text(encoding="utf-8"))
    assert _leaks("\n".join(texts), secrets) == []


def test_a_log_without_a_header_row_never_prints_a_cell(tmp_path):
    path, secrets = _planted_log(tmp_path, header=False)
    first_row = pd.read_csv(path, header=None, nrows=1, dtype=str).iloc[0].dropna().tolist()
    secrets = sorted(set(secrets) | {c for c in first_row if len(c) > 3}, key=len, reverse=True)
    with pytest.raises(CalibrationError) as caught:
        read_call_log(path)
    message = str(caught.value)
    assert "no_header.csv" in message
    assert "header row" in message
    assert _leaks(message, secrets) == []
    script = Path(sys.executable).with_name("handoff-lab")
    done = subprocess.run([str(script), "calibrate", str(path)], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert _leaks(done.stdout + done.stderr, secrets) == []
