"""An agency's call log: reading and checking a phone-system export, and making synthetic ones.

:func:`read_call_log` reads a CSV export (one row per call) into a :class:`CallLog`: the usable
calls in one tidy frame (times turned into local clock time and durations in minutes), the rows
that could not be used with their CSV line numbers and the reason, and what was dropped.

**Columns** (header names are matched ignoring case, spaces and punctuation; the aliases listed
in :data:`COLUMNS` are accepted; only ``started_at`` is required):

- ``call_id``; ``started_at`` (or separate ``date`` and ``time`` columns); ``direction``
  (inbound/outbound, default inbound); ``call_type``; ``handled_by`` (ai/human);
- AI conversation: ``ai_minutes`` (a duration) or ``ai_ended_at`` (a time);
- transfer: ``trigger``, ``transferred_at``, ``answered_at``, ``ended_at`` (hang-up time for
  callers who hung up), or ``wait_minutes`` instead of the answer/hang-up times;
- producer: ``producer_group``, ``handle_minutes``, ``wrap_up_minutes``, ``reason_code``,
  ``converted``; and ``outcome`` (contained, connected, abandoned, failed, no_producer,
  voicemail, no_answer; common wordings such as "answered" or "hung up" are understood; a blank
  outcome is inferred from the times).

**Times** are ISO 8601 or US month/day text; with a UTC offset (``2024-03-04T08:03:12-06:00``)
they are converted to the agency's ``timezone`` when one is given, and read as written
otherwise; without an offset they are the agency's local clock time. **Durations** are
``mm:ss`` / ``h:mm:ss`` text or plain numbers in the unit the column name says
(``handle_seconds``, ``AI Duration (s)``, ``wrap_up_minutes``); numbers in a column without a
unit in its name are read in ``duration_unit`` (seconds by default, as phone systems export).

**Personal data never enters the lab.** Columns holding names, phone numbers, e-mail addresses
or other personal or free-text data are dropped while reading and never copied into the frame;
with ``caller_key=True`` a salted hash of the caller's phone number (or e-mail) is kept as
``caller_key`` so repeat callers can be counted without knowing who they are. Any e-mail
address or phone number found inside a kept text column is replaced by ``[redacted]``, and
problem messages never quote personal values. Columns the lab does not know are ignored.

:func:`synthetic_log` runs the simulation on a known scenario and renders its calls as such an
export, with Faker-made (seeded, fictitious) callers: the input of the round-trip tests.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Literal

import numpy as np
import pandas as pd

from sim.scenario import TIME_ZONES, Scenario

__all__ = [
    "COLUMNS",
    "IANA_ZONES",
    "OUTCOME_WORDS",
    "PERSONAL_COLUMNS",
    "CalibrationError",
    "CallLog",
    "RowProblem",
    "from_frame",
    "lab_zone",
    "normalise_name",
    "read_call_log",
    "redact",
    "synthetic_log",
    "write_call_log",
]


class CalibrationError(ValueError):
    """A call log that cannot be used (no readable calls, a required column missing, too little
    data to fit), with a message for the user."""


@dataclass(frozen=True)
class RowProblem:
    """A row left out of the fit: its 1-based line in the CSV file (the header is line 1), the
    column (as headed in the file; empty for the row as a whole) and why."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


IANA_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AKT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}
"""The IANA time zone of each of the lab's agency time zones."""

