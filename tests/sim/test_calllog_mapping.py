"""Reading any export with a mapping: a foreign layout made from the lab's own synthetic log
(renamed columns, split date and time, coded outcomes and handlers, h:mm:ss durations,
"0:00:00" for none, an IVR stage) maps back to the lab-format log row for row and calibrates
to the same scenario; mappings are saved and reused as TOML; the check shows the first rows
without personal data; and every mistake names the mapping file, the key and what is allowed,
citing lines and headers but never a cell value."""

from __future__ import annotations

import dataclasses
import io
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibrate import calibrate_file
from sim.calllog import (
    CallLogMapping,
    MappingError,
    check_mapping,
    load_mapping,
    read_call_log,
    synthetic_log,
    write_mapping,
)
from sim.calllog.check import CHECK_COLUMNS
from sim.loader import load_scenario

TRUTH = Path(__file__).parent / "data" / "calibration_truth.toml"
SEED = 5
MAPPING_TOML = """\
# The Acme ACD's nightly export
none = ["0:00:00"]
personal = ["Agent Notes"]

[columns]
call_id = "Interaction ID"
date = "Call Date"
time = "Call Time"
direction = "Dir"
call_type = "Queue Reason"
handled_by = "Path"
ivr_minutes = "VRU Time"
trigger = "Esc"
transferred_at = "Queue Start"
answered_at = "Answer"
ended_at = "Hangup"
outcome = "Disp"
producer_group = "Skill"
agent = "Agent"
handle_minutes = "Talk"
wrap_up_minutes = "ACW"
reason_code = "Wrap"
converted = "Sold"

[units]
default = "h:mm:ss"

[values.outcome]
ANS = "answered"
ABAN = "abandoned"
XFAIL = "failed"
NOAGT = "no_producer"

[values.handled_by]
VRU = "ai"
AGT = "human"

[values.direction]
IB = "inbound"
OB = "outbound"

[values.converted]
1 = true
0 = false
"""
_OUTCOMES = {"connected": "ANS", "abandoned": "ABAN", "contained": "ABAN", "failed": "XFAIL",
             "no_producer": "NOAGT", "voicemail": "VM"}  # fmt: skip


def _hms(seconds: str) -> str:
    if seconds == "":
        return "0:00:00"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _clock(iso: pd.Series) -> pd.Series:
    """The time of day of ISO times with an offset; "0:00:00" where blank."""
    return iso.str.slice(11, 19).replace("", "0:00:00")


def foreign_export(lab: pd.DataFrame) -> pd.DataFrame:
    """The lab-format log in the Acme layout. Contained calls are coded ABAN like queue
    hang-ups (the caller left from the VRU): only the IVR rule tells them apart."""
    return pd.DataFrame({
        "Interaction ID": lab["call_id"],
        "Call Date": lab["started_at"].str.slice(0, 10),
        "Call Time": lab["started_at"].str.slice(11, 19),
        "Caller Name": lab["caller_name"],
        "ANI": lab["caller_phone"],
        "Dir": lab["direction"].map({"inbound": "IB", "outbound": "OB"}),
        "Queue Reason": lab["call_type"],
        "Path": lab["handled_by"].map({"ai": "VRU", "human": "AGT"}),
        "VRU Time": lab["ai_seconds"].map(_hms),
        "Esc": lab["trigger"],
        "Queue Start": _clock(lab["transferred_at"]),
        "Answer": _clock(lab["answered_at"]),
        "Hangup": _clock(lab["ended_at"]),
        "Disp": lab["outcome"].map(_OUTCOMES),
        "Skill": lab["producer_group"],
        "Agent": lab["agent_id"],
        "Talk": lab["handle_seconds"].map(_hms),
        "ACW": lab["wrap_up_seconds"].map(_hms),
        "Wrap": lab["reason_code"],
        "Sold": lab["converted"].map({"yes": "1", "no": "0"}),
        "Agent Notes": "called back " + lab["caller_email"],
        "Trunk": "T1",
    })  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """(lab-format CSV, Acme CSV, mapping TOML, the lab frame) of a seeded synthetic log."""
    truth = load_scenario(TRUTH).model_copy(update={"days": 4})
    lab = synthetic_log(truth, seed=SEED)
    folder = tmp_path_factory.mktemp("acme")
    lab_csv, acme_csv, toml = folder / "lab.csv", folder / "acme.csv", folder / "acme_map.toml"
    lab.to_csv(lab_csv, index=False)
    foreign_export(lab).to_csv(acme_csv, index=False)
    toml.write_text(MAPPING_TOML, encoding="utf-8")
    return lab_csv, acme_csv, toml, lab


