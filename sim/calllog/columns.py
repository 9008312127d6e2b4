"""The columns the lab reads from a call log, the header names and wordings it accepts.

Header names are compared after :func:`normalise_name` (ignoring case, spacing and
punctuation). :data:`COLUMNS` lists every column the lab reads with its accepted aliases;
:data:`PERSONAL_COLUMNS` the personal or free-text columns that are dropped on import;
:data:`OUTCOME_WORDS` and the other word lists the labels understood in text columns.
:func:`match_columns` says which header of a file is which column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "BOOL_WORDS",
    "COLUMNS",
    "DIRECTION_WORDS",
    "DURATION_COLUMNS",
    "DURATION_UNITS",
    "HANDLER_WORDS",
    "OUTCOME_WORDS",
    "PERSONAL_COLUMNS",
    "TIME_COLUMNS",
    "UNIT_SUFFIXES",
    "ColumnMap",
    "HeaderMatch",
    "lookup_word",
    "match_columns",
    "match_header",
    "normalise_name",
]

# fmt: off
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
    "segment": ("text", (
        "segment", "caller_segment", "customer_segment", "priority", "priority_class",
        "caller_priority", "queue_priority", "service_tier", "tier",
    )),
    "agent": ("agent", (
        "agent_id", "producer_id", "agent_login", "agent_number", "agent_code", "employee_id",
        "user_id", "login_id",
    )),
}
"""Every column the lab reads: canonical name → (kind, accepted aliases). ``segment`` is the
caller's segment or priority class; ``agent`` the producer who answered, read only to tell one
producer's calls from another's (after-call work) and replaced by a number in memory: an agent's
name or id never reaches the frame or any output. A column of agent *names* is read as ``agent``
only when a mapping names it (``columns.agent``); by name alone it is personal and dropped."""

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

DIRECTION_WORDS = {
    "inbound": ("inbound", "in", "incoming", "inbound_call", "i", "inb"),
    "outbound": ("outbound", "out", "outgoing", "outbound_call", "o", "outb", "dialled", "dialed"),
}
HANDLER_WORDS = {
    "ai": ("ai", "bot", "voice_ai", "virtual_agent", "va", "ai_agent", "assistant", "voicebot"),
    "human": (
        "human", "agent", "person", "receptionist", "live", "live_agent", "csr", "staff",
        "producer", "operator",
    ),
}
BOOL_WORDS = {
    True: ("yes", "y", "true", "t", "1", "sold", "converted", "sale", "x"),
    False: ("no", "n", "false", "f", "0", "not_sold", "none", "no_sale"),
}

UNIT_SUFFIXES = (
    ("seconds", 1 / 60), ("secs", 1 / 60), ("sec", 1 / 60), ("s", 1 / 60),
    ("minutes", 1.0), ("mins", 1.0), ("min", 1.0), ("m", 1.0),
    ("hours", 60.0), ("hrs", 60.0), ("hr", 60.0), ("h", 60.0),
    ("ms", 1 / 60_000), ("milliseconds", 1 / 60_000),
)
DURATION_UNITS = {"seconds": 1 / 60, "minutes": 1.0}
# fmt: on

TIME_COLUMNS = ("started_at", "ai_ended_at", "transferred_at", "answered_at", "ended_at")
"""The time columns, in the order they are read (and their problems listed)."""
DURATION_COLUMNS = ("ai_minutes", "wait_minutes", "handle_minutes", "wrap_up_minutes")
"""The duration columns, in the order they are read (and their problems listed)."""


def normalise_name(text: str) -> str:
    """A header or label compared ignoring case, spacing and punctuation: ``"Start Time"``,
    ``"start-time"`` and ``"START_TIME"`` all become ``"start_time"``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def lookup_word(words: Mapping, value: str):
    """The label of ``words`` (label → accepted wordings) that ``value`` is a wording of, or
    None."""
    key = normalise_name(value)
    for label, options in words.items():
        if key in options:
            return label
    return None


_ALIAS = {alias: canon for canon, (_, aliases) in COLUMNS.items() for alias in aliases}
_PERSONAL = {alias: kind for kind, aliases in PERSONAL_COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class HeaderMatch:
    """What one header is: a column the lab reads (with the minutes per unit its name
    states, for durations such as ``handle_seconds``), a personal column, or neither."""

    column: str | None = None
    unit_minutes: float | None = None
    personal: str | None = None
    """The kind of personal data (``name``, ``phone``, ``email``, ``other``)."""


def match_header(header: str) -> HeaderMatch:
    """The column a header names. A duration alias may carry a unit suffix (``_seconds``,
    ``_min`` …); an exact alias of another kind wins over a suffixed duration alias."""
    name = normalise_name(header)
    if name in _ALIAS and COLUMNS[_ALIAS[name]][0] != "duration":
        return HeaderMatch(_ALIAS[name])
    for suffix, factor in UNIT_SUFFIXES:
        base = name.removesuffix("_" + suffix)
        if base != name and base in _ALIAS and COLUMNS[_ALIAS[base]][0] == "duration":
            return HeaderMatch(_ALIAS[base], factor)
    if name in _ALIAS:
        return HeaderMatch(_ALIAS[name])
    if name in _PERSONAL:
        return HeaderMatch(personal=_PERSONAL[name])
    return HeaderMatch()


@dataclass(frozen=True)
class ColumnMap:
    """Which header of a file is which column."""

    index: dict[str, int]
    """Canonical column → its position in the header (the first, if repeated)."""
    units: dict[str, float]
    """Duration column → minutes per unit, when the header names the unit."""
    personal: list[str]
    """Headers of personal columns (dropped on import)."""
    personal_index: dict[str, list[int]]
    """Kind of personal data → positions of its columns (phone and e-mail feed caller keys)."""
    ignored: list[str]
    """Headers the lab does not read."""
    notes: tuple[str, ...] = ()


def match_columns(header: Sequence[str]) -> ColumnMap:
    """Match every header of a file; a repeated column is read from its first header."""
    index: dict[str, int] = {}
    units: dict[str, float] = {}
    personal: list[str] = []
    personal_index: dict[str, list[int]] = {"phone": [], "email": [], "name": []}
    ignored: list[str] = []
    notes: list[str] = []
    for i, head in enumerate(header):
        match = match_header(head)
        if match.column is not None and match.column not in index:
            index[match.column] = i
            if match.unit_minutes is not None:
                units[match.column] = match.unit_minutes
        elif match.column is not None:
            ignored.append(head)
            notes.append(
                f"Column {head!r} repeats {header[index[match.column]]!r}; the first is used."
            )
        elif match.personal is not None:
            personal.append(head)
            personal_index.setdefault(match.personal, []).append(i)
        else:
            ignored.append(head)
    return ColumnMap(index, units, personal, personal_index, ignored, tuple(notes))