# Canonical column -> (kind, aliases). Aliases are compared after :func:`normalise_name`;
# duration aliases are compared after a unit suffix (``_seconds``, ``_min`` …) is taken off.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "call_id": ("id", (
        "call_id", "id", "callid", "call_sid", "uniqueid", "unique_id", "call_uuid", "uuid",
        "interaction_id", "session_id", "call_reference", "call_ref",
    )),
    "started_at": ("time", (
        "started_at", "start", "start_time", "started", "call_start", "call_start_time",
        "call_started", "call_started_at", "start_date_time", "start_datetime", "date_time",
        "datetime", "call_date_time", "call_datetime", "timestamp", "arrival", "arrival_time",
        "arrived_at", "received_at", "call_received", "begin_time", "start_timestamp",
    )),
    "date": ("text", ("date", "call_date", "start_date")),
    "time": ("text", ("time", "call_time", "time_of_call")),
    "direction": ("text", ("direction", "call_direction", "dir", "inbound_outbound")),
    "call_type": ("text", (
        "call_type", "type", "category", "call_category", "call_reason", "reason_for_call",
        "intent", "line_of_business", "topic", "call_type_name",
    )),
    "handled_by": ("text", (
        "handled_by", "intake", "intake_by", "handler", "first_handler", "agent_type", "path",
        "answered_by",
    )),
    "ai_ended_at": ("time", (
        "ai_ended_at", "ai_end", "ai_end_time", "ai_ended", "ai_end_at", "bot_end_time",
        "bot_ended_at",
    )),
    "ai_minutes": ("duration", (
        "ai", "ai_talk", "ai_talk_time", "ai_duration", "ai_time", "bot_duration",
        "bot_talk_time", "ai_handle_time", "ai_conversation", "ai_conversation_time",
    )),
    "trigger": ("text", (
        "trigger", "transfer_trigger", "escalation_trigger", "escalation_reason", "escalation",
        "trigger_name",
    )),
    "transferred_at": ("time", (
        "transferred_at", "transfer_at", "transfer_time", "transfer_requested_at",
        "transfer_start", "escalated_at", "escalation_time", "queued_at", "queue_start",
        "queue_start_time", "enqueued_at", "transfer_requested",
    )),
    "answered_at": ("time", (
        "answered_at", "answer_at", "answer_time", "answered", "agent_answered_at",
        "connected_at", "connect_time", "picked_up_at", "pickup_time", "bridged_at",
        "producer_answered_at",
    )),
    "ended_at": ("time", (
        "ended_at", "end_at", "end_time", "ended", "call_end", "call_end_time", "end",
        "hung_up_at", "hangup_at", "hangup_time", "hang_up_time", "disconnected_at",
        "disconnect_time", "completed_at", "call_ended_at",
    )),
    "wait_minutes": ("duration", (
        "wait", "wait_time", "queue_time", "time_in_queue", "hold_time", "queue_duration",
        "wait_duration", "time_to_answer", "speed_of_answer", "queue_wait",
    )),
    "outcome": ("text", (
        "outcome", "disposition", "result", "call_result", "status", "call_status",
        "final_status", "call_outcome",
    )),
    "producer_group": ("text", (
        "producer_group", "group", "team", "queue", "agent_group", "skill", "skill_group",
        "producer_team", "destination", "department", "queue_name", "hunt_group",
    )),
    "handle_minutes": ("duration", (
        "handle", "handle_time", "agent_talk_time", "producer_talk_time", "agent_handle_time",
        "aht", "handle_duration", "producer_handle_time", "agent_talk", "producer_talk",
        "agent_duration", "producer_duration",
    )),
    "wrap_up_minutes": ("duration", (
        "wrap_up", "wrapup", "wrap", "wrap_time", "wrap_up_time", "wrapup_time", "acw",
        "acw_time", "after_call_work", "after_call_work_time", "after_call",
    )),
    "reason_code": ("text", (
        "reason_code", "reason", "wrap_code", "disposition_code", "transfer_reason",
        "reason_for_transfer", "wrap_up_code", "tag", "call_tag", "reason_tag",
    )),
    "converted": ("text", (
        "converted", "sale", "sold", "conversion", "appointment", "appointment_set",
        "application", "policy_sold",
    )),
}
"""Every column the lab reads: canonical name → (kind, accepted aliases)."""

PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "caller_name", "customer_name", "contact_name", "full_name", "first_name",
        "last_name", "caller", "customer", "client_name", "lead_name", "client", "contact",
        "agent_name", "producer_name", "agent",
    ),
    "phone": (
        "phone", "phone_number", "caller_phone", "caller_id", "callerid", "ani", "from",
        "from_number", "caller_number", "mobile", "cell", "telephone", "contact_number",
        "customer_phone", "to", "to_number", "dnis", "callback_number", "number",
    ),
    "email": ("email", "e_mail", "email_address", "caller_email", "customer_email", "mail"),
    "other": (
        "address", "street", "street_address", "ssn", "social_security_number", "dob",
        "date_of_birth", "birth_date", "birthday", "policy_number", "account_number",
        "notes", "note", "comments", "comment", "transcript", "summary", "recording",
        "recording_url", "ip", "ip_address",
    ),
}
"""Personal or free-text columns: dropped on import (phone/e-mail may feed ``caller_key``)."""

OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "contained": (
        "contained", "resolved_by_ai", "ai_resolved", "resolved", "self_service",
        "handled_by_ai", "ai_contained", "completed_by_ai", "containment", "ai_handled",
    ),
    "connected": (
        "connected", "answered", "transferred", "bridged", "completed", "handled",
        "answered_by_producer", "transfer_completed", "warm_transfer", "completed_transfer",
    ),
    "abandoned": (
        "abandoned", "abandon", "hung_up", "caller_hung_up", "caller_abandoned", "hangup",
        "hang_up", "abandoned_in_queue", "dropped_in_queue", "queue_abandoned",
    ),
    "failed": ("failed", "transfer_failed", "bridge_failed", "failed_transfer", "error"),
    "no_producer": (
        "no_producer", "no_agent", "no_agents", "unstaffed", "no_one_available",
        "nobody_available", "after_hours", "closed",
    ),
    "voicemail": ("voicemail", "left_voicemail", "to_voicemail", "vm", "callback_requested"),
    "no_answer": ("no_answer", "not_answered", "unanswered", "busy", "outbound_no_answer"),
}
"""Outcome labels the lab uses → the wordings it accepts for them."""