def test_mapped_export_equals_the_lab_format_log_row_for_row(files):
    lab_csv, acme_csv, toml, lab = files
    want = read_call_log(lab_csv, timezone="CT")
    got = read_call_log(acme_csv, timezone="CT", mapping=toml)
    assert got.problems == []
    assert want.problems == []
    assert len(got.frame) == len(lab)
    pd.testing.assert_frame_equal(got.frame, want.frame, check_exact=False, rtol=1e-12)
    assert got.personal_columns == ["Caller Name", "ANI", "Agent Notes"]
    assert got.ignored_columns == ["Trunk"]
    assert got.mapping == "acme_map.toml"
    contained = int((lab["outcome"] == "contained").sum())
    assert f"{contained} calls went through the IVR stage (VRU Time)" in got.summary()


def test_mapped_export_calibrates_to_the_same_scenario(files):
    lab_csv, acme_csv, toml, _ = files
    want = calibrate_file(lab_csv, name="Acme", timezone="CT")
    got = calibrate_file(acme_csv, name="Acme", timezone="CT", mapping=load_mapping(toml))
    # An IVR stage briefs no producer: it has no whisper, so producers are busy 15 s less a
    # call, which may change the producers available by one in an interval; all else is equal.
    assert got.scenario.transfer.whisper_seconds == 0
    same = {"description": True, "transfer": {"whisper_seconds"},
            "destinations": {"__all__": {"producers", "roster"}}}  # fmt: skip
    assert got.scenario.model_dump(exclude=same) == want.scenario.model_dump(exclude=same)
    for a, b in zip(got.scenario.destinations, want.scenario.destinations, strict=True):
        assert np.abs(np.subtract(a.roster.producers, b.roster.producers)).max() <= 1

    def fitted_times(params: pd.DataFrame) -> pd.DataFrame:
        roster = params["parameter"].str.contains("available producers")
        return params[~roster].reset_index(drop=True)

    pd.testing.assert_frame_equal(
        fitted_times(got.report.parameters), fitted_times(want.report.parameters)
    )


def test_ivr_stage_alone_gives_the_handler(files):
    """Without a handler column, a call with VRU time is AI-handled, one with "0:00:00" is
    not, and a VRU caller who never queued is self-service."""
    lab_csv, acme_csv, _, _ = files
    data = CallLogMapping.from_dict(_parsed())
    columns = {k: v for k, v in data.columns.items() if k != "handled_by"}
    values = {k: v for k, v in data.values.items() if k != "handled_by"}
    mapping = dataclasses.replace(data, columns=columns, values=values)
    got = read_call_log(acme_csv, timezone="CT", mapping=mapping)
    want = read_call_log(lab_csv, timezone="CT")
    pd.testing.assert_frame_equal(got.frame, want.frame, check_exact=False, rtol=1e-12)


def _parsed() -> dict:
    return tomllib.loads(MAPPING_TOML)


def test_a_saved_mapping_reads_back_equal_and_is_frozen(files, tmp_path):
    _, acme_csv, toml, _ = files
    mapping = load_mapping(toml)
    again = load_mapping(write_mapping(mapping, tmp_path / "saved.toml"))
    assert again == mapping
    assert again.values["outcome"]["ANS"] == "connected"  # wordings resolve to lab labels
    assert again.values["converted"] == {"1": True, "0": False}
    with pytest.raises(dataclasses.FrozenInstanceError):
        mapping.none = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        mapping.columns["outcome"] = "x"  # type: ignore[index]
    a = read_call_log(acme_csv, timezone="CT", mapping=again).frame
    b = read_call_log(acme_csv, timezone="CT", mapping=toml).frame
    pd.testing.assert_frame_equal(a, b)


