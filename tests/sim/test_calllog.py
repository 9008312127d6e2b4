"""Reading call logs: column aliases, time zones, duration formats, bad rows reported with their
CSV line numbers, personal data dropped, and the seeded synthetic-log generator."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from sim.calllog import (
    CalibrationError,
    from_frame,
    normalise_name,
    read_call_log,
    redact,
    synthetic_log,
)
from sim.loader import scenario_from_dict

HEADER = "call_id,started_at,handled_by,call_type,ai_seconds,trigger,transferred_at,"
HEADER += "answered_at,ended_at,outcome,handle_seconds"


def read(text: str, **kwargs):
    return read_call_log(io.StringIO(text), **kwargs)


def tiny_scenario():
    return scenario_from_dict(
        {
            "name": "tiny",
            "days": 2,
            "inbound": {"calls_per_day": 60},
            "ai": {"enabled": True, "rollout": 0.7},
            "destinations": [{"name": "Producers", "producers": 2}],
            "transfer": {"patience_minutes": {"dist": "exponential", "mean": 2.0}},
        }
    )


@pytest.mark.parametrize(
    "header",
    [
        "started_at",
        "Start Time",
        "start_time",
        "CALL_START",
        " call-start ",
        "Timestamp",
        "Start Date/Time",
    ],
)
def test_start_time_aliases(header):
    log = read(f"{header},Outcome\n2024-03-04 09:15:00,contained\n")
    assert log.rows_used == 1
    assert log.columns["started_at"] == header.strip()
    assert log.frame["minute_of_day"].iloc[0] == pytest.approx(9 * 60 + 15)


def test_separate_date_and_time_columns():
    log = read("Date,Time,Handled By\n03/04/2024,9:15 AM,AI\n")
    assert log.frame["started_at"].iloc[0] == pd.Timestamp("2024-03-04 09:15")
    assert log.frame["outcome"].iloc[0] == "contained"  # inferred: AI, no transfer


@pytest.mark.parametrize(
    ("header", "value", "minutes"),
    [
        ("handle_seconds", "90", 1.5),
        ("Handle Time (sec)", "90", 1.5),
        ("handle_minutes", "1.5", 1.5),
        ("Handle Time (min)", "1.5", 1.5),
        ("handle_time", "1:30", 1.5),
        ("AHT", "0:01:30", 1.5),
        ("AHT", "1:02:03", 62.05),
        ("handle_time", "90", 1.5),  # no unit in the name: duration_unit (seconds)
    ],
)
def test_duration_formats(header, value, minutes):
    log = read(f"started_at,outcome,{header}\n2024-03-04 09:00,connected,{value}\n")
    assert log.problems == []
    assert log.frame["handle_minutes"].iloc[0] == pytest.approx(minutes)


def test_duration_unit_for_unlabelled_numbers():
    text = "started_at,outcome,handle_time\n2024-03-04 09:00,connected,4\n"
    assert read(text, duration_unit="minutes").frame["handle_minutes"].iloc[0] == 4.0
    with pytest.raises(CalibrationError, match="duration_unit"):
        read(text, duration_unit="hours")


def test_time_zones_offsets_and_naive_times_agree():
    """The same calls written three ways (local with an offset, UTC, naive local time plus a
    time zone) give the same local clock times and the same waits."""
    rows = [
        ("2024-03-08T09:00:00-06:00", "2024-03-08T09:02:00-06:00", "2024-03-08T09:03:30-06:00"),
        # after the switch to daylight time on 10 March: CDT is UTC-5
        ("2024-03-11T09:00:00-05:00", "2024-03-11T09:02:00-05:00", "2024-03-11T09:03:30-05:00"),
    ]
    utc = [
        tuple((pd.Timestamp(t).tz_convert("UTC")).isoformat().replace("+00:00", "Z") for t in row)
        for row in rows
    ]
    naive = [tuple(t[:19] for t in row) for row in rows]

    def csv(rows):
        body = "".join(f"{a},{b},{c},abandoned\n" for a, b, c in rows)
        return "started_at,transferred_at,ended_at,outcome\n" + body

    logs = [
        read(csv(rows)),
        read(csv(utc), timezone="CT"),
        read(csv(naive), timezone="CT"),
        read(csv(rows), timezone="America/Chicago"),
    ]
    for log in logs:
        assert log.problems == []
        assert log.frame["minute_of_day"].tolist() == [540.0, 540.0]
        assert log.frame["wait_minutes"].tolist() == pytest.approx([1.5, 1.5])
        assert log.frame["transfer_minutes"].tolist() == pytest.approx([2.0, 2.0])
    assert read(csv(utc)).notes
    assert "UTC" in read(csv(utc)).notes[0]


def test_wait_across_a_daylight_saving_change_uses_real_elapsed_time():
    """Naive local times are localised, so a wait across the 2 a.m. spring-forward jump is
    measured in real minutes."""
    text = (
        "started_at,transferred_at,ended_at,outcome\n"
        "2024-03-10 01:50,2024-03-10 01:55,2024-03-10 03:05,abandoned\n"
    )
    log = read(text, timezone="CT")
    assert log.frame["wait_minutes"].iloc[0] == pytest.approx(10.0)
    gap = read("started_at,outcome\n2024-03-10 02:30,contained\n", timezone="CT")
    assert gap.rows_used == 0
    assert "daylight-saving" in gap.problems[0].reason


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(CalibrationError, match="unknown time zone"):
        read("started_at\n2024-03-04 09:00\n", timezone="Mars/Olympus")


def test_bad_rows_are_reported_with_their_csv_lines():
    """Every bad row is listed with its 1-based line in the file (a quoted multi-line cell
    counts its lines) and the reason; good rows are all used."""
    text = (
        "call_id,started_at,handled_by,outcome,transferred_at,answered_at,handle_seconds,notes\n"
        "c1,2024-03-04 09:00,ai,contained,,,,fine\n"  # line 2
        'c2,2024-03-04 09:01,ai,connected,2024-03-04 09:03,2024-03-04 09:04,300,"two\n'
        'lines"\n'  # lines 3-4
        "c3,not a time,ai,contained,,,,\n"  # line 5
        "\n"  # line 6 blank
        "c4,2024-03-04 09:05,ai,teleported,,,,\n"  # line 7
        "c5,2024-03-04 09:06,human,connected,2024-03-04 09:06,2024-03-04 09:07,-5,\n"  # line 8
        "c6,2024-03-04 09:07,human,connected,2024-03-04 09:08,2024-03-04 09:07,60,\n"  # line 9
        "c7,2024-03-04 09:08,ai\n"  # line 10
        "c2,2024-03-04 09:09,ai,contained,,,,\n"  # line 11
        "c8,2024-03-04 09:10,robot,contained,,,,\n"  # line 12
        "c9,2024-03-04 09:11,human,contained,,,,\n"  # line 13
        "c10,2024-03-04 09:12,ai,,,,,\n"  # line 14
    )
    log = read(text)
    found = [(p.line, p.column) for p in log.problems]
    assert found == [
        (5, "started_at"),
        (7, "outcome"),
        (8, "handle_seconds"),
        (9, "answered_at"),
        (10, ""),
        (11, "call_id"),
        (12, "handled_by"),
        (13, "outcome"),
    ]
    reasons = {p.line: p.reason for p in log.problems}
    assert reasons[5] == "cannot read the time (use ISO 8601 or month/day/year text)"
    assert reasons[7].startswith("unknown outcome (use contained,")
    assert "teleported" not in reasons[7]  # cells are never quoted: they may be personal data
    assert "negative" in reasons[8]
    assert "before the transfer" in reasons[9]
    assert "3 fields" in reasons[10]
    assert "repeats" in reasons[11]
    assert log.frame["line"].tolist() == [2, 3, 14]
    assert log.rows_read == 11
    assert log.rows_used == 3
    assert log.rows_with_problems == 8
    summary = log.summary()
    assert "11 rows read, 3 used, 8 left out" in summary
    assert "line 5, started_at" in summary
    assert "notes" in log.personal_columns  # free text is dropped like personal data


def test_outcomes_are_inferred_and_wordings_understood():
    text = (
        "started_at,handled_by,transferred_at,answered_at,outcome\n"
        "2024-03-04 09:00,AI,,,\n"
        "2024-03-04 09:01,Bot,2024-03-04 09:02,2024-03-04 09:03,\n"
        "2024-03-04 09:02,Live Agent,2024-03-04 09:02,,\n"
        "2024-03-04 09:03,AI,2024-03-04 09:05,,Caller Hung Up\n"
        "2024-03-04 09:04,AI,,,Resolved by AI\n"
        "2024-03-04 09:05,AI,2024-03-04 09:06,2024-03-04 09:07,Answered\n"
    )
    log = read(text)
    assert log.frame["outcome"].tolist() == [
        "contained",
        "connected",
        "abandoned",
        "abandoned",
        "contained",
        "connected",
    ]
    assert log.frame["handled_by"].tolist() == ["ai", "ai", "human", "ai", "ai", "ai"]
    assert any("inferred" in note for note in log.notes)


def test_personal_data_is_dropped_hashed_or_redacted():
    """Names, phones and e-mails never reach the frame, the summary or problem messages; a
    one-off reason code (here holding a phone number) is left blank; an e-mail used as a call
    id is hashed."""
    text = (
        "Call ID,Start Time,Caller Name,Phone,E-mail,Reason Code,Outcome\n"
        "a1,2024-03-04 09:00,Jane Roe,(312) 555-0142,jane.roe@example.com,"
        "call back 312-555-0142,contained\n"
        "jane.roe@example.com,2024-03-04 09:01,Jane Roe,312.555.0142,jane.roe@example.com,"
        "Billing,contained\n"
        "a3,jane.roe@example.com,Jane Roe,312 555 0142,jane.roe@example.com,Billing,contained\n"
    )
    log = read(text, caller_key=True, salt=b"test-salt")
    assert log.personal_columns == ["Caller Name", "Phone", "E-mail"]
    everything = log.frame.astype(str).to_string() + log.summary()
    everything += " ".join(str(p) for p in log.problems)
    for secret in ("Jane", "Roe", "555-0142", "5550142", "jane.roe", "example.com"):
        assert secret not in everything
    assert log.frame["reason_code"].tolist() == [None, None]  # each used by one call only
    assert "fewer than 3 calls" in log.summary()
    assert log.frame["call_id"].iloc[0] == "a1"
    assert len(log.frame["call_id"].iloc[1]) == 16
    assert str(log.problems[0]) == (
        "line 4, Start Time: cannot read the time (use ISO 8601 or month/day/year text)"
    )  # the bad start time (an e-mail) is not quoted
    # the same phone written differently is the same caller; another salt gives other keys
    assert log.frame["caller_key"].nunique() == 1
    other = read(text, caller_key=True, salt=b"other-salt")
    assert set(other.frame["caller_key"]).isdisjoint(log.frame["caller_key"])
    assert "caller_key" not in read(text).frame


def test_redact_and_normalise_name():
    assert redact("reach me on +1 (212) 555-0199 or a.b@c.org") == (
        "reach me on [redacted] or [redacted]"
    )
    assert redact("policy 12345 renewal") == "policy 12345 renewal"
    assert normalise_name("  Start Date/Time ") == "start_date_time"


def test_file_level_errors_are_clear(tmp_path):
    with pytest.raises(CalibrationError, match="no such file"):
        read_call_log(tmp_path / "missing.csv")
    with pytest.raises(CalibrationError, match="empty"):
        read("")
    with pytest.raises(CalibrationError, match="no call start time column"):
        read("caller,outcome\nx,contained\n")


def test_semicolon_delimited_utf8_bom_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufeffStart Time;Outcome;Wrap-Up (s)\n2024-03-04 09:00;Answered;30\n".encode()
    )
    log = read_call_log(path)
    assert log.source == "export.csv"
    assert log.frame["outcome"].iloc[0] == "connected"
    assert log.frame["wrap_up_minutes"].iloc[0] == 0.5


def test_from_frame_numbers_rows_as_csv_lines():
    df = pd.DataFrame(
        {
            "start": pd.to_datetime(["2024-03-04 09:00", None, "2024-03-04 09:02"]),
            "outcome": ["contained", "contained", "contained"],
        }
    )
    log = from_frame(df)
    assert [p.line for p in log.problems] == [3]
    assert log.frame["line"].tolist() == [2, 4]


def test_synthetic_log_is_seeded_and_round_trips_through_csv():
    """Same seed, same calls and same fictitious people; another seed, other people. The
    export reads back without problems and keeps every conversation of the simulation."""
    scenario = tiny_scenario()
    a = synthetic_log(scenario, seed=5)
    b = synthetic_log(scenario, seed=5)
    c = synthetic_log(scenario, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert a["caller_name"].tolist() != c["caller_name"].tolist()
    assert a["caller_email"].str.contains("@").all()
    assert a["started_at"].str.match(r"^2024-03-0\dT\d\d:\d\d:\d\d-0[56]:00$").all()
    buf = io.StringIO()
    a.to_csv(buf, index=False)
    buf.seek(0)
    log = read_call_log(buf, timezone="ET")
    assert log.problems == []
    assert log.rows_used == len(a)
    assert set(log.frame["outcome"]) <= {
        "contained",
        "connected",
        "abandoned",
        "failed",
        "no_producer",
    }
    assert not {"caller_name", "caller_phone", "caller_email"} & set(log.frame.columns)
    # dates skip the weekend: two open days from Monday 4 March
    assert sorted(log.frame["date"].dt.day.unique().tolist()) == [4, 5]
    handled = log.frame["handled_by"].value_counts(normalize=True)
    assert math.isclose(handled["ai"], 0.7, abs_tol=0.15)
    assert np.all(log.frame["wait_minutes"].dropna() >= 0)