_DIRECTION_WORDS = {
    "inbound": ("inbound", "in", "incoming", "inbound_call", "i", "inb"),
    "outbound": ("outbound", "out", "outgoing", "outbound_call", "o", "outb", "dialled", "dialed"),
}
_HANDLER_WORDS = {
    "ai": ("ai", "bot", "voice_ai", "virtual_agent", "va", "ai_agent", "assistant", "voicebot"),
    "human": (
        "human", "agent", "person", "receptionist", "live", "live_agent", "csr", "staff",
        "producer", "operator",
    ),
}
_BOOL_WORDS = {
    True: ("yes", "y", "true", "t", "1", "sold", "converted", "sale", "x"),
    False: ("no", "n", "false", "f", "0", "not_sold", "none", "no_sale"),
}

_UNIT_SUFFIXES = (
    ("seconds", 1 / 60), ("secs", 1 / 60), ("sec", 1 / 60), ("s", 1 / 60),
    ("minutes", 1.0), ("mins", 1.0), ("min", 1.0), ("m", 1.0),
    ("hours", 60.0), ("hrs", 60.0), ("hr", 60.0), ("h", 60.0),
    ("ms", 1 / 60_000), ("milliseconds", 1 / 60_000),
)
_UNITS = {"seconds": 1 / 60, "minutes": 1.0}

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
_OFFSET_RE = re.compile(r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_HAS_CLOCK_RE = re.compile(r"\d:\d{2}")
_CLOCK_DURATION_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_MAX_MINUTES = 24 * 60.0


def normalise_name(text: str) -> str:
    """A header or label compared ignoring case, spacing and punctuation: ``"Start Time"``,
    ``"start-time"`` and ``"START_TIME"`` all become ``"start_time"``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def redact(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by ``[redacted]``."""
    return _PHONE_RE.sub("[redacted]", _EMAIL_RE.sub("[redacted]", text))


def _lookup(words: dict, value: str):
    key = normalise_name(value)
    for label, options in words.items():
        if key in options:
            return label
    return None


_ALIAS = {alias: canon for canon, (_, aliases) in COLUMNS.items() for alias in aliases}
_PERSONAL = {alias: kind for kind, aliases in PERSONAL_COLUMNS.items() for alias in aliases}


def _match_header(header: str) -> tuple[str | None, float | None, str | None]:
    """(canonical column, minutes per unit written in the name, personal kind) of a header."""
    name = normalise_name(header)
    if name in _ALIAS and COLUMNS[_ALIAS[name]][0] != "duration":
        return _ALIAS[name], None, None
    for suffix, factor in _UNIT_SUFFIXES:
        base = name.removesuffix("_" + suffix)
        if base != name and base in _ALIAS and COLUMNS[_ALIAS[base]][0] == "duration":
            return _ALIAS[base], factor, None
    if name in _ALIAS:
        return _ALIAS[name], None, None
    if name in _PERSONAL:
        return None, None, _PERSONAL[name]
    return None, None, None


@dataclass
class CallLog:
    """A call log read into the lab: the usable calls, the rows left out, and what was dropped.

    ``frame`` has one row per usable call, with ``line`` (its CSV line), ``call_id``,
    ``started_at`` (local clock time, naive), ``date``, ``weekday`` (0 = Monday),
    ``minute_of_day``, ``direction``, ``call_type``, ``handled_by``, ``outcome``, ``trigger``,
    ``producer_group``, ``reason_code``, ``converted`` and the durations in minutes
    ``ai_minutes``, ``transfer_minutes`` (start to transfer request), ``wait_minutes``
    (transfer request to answer, or to hang-up), ``handle_minutes``, ``wrap_up_minutes``
    (NaN where the log does not say), plus ``caller_key`` when asked for. No personal data."""

    frame: pd.DataFrame
    problems: list[RowProblem]
    rows_read: int
    source: str = "<call log>"
    columns: dict[str, str] = field(default_factory=dict)
    """Canonical column → the header it was read from."""
    personal_columns: list[str] = field(default_factory=list)
    """Headers of personal columns that were dropped (or hashed into ``caller_key``)."""
    ignored_columns: list[str] = field(default_factory=list)
    """Headers the lab does not read (dropped unread)."""
    notes: list[str] = field(default_factory=list)
    redacted_values: int = 0
    """Text cells in kept columns in which an e-mail or phone number was redacted."""
    timezone: str | None = None

    @property
    def rows_used(self) -> int:
        return len(self.frame)

    @property
    def rows_with_problems(self) -> int:
        return len({p.line for p in self.problems})

    def summary(self, max_problems: int = 20) -> str:
        """A few lines for people: rows read and used, what was dropped, the first problems."""
        lines = [
            f"{self.source}: {self.rows_read:,} rows read, {self.rows_used:,} used, "
            f"{self.rows_with_problems:,} left out (listed below)."
            if self.problems
            else f"{self.source}: {self.rows_read:,} rows read, {self.rows_used:,} used."
        ]
        if self.personal_columns:
            lines.append("Personal columns dropped on import: " + ", ".join(self.personal_columns))
        if self.ignored_columns:
            lines.append("Columns not used: " + ", ".join(self.ignored_columns))
        if self.redacted_values:
            lines.append(f"{self.redacted_values} text cells had a phone number or e-mail "
                         "redacted.")
        lines.extend(self.notes)
        for problem in self.problems[:max_problems]:
            lines.append(f"  {problem}")
        if len(self.problems) > max_problems:
            lines.append(f"  … and {len(self.problems) - max_problems} more problems")
        return "\n".join(lines)


def read_call_log(
    path_or_buffer: str | os.PathLike | IO[str] | IO[bytes],
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    caller_key: bool = False,
    salt: bytes | None = None,
) -> CallLog:
    """Read a call-log CSV (path or open file). See the module docstring for the columns.

    ``timezone`` is the agency's zone (a lab zone such as ``"CT"`` or an IANA name such as
    ``"America/Chicago"``). ``caller_key`` keeps a salted hash of the caller's phone number (or
    e-mail) as a caller key; ``salt`` defaults to a fresh random one, so keys are comparable
    within one import only. Raises :class:`CalibrationError` when nothing usable can be read.
    """
    if isinstance(path_or_buffer, str | os.PathLike):
        path = Path(path_or_buffer)
        source = path.name
        if not path.is_file():
            raise CalibrationError(f"{path}: no such file")
        data: str | bytes = path.read_bytes()
    else:
        source = str(getattr(path_or_buffer, "name", "<call log>"))
        data = path_or_buffer.read()
    notes: list[str] = []
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            notes.append("The file is not UTF-8; it was read as Windows-1252.")
    else:
        text = data.removeprefix("\ufeff")
    header, rows, lines, problems = _split_csv(text, source)
    return _normalise(
        header, rows, lines, problems, source, timezone, duration_unit, caller_key, salt, notes
    )


def from_frame(
    df: pd.DataFrame,
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    caller_key: bool = False,
    salt: bytes | None = None,
    source: str = "<data frame>",
) -> CallLog:
    """Read a call log already in a DataFrame (one row per call, the same columns as the CSV).
    Row *i* is reported as line *i* + 2, its line had the frame been written to CSV."""
    header = [str(c) for c in df.columns]
    rows = []
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.map(lambda t: "" if pd.isna(t) else t.isoformat())
        rows.append(["" if pd.isna(v) else str(v) for v in values])
    table = [list(r) for r in zip(*rows, strict=True)] if rows else []
    lines = list(range(2, len(df) + 2))
    return _normalise(
        header, table, lines, [], source, timezone, duration_unit, caller_key, salt, []
    )


def _split_csv(text: str, source: str):
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows, lines, problems = [], [], []
    prev = 0
    try:
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            if len(row) != len(header):
                problems.append(
                    RowProblem(start, "", f"{len(row)} fields, but the header has {len(header)}")
                )
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        raise CalibrationError(f"{source}: line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise CalibrationError(f"{source}: the file is empty (no header row)")
    return header, rows, lines, problems


def _zone(timezone: str | None) -> str | None:
    if timezone is None:
        return None
    zone = IANA_ZONES.get(timezone.upper(), timezone)
    try:
        pd.Timestamp("2024-01-15").tz_localize(zone)
    except Exception:  # any unknown zone name is the user's mistake
        raise CalibrationError(
            f"unknown time zone {timezone!r}: use ET, CT, MT, PT, AKT, HT or an IANA name such "
            "as America/Chicago"
        ) from None
    return zone


def lab_zone(timezone: str | None) -> str | None:
    """The lab's zone name (``"CT"``…) whose standard time matches ``timezone``, if any."""
    zone = _zone(timezone)
    if zone is None:
        return None
    offset = pd.Timestamp("2024-01-15 12:00").tz_localize(zone).utcoffset().total_seconds() / 3600
    return next((name for name, hours in TIME_ZONES.items() if hours == offset), None)


def _normalise(
    header, rows, lines, problems, source, timezone, duration_unit, caller_key, salt, notes
) -> CallLog:
    if duration_unit not in _UNITS:
        raise CalibrationError(
            f"duration_unit must be 'seconds' or 'minutes', not {duration_unit!r}"
        )
    zone = _zone(timezone)
    # --- which header is which column ---
    columns: dict[str, int] = {}
    units: dict[str, float] = {}
    personal: list[str] = []
    personal_idx: dict[str, list[int]] = {"phone": [], "email": [], "name": []}
    ignored: list[str] = []
    for i, head in enumerate(header):
        canon, factor, kind = _match_header(head)
        if canon is not None and canon not in columns:
            columns[canon] = i
            if factor is not None:
                units[canon] = factor
        elif canon is not None:
            ignored.append(head)
            notes.append(f"Column {head!r} repeats {header[columns[canon]]!r}; the first is used.")
        elif kind is not None:
            personal.append(head)
            personal_idx.setdefault(kind, []).append(i)
        else:
            ignored.append(head)
    if "started_at" not in columns and not {"date", "time"} <= set(columns):
        shown = ", ".join(h for h in header if h) or "none"
        raise CalibrationError(
            f"{source}: no call start time column: name one started_at (or Start Time, "
            f"call_start, …) or give date and time columns. Columns found: {shown}"
        )
    n = len(rows)
    raw = {
        canon: pd.Series([row[i].strip() for row in rows], dtype=object) for canon, i in
        columns.items()
    }
    line_arr = np.asarray(lines, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    probs: list[tuple[int, int, str, str]] = []  # (row, order, column, reason)

    def flag(mask: np.ndarray, canon: str, reason, values: pd.Series | None = None) -> None:
        head = header[columns[canon]] if canon in columns else canon
        for k in np.flatnonzero(mask):
            text = reason(values.iloc[k]) if callable(reason) else reason
            probs.append((int(k), len(probs), head, text))
        bad[mask] = True

    def shown(value: str) -> str:
        value = redact(str(value))
        return repr(value if len(value) <= 40 else value[:37] + "…")

    def blank(canon: str) -> np.ndarray:
        if canon not in raw:
            return np.ones(n, dtype=bool)
        return (raw[canon] == "").to_numpy()

    # --- times ---
    if "started_at" not in raw:
        raw["started_at"] = (raw["date"] + " " + raw["time"]).str.strip()
        columns["started_at"] = columns["date"]
        header = [*header]
        header[columns["started_at"]] = f"{header[columns['date']]} + {header[columns['time']]}"
    instants: dict[str, np.ndarray] = {}
    local = None
    offsets_seen: set[float] = set()
    for canon in ("started_at", "ai_ended_at", "transferred_at", "answered_at", "ended_at"):
        if canon not in raw:
            instants[canon] = np.full(n, np.nan)
            continue
        inst, wall, unreadable, gap, offs = _parse_times(raw[canon], zone)
        offsets_seen |= offs
        flag(unreadable, canon, lambda v: f"cannot read the time {shown(v)}", raw[canon])
        flag(gap, canon, "falls in a daylight-saving clock change of the time zone")
        instants[canon] = inst
        if canon == "started_at":
            local = wall
    missing_start = blank("started_at")
    flag(missing_start, "started_at", "no call start time")
    if offsets_seen == {0.0} and zone is None:
        notes.append(
            "Times are in UTC and no time zone was given: open hours and the intraday profile "
            "are in UTC. Pass the agency's time zone (e.g. --timezone CT) to get local hours."
        )
    # --- durations (minutes) ---
    durations: dict[str, np.ndarray] = {}
    for canon in ("ai_minutes", "wait_minutes", "handle_minutes", "wrap_up_minutes"):
        if canon not in raw:
            durations[canon] = np.full(n, np.nan)
            continue
        factor = units.get(canon, _UNITS[duration_unit])
        values, unreadable = _parse_durations(raw[canon], factor)
        flag(unreadable, canon, lambda v: f"cannot read the duration {shown(v)}", raw[canon])
        flag(values < 0, canon, "negative duration")
        flag(values > _MAX_MINUTES, canon,
             "longer than a day: check the unit (seconds vs minutes)")
        durations[canon] = values
    # --- labels ---
    def choice(canon: str, words: dict, default, what: str) -> np.ndarray:
        out = np.full(n, default, dtype=object)
        if canon not in raw:
            return out
        values = raw[canon]
        mapped = values.map(lambda v: _lookup(words, v) if v else default)
        unknown = mapped.isna().to_numpy() & ~blank(canon)
        allowed = ", ".join(str(k) for k in words)
        flag(unknown, canon, lambda v: f"unknown {what} {shown(v)} (use {allowed})", values)
        out[~unknown] = mapped[~unknown].to_numpy()
        return out

    direction = choice("direction", _DIRECTION_WORDS, "inbound", "direction")
    handled = choice("handled_by", _HANDLER_WORDS, None, "handler")
    outcome = choice("outcome", OUTCOME_WORDS, None, "outcome")
    converted = choice("converted", _BOOL_WORDS, None, "converted value")

    redacted = 0

    def text(canon: str, snake: bool) -> np.ndarray:
        nonlocal redacted
        if canon not in raw:
            return np.full(n, None, dtype=object)
        values = raw[canon]
        clean = values.map(redact)
        redacted += int((clean != values).sum())
        if snake:
            clean = clean.map(normalise_name)
        return np.where(clean.to_numpy() == "", None, clean.to_numpy()).astype(object)

    call_type = text("call_type", snake=True)
    trigger = text("trigger", snake=True)
    group = text("producer_group", snake=False)
    reason = text("reason_code", snake=False)
    call_id = text("call_id", snake=False)
    if "call_id" in raw:
        pii_id = raw["call_id"].map(redact) != raw["call_id"]
        if pii_id.any():
            call_id[pii_id.to_numpy()] = [
                _hash(v, salt or b"call-id") for v in raw["call_id"][pii_id]
            ]
            redacted -= int(pii_id.sum())
            notes.append(f"{int(pii_id.sum())} call ids looked like phone numbers or e-mail "
                         "addresses and were replaced by hashes.")
    # --- derived minutes ---
    start = instants["started_at"]
    ai_talk = durations["ai_minutes"].copy()
    from_end = instants["ai_ended_at"] - start
    ai_talk = np.where(np.isnan(ai_talk), from_end, ai_talk)
    transfer = instants["transferred_at"] - start
    answered_t = instants["answered_at"] - instants["transferred_at"]
    ended_t = instants["ended_at"] - instants["transferred_at"]
    slack = 1.0 / 60  # one second of rounding
    flag(transfer < -slack, "transferred_at", "before the call started")
    flag(answered_t < -slack, "answered_at", "before the transfer was requested")
    flag(instants["ended_at"] - start < -slack, "ended_at", "before the call started")
    flag(from_end < -slack, "ai_ended_at", "before the call started")
    transfer = np.clip(transfer, 0, None)
    # --- handler and outcome inference ---
    offered = ~np.isnan(transfer) | pd.notna(trigger)
    answered = ~np.isnan(instants["answered_at"]) | ~np.isnan(durations["handle_minutes"])
    unknown_handler = pd.isna(handled)
    ai_sign = ~np.isnan(ai_talk) | (outcome == "contained")
    handled[unknown_handler & ai_sign] = "ai"
    handled[unknown_handler & ~ai_sign] = "human"
    no_outcome = pd.isna(outcome)
    outcome[no_outcome & answered] = "connected"
    outcome[no_outcome & ~answered & offered] = "abandoned"
    outcome[no_outcome & ~answered & ~offered & (handled == "ai")] = "contained"
    still = pd.isna(outcome) & ~bad
    flag(still, "outcome", "no outcome, and no transfer or AI time to infer it from")
    if no_outcome.any() and "outcome" in columns:
        notes.append(f"{int(no_outcome.sum())} blank outcomes were inferred from the times.")
    flag((outcome == "contained") & (handled == "human"), "outcome",
         "contained (resolved by the AI) but handled by a human")
    # --- waits ---
    wait = durations["wait_minutes"].copy()
    after = np.where(answered, answered_t, np.where(np.isin(outcome, ["abandoned", "no_producer",
                                                                      "voicemail"]), ended_t,
                                                    np.nan))
    wait = np.where(np.isnan(wait), after, wait)
    flag(~answered & (ended_t < -slack) & np.isnan(durations["wait_minutes"]), "ended_at",
         "the caller hung up before the transfer was requested")
    wait = np.clip(wait, 0, None)
    handle = durations["handle_minutes"].copy()
    from_answer = instants["ended_at"] - instants["answered_at"]
    flag((outcome == "connected") & (from_answer < -slack), "ended_at", "before it was answered")
    handle = np.where(np.isnan(handle) & (outcome == "connected"), from_answer, handle)
    if "handle_minutes" not in raw and "answered_at" in raw and "ended_at" in raw:
        notes.append("Handle time is taken as answered_at to ended_at (it includes the AI's "
                     "whisper, if any).")
    # --- duplicates ---
    if "call_id" in raw:
        ids = pd.Series(call_id)
        dup = (ids.duplicated() & ids.notna()).to_numpy()
        flag(dup, "call_id", "repeats an earlier call id")
    # --- caller key (hash only; the personal values are dropped right here) ---
    keys = None
    if caller_key:
        salt = salt if salt is not None else os.urandom(16)
        sources = personal_idx.get("phone", []) + personal_idx.get("email", [])
        if not sources:
            notes.append("caller_key asked for, but the log has no phone or e-mail column.")
        else:
            keys = np.array([_caller_key(row, sources, salt) for row in rows], dtype=object)
    # --- assemble ---
    frame = pd.DataFrame(
        {
            "line": line_arr,
            "call_id": call_id,
            "started_at": local,
            "direction": direction,
            "call_type": call_type,
            "handled_by": handled,
            "outcome": outcome,
            "trigger": trigger,
            "producer_group": group,
            "reason_code": reason,
            "converted": converted,
            "ai_minutes": ai_talk,
            "transfer_minutes": transfer,
            "wait_minutes": wait,
            "handle_minutes": handle,
            "wrap_up_minutes": durations["wrap_up_minutes"],
            "start_minute": start,
        }
    )
    if keys is not None:
        frame["caller_key"] = keys
    frame = frame[~bad].reset_index(drop=True)
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    frame["date"] = frame["started_at"].dt.normalize()
    frame["weekday"] = frame["started_at"].dt.day_of_week
    frame["minute_of_day"] = (
        frame["started_at"].dt.hour * 60 + frame["started_at"].dt.minute
        + frame["started_at"].dt.second / 60
    )
    probs.sort()
    row_problems = problems + [RowProblem(int(line_arr[k]), col, why) for k, _, col, why in probs]
    row_problems.sort(key=lambda p: p.line)
    return CallLog(
        frame=frame,
        problems=row_problems,
        rows_read=n + len(problems),
        source=source,
        columns={canon: header[i] for canon, i in columns.items()},
        personal_columns=personal,
        ignored_columns=ignored,
        notes=notes,
        redacted_values=redacted,
        timezone=zone,
    )


def _hash(value: str, salt: bytes) -> str:
    return hashlib.blake2b(value.encode(), key=salt[:64], digest_size=8).hexdigest()


def _caller_key(row: list[str], sources: list[int], salt: bytes) -> str | None:
    for i in sources:
        value = row[i].strip()
        if not value:
            continue
        digits = re.sub(r"\D", "", value)
        key = digits[-10:] if "@" not in value and len(digits) >= 7 else value.lower()
        return _hash(key, salt)
    return None


def _parse_times(values: pd.Series, zone: str | None):
    """Instants (minutes since 1970 UTC), local wall clock, unreadable / DST-gap masks, and the
    set of UTC offsets (minutes) seen."""
    n = len(values)
    present = (values != "").to_numpy()
    match = values.str.extract(_OFFSET_RE, expand=False)
    has_clock = values.str.contains(_HAS_CLOCK_RE).to_numpy()
    aware = match.notna().to_numpy() & has_clock & present
    wall_text = values.where(~aware, values.str.replace(_OFFSET_RE, "", regex=True))
    wall = pd.to_datetime(wall_text.where(present), format="ISO8601", errors="coerce")
    retry = wall.isna().to_numpy() & present
    if retry.any():
        wall[retry] = pd.to_datetime(wall_text[retry], format="mixed", errors="coerce")
    wall = wall.astype("datetime64[ns]")
    unreadable = wall.isna().to_numpy() & present
    offset = np.full(n, np.nan)
    if aware.any():
        offset[aware] = [_offset_minutes(m) for m in match[aware]]
    epoch = pd.Timestamp("1970-01-01")
    wall_min = ((wall - epoch) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)
    inst = np.where(aware, wall_min - offset, wall_min)
    gap = np.zeros(n, dtype=bool)
    local = wall.copy()
    if zone is not None:
        naive = ~aware & ~unreadable & present
        if naive.any():
            loc = wall[naive].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
            gap[naive] = loc.isna().to_numpy()
            utc = loc.dt.tz_convert("UTC").dt.tz_localize(None)
            inst[naive] = ((utc - epoch) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)
        if aware.any():
            ok = aware & ~unreadable
            utc = pd.DatetimeIndex(wall[ok]) - pd.to_timedelta(offset[ok], unit="min")
            conv = utc.tz_localize("UTC").tz_convert(zone).tz_localize(None)
            local[ok] = conv.astype("datetime64[ns]")
    inst[unreadable | gap | ~present] = np.nan
    offsets = set(np.unique(offset[aware & ~unreadable]).tolist())
    return inst, local.to_numpy(), unreadable, gap, offsets


def _offset_minutes(text: str) -> float:
    text = text.strip().upper()
    if text in ("Z", "UTC", "GMT"):
        return 0.0
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * (hours * 60 + minutes)


def _parse_durations(values: pd.Series, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Durations in minutes from ``mm:ss`` / ``h:mm:ss`` text or numbers × ``factor``."""
    n = len(values)
    out = np.full(n, np.nan)
    unreadable = np.zeros(n, dtype=bool)
    numbers = pd.to_numeric(values.str.replace(",", "", regex=False), errors="coerce")
    is_num = numbers.notna().to_numpy()
    out[is_num] = numbers[is_num].to_numpy(dtype=float) * factor
    for k in np.flatnonzero(~is_num & (values != "").to_numpy()):
        m = _CLOCK_DURATION_RE.match(values.iloc[k])
        if m is None:
            unreadable[k] = True
            continue
        hours, mins, secs = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
        if secs >= 60 or (m.group(1) and mins >= 60):
            unreadable[k] = True
            continue
        out[k] = hours * 60 + mins + secs / 60
    return out, unreadable


# ---------------------------------------------------------------------------------------------
# Synthetic call logs


DEFAULT_REASON_CODES = {
    "qualified_interest": "New business",
    "coverage_mismatch": "Coverage question",
    "complex_pricing": "Pricing / quote",
    "human_request": "Escalation request",
}
"""Reason code a producer tags a transfer with, by trigger, in synthetic logs."""


def synthetic_log(
    scenario: Scenario,
    seed: int,
    replications: int = 1,
    start: date | str = "2024-03-04",
    misroute_codes: dict[str, tuple[str, float]] | None = None,
) -> pd.DataFrame:
    """A phone-system export of ``scenario``'s simulated calls, with fictitious callers.

    Replication *r* covers the open days after replication *r* − 1, on the calendar from
    ``start`` (open days run Monday on, ``hours.days_per_week`` a week). Every conversation
    (inbound call, answered outbound dial) is a row in the lab's canonical columns, with times
    in ISO 8601 with the agency's UTC offset and durations in whole seconds. Callers are drawn
    from a Faker population seeded with ``seed``: the same seed gives the same people.

    ``misroute_codes`` maps a call type to (reason code, share): that share of the type's AI
    transfers is tagged with that code instead of the trigger's usual one (e.g. ``{"billing":
    ("Billing question", 0.3)}``), the misroutes :func:`sim.calibrate.misroutes` should find.
    """
    from faker import Faker

    from sim.results import simulate

    results = simulate(scenario, replications=replications, seed=seed)
    calls = results.calls
    conv = calls[calls["outcome"].isin(OUTCOME_WORDS) & (calls["outcome"] != "no_answer")]
    conv = conv[conv["arrival"].notna()].copy()
    rng = np.random.default_rng(seed)
    zone = IANA_ZONES[scenario.hours.timezone]
    # open day index (replication, day) -> calendar date
    start_date = pd.Timestamp(start).date() if isinstance(start, str) else start
    open_days = scenario.days * replications
    per_week = scenario.hours.days_per_week
    dates, d = [], start_date
    while len(dates) < open_days:
        if d.weekday() < per_week:
            dates.append(d)
        d += timedelta(days=1)
    day_index = conv["replication"].to_numpy() * scenario.days + conv["day"].to_numpy(int)
    day_start = pd.DatetimeIndex([pd.Timestamp(dates[k]) for k in day_index])
    base = day_start - pd.to_timedelta(conv["day"].to_numpy() * 1440.0, unit="min")

    def stamp(minutes: np.ndarray) -> list[str]:
        ok = ~np.isnan(minutes)
        wall = base + pd.to_timedelta(np.where(ok, minutes, 0.0) * 60, unit="s").round("s")
        wall = wall.round("s")
        aware = wall.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
        text = [t.isoformat() for t in aware]
        return [t if o else "" for t, o in zip(text, ok, strict=True)]

    def seconds(minutes: np.ndarray) -> list[str]:
        return ["" if np.isnan(m) else str(round(m * 60)) for m in minutes]

    n = len(conv)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    population = max(50, n // 3)
    people = [
        (fake.name(), fake.phone_number(), fake.email()) for _ in range(population)
    ]
    who = rng.integers(0, population, size=n)
    ai = (conv["path"] == "ai").to_numpy()
    outcome = conv["outcome"].astype(str).to_numpy()
    connected = outcome == "connected"
    arrival = conv["arrival"].to_numpy(float)
    ai_talk = np.where(ai, conv["ai_end"].to_numpy(float) - conv["ai_start"].to_numpy(float),
                       np.nan)
    whisper = scenario.transfer.whisper_seconds / 60 if scenario.ai.enabled else 0.0
    bridge = conv["answer_at"].to_numpy(float) + np.where(ai, whisper, 0.0)
    end = conv["end_at"].to_numpy(float)
    handle = np.where(connected, end - bridge, np.nan)
    wrap = np.where(connected, conv["release_at"].to_numpy(float) - end, np.nan)
    offered = conv["transfer_at"].notna().to_numpy()
    trig = conv["trigger"].astype(str).to_numpy()
    ctype = conv["call_type"].astype(str).to_numpy()
    reason = np.array(
        [DEFAULT_REASON_CODES.get(t, t.replace("_", " ").capitalize()) for t in trig],
        dtype=object,
    )
    u = rng.random(n)
    for type_name, (code, share) in (misroute_codes or {}).items():
        hit = ai & offered & (ctype == type_name) & (u < share)
        reason[hit] = code
    reason[~offered] = ""
    converted = conv["converted"].to_numpy(bool)
    direction = conv["direction"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "call_id": [f"C{k:07d}" for k in range(1, n + 1)],
            "started_at": stamp(arrival),
            "caller_name": [people[k][0] for k in who],
            "caller_phone": [people[k][1] for k in who],
            "caller_email": [people[k][2] for k in who],
            "direction": direction,
            "call_type": np.where(direction == "outbound", "", ctype),
            "handled_by": np.where(ai, "ai", "human"),
            "ai_seconds": seconds(ai_talk),
            "trigger": np.where(offered, trig, ""),
            "transferred_at": stamp(conv["transfer_at"].to_numpy(float)),
            "answered_at": stamp(conv["answer_at"].to_numpy(float)),
            "ended_at": stamp(end),
            "outcome": outcome,
            "producer_group": conv["group"].astype(object).where(conv["group"].notna(), "")
            .to_numpy(),
            "handle_seconds": seconds(handle),
            "wrap_up_seconds": seconds(wrap),
            "reason_code": reason,
            "converted": np.where(converted, "yes", "no"),
        }
    )
    order = np.argsort(day_index * 1440.0 + arrival % 1440.0, kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def write_call_log(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a call log (e.g. from :func:`synthetic_log`) as CSV."""
    frame.to_csv(path, index=False)