def test_check_shows_the_first_mapped_rows_without_personal_data(files):
    _, acme_csv, toml, lab = files
    check = check_mapping(acme_csv, toml, rows=5, timezone="CT")
    assert list(check.rows.columns) == list(CHECK_COLUMNS)
    assert check.rows["call_id"].tolist() == lab["call_id"].head(5).tolist()
    assert check.columns["ivr_minutes"] == "VRU Time"
    assert check.personal_columns == ["Caller Name", "ANI", "Agent Notes"]
    text = check.to_text()
    assert "VRU Time" in text
    assert "Lab field" in text
    personal = {*lab["caller_name"], *lab["caller_phone"], *lab["caller_email"]}
    assert not [p for p in personal if p in text]
    plain = check_mapping(files[0], rows=2)  # a lab-format log: headers matched by name
    assert plain.columns["ai_minutes"] == "ai_seconds"
    assert len(plain.rows) == 2


def test_times_of_day_take_the_start_date_across_midnight():
    text = (
        "Call Date,Call Time,Queue Start,Answer,Hangup,Disp\n"
        "2024-03-04 00:00:00,23:58:00,23:59:30,0:01:00,0:10:00,ANS\n"
        "03/05/2024,9:00 AM,9:01 AM,0:00:00,9:03 AM,ABAN\n"
    )
    mapping = CallLogMapping(
        columns={"date": "Call Date", "time": "Call Time", "transferred_at": "Queue Start",
                 "answered_at": "Answer", "ended_at": "Hangup", "outcome": "Disp"},
        values={"outcome": {"ANS": "connected", "ABAN": "abandoned"}},
        none=("0:00:00",),
    )  # fmt: skip
    log = read_call_log(io.StringIO(text), mapping=mapping)
    assert log.problems == []
    frame = log.frame
    assert frame["started_at"].tolist() == [pd.Timestamp("2024-03-04 23:58"),
                                            pd.Timestamp("2024-03-05 09:00")]  # fmt: skip
    assert frame["wait_minutes"].tolist() == pytest.approx([1.5, 2.0])
    assert frame["handle_minutes"].iloc[0] == pytest.approx(9.0)
    assert frame["outcome"].tolist() == ["connected", "abandoned"]


@pytest.mark.parametrize(
    ("unit", "cell", "minutes"),
    [("seconds", "90", 1.5), ("minutes", "2.5", 2.5), ("hours", "0.5", 30.0),
     ("milliseconds", "90000", 1.5), ("h:mm:ss", "1:02:30", 62.5), ("mm:ss", "02:30", 2.5)],
)  # fmt: skip
def test_durations_in_any_unit(unit, cell, minutes):
    mapping = CallLogMapping(
        columns={"started_at": "Start", "handle_minutes": "Talk", "outcome": "Disp"},
        units={"handle_minutes": unit},
    )
    text = f"Start,Talk,Disp\n2024-03-04 09:00,{cell},connected\n"
    log = read_call_log(io.StringIO(text), mapping=mapping)
    assert log.frame["handle_minutes"].iloc[0] == pytest.approx(minutes)


# --- Mistakes: the mapping file, the key and what is allowed; never a cell value. ---

PLANTED = ("ZQX-Harriet Vance-ZQX", "+1 (555) 867-5309", "planted.secret@example.org", "QQ99")


def _planted_export(acme_csv) -> str:
    """The Acme export with distinctive values planted in personal and coded columns."""
    frame = pd.read_csv(acme_csv, dtype=str, keep_default_na=False)
    frame.loc[3, "Caller Name"] = PLANTED[0]
    frame.loc[3, "ANI"] = PLANTED[1]
    frame.loc[[3, 8], "Agent Notes"] = PLANTED[2]
    frame.loc[[3, 8, 20], "Disp"] = PLANTED[3]
    return frame.to_csv(index=False)


def _mistake(text: str, mapping_text: str, tmp_path) -> str:
    path = tmp_path / "acme_map.toml"
    path.write_text(mapping_text, encoding="utf-8")
    calls = tmp_path / "calls.csv"
    calls.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_call_log(calls, timezone="CT", mapping=path)
    return str(info.value)


def _assert_no_cells(message: str, export: str) -> None:
    assert not [p for p in PLANTED if p in message]
    cells = {c for line in export.splitlines()[1:] for c in line.split(",") if len(c) >= 6}
    assert not [c for c in cells if c in message]


def test_a_value_with_no_mapping_cites_lines_and_column_not_the_value(files, tmp_path):
    export = _planted_export(files[1])
    message = _mistake(export, MAPPING_TOML, tmp_path)
    assert message.startswith("mapping acme_map.toml: values.outcome: column 'Disp'")
    assert "calls.csv" in message
    assert "line(s) 5, 10, 22" in message
    assert "contained, connected, abandoned" in message  # what is allowed
    _assert_no_cells(message, export)


@pytest.mark.parametrize(
    ("edit", "key", "allowed"),
    [
        (('outcome = "Disp"', 'outcome = "Disposition"'), "columns.outcome",
         "did you mean 'Disp'?"),
        (('default = "h:mm:ss"', 'default = "h:mm:ss"\nhandle_minutes = "fortnights"'),
         "units.handle_minutes", "allowed: seconds, minutes, hours, milliseconds, h:mm:ss"),
        (('call_id = "Interaction ID"', 'caller = "Interaction ID"'), "columns.caller",
         "not a lab field; allowed: call_id, started_at"),
        (('ANS = "answered"', 'ANS = "picked up"'), "values.outcome.ANS",
         "allowed: contained, connected"),
        (('personal = ["Agent Notes"]', 'personal = ["Agent Notes", "Caller Nmae"]'),
         "personal", "did you mean 'Caller Name'?"),
        (('date = "Call Date"\n', ''), "columns.date", "name started_at, or date and time"),
        (('call_id = "Interaction ID"', 'ai_minutes = "Talk"'), "columns.ivr_minutes",
         "give ivr_minutes or ai_minutes, not both"),
        (('none = ["0:00:00"]', 'nothing = ["0:00:00"]'), "nothing",
         "allowed: columns, values, units, none, personal"),
        (('[values.direction]', '[values.trigger]\nx = "y"\n[values.direction]'),
         "values.trigger", "allowed: outcome, handled_by, direction, converted"),
    ],
)  # fmt: skip
def test_mapping_mistakes_name_the_file_key_and_what_is_allowed(files, tmp_path, edit, key,
                                                                  allowed):  # fmt: skip
    old, new = edit
    assert old in MAPPING_TOML
    export = _planted_export(files[1])
    message = _mistake(export, MAPPING_TOML.replace(old, new), tmp_path)
    assert message.startswith(f"mapping acme_map.toml: {key}: "), message
    assert allowed in message
    _assert_no_cells(message, export)


def test_a_missing_column_lists_the_file_headers(files, tmp_path):
    export = _planted_export(files[1])
    message = _mistake(export, MAPPING_TOML.replace('"Skill"', '"Team Name"'), tmp_path)
    assert "calls.csv has no column 'Team Name'" in message
    assert "its columns are: Interaction ID, Call Date, Call Time" in message


def test_several_mistakes_are_one_message_with_key_paths():
    with pytest.raises(MappingError) as info:
        CallLogMapping(
            columns={"started_at": "Start", "outcom": "Disp"},
            units={"handle_minutes": "parsecs"},
            values={"handled_by": {"VRU": "robot"}},
        )
    assert [key for key, _ in info.value.issues] == [
        "columns.outcom",
        "values.handled_by",
        "values.handled_by.VRU",
        "units.handle_minutes",
    ]
    assert re.match(r"mapping <mapping>: 4 mistakes:\n  columns\.outcom: ", str(info.value))


# --- The segment (priority) and agent columns. ---

_SEGMENT_CSV = (
    "Start,Prio,Agent Name,Disp\n"
    + "".join(f"2024-03-04 09:{m:02d},VIP,Dana Synthetic,ANS\n" for m in range(4))
    + "".join(f"2024-03-04 10:{m:02d},REG,Lee Fictional,ANS\n" for m in range(4))
)


def _segment_mapping(**extra) -> CallLogMapping:
    return CallLogMapping.from_dict({
        "columns": {"started_at": "Start", "segment": "Prio", "agent": "Agent Name",
                    "outcome": "Disp"},
        "values": {"outcome": {"ANS": "answered"},
                   "segment": {"VIP": "priority", "REG": "standard"}},
        **extra,
    })  # fmt: skip


def test_segment_and_agent_columns_read_through_a_mapping():
    """Coded segments become segment names; agents become numbers in memory and their names
    appear nowhere (not in the frame, the summary or the check)."""
    mapping = _segment_mapping(segment_order=["priority", "standard"])
    log = read_call_log(io.StringIO(_SEGMENT_CSV), mapping=mapping)
    assert log.frame["segment"].tolist() == ["priority"] * 4 + ["standard"] * 4
    assert log.frame["agent"].tolist() == [0.0] * 4 + [1.0] * 4
    assert log.segment_order == ("priority", "standard")
    check = check_mapping(io.StringIO(_SEGMENT_CSV), mapping)
    shown = check.to_text() + log.summary() + log.frame.to_csv()
    assert "Dana" not in shown
    assert "Lee" not in shown
    assert "segment" in check.rows.columns
    assert "agent" not in check.rows.columns
    again = CallLogMapping.from_dict(tomllib.loads(mapping.to_toml()))
    assert again == mapping


@pytest.mark.parametrize(
    ("extra", "key", "why"),
    [({"segment_order": ["priority"]}, "segment_order", "does not rank standard"),
     ({"segment_order": ["Priority", "standard"]}, "segment_order", "not a segment name"),
     ({"segment_order": ["priority", "priority", "standard"]}, "segment_order", "not repeat")],
)  # fmt: skip
def test_segment_order_mistakes_name_the_key(extra, key, why):
    with pytest.raises(MappingError) as info:
        _segment_mapping(**extra)
    assert f"{key}: " in str(info.value)
    assert why in str(info.value)


def test_a_segment_value_must_be_a_segment_name():
    with pytest.raises(MappingError, match=r"values\.segment\.VIP: not a lab segment"):
        CallLogMapping.from_dict({
            "columns": {"started_at": "Start", "segment": "Prio"},
            "values": {"segment": {"VIP": "Top Tier!"}},
        })  # fmt: skip


def test_the_readme_mapping_example_reads_an_export_in_its_layout():
    """The README's mapping example is a working file: it loads, and an export with its headers
    (separate date and time, an h:mm:ss IVR stage, coded outcomes and priorities, an agent id,
    a notes column) reads with every value recoded and the notes and agent ids nowhere."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Any export, through a mapping\.\*\*.*?```toml\n(.*?)```", readme, re.S)
    assert block is not None
    mapping = CallLogMapping.from_dict(tomllib.loads(block.group(1)))
    rows = ["Interaction ID,Call Date,Call Time,VRU Time,Queue Start,Agent Answer,Disp,"
            "Agent ID,Priority,Caller Notes"]  # fmt: skip
    for k in range(8):
        minute = 10 + k
        rows.append(
            f"I{k:03d},2025-03-04,09:{minute:02d}:00,0:01:30,2025-03-04 09:{minute + 1:02d}:30,"
            f"2025-03-04 09:{minute + 2:02d}:00,ANS,agent-{k % 2},{'P1' if k < 3 else 'P2'},"
            "call me at 555-010-2234"
        )
    log = read_call_log(io.StringIO("\n".join(rows) + "\n"), mapping=mapping)
    frame = log.frame
    assert len(frame) == 8
    assert frame["segment"].tolist() == ["priority"] * 3 + ["standard"] * 5
    assert log.segment_order == ("priority", "standard")
    assert set(frame["outcome"]) == {"connected"}
    assert np.allclose(frame["ai_minutes"], 1.5)  # the IVR stage, in minutes
    shown = frame.to_csv() + log.summary()
    assert "555-010-2234" not in shown
    assert "agent-1" not in shown
