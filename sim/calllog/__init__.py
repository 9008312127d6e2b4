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
with ``caller_key=True`` a hash of the caller's phone number (or e-mail), keyed with the lab's
own secret, is kept as
``caller_key`` so repeat callers can be counted without knowing who they are. Any e-mail
address or phone number found inside a kept text column is replaced by ``[redacted]``, and
problem messages never quote personal values. Columns the lab does not know are ignored.

:func:`synthetic_log` runs the simulation on a known scenario and renders its calls as such an
export, with Faker-made (seeded, fictitious) callers: the input of the round-trip tests.

**Any export layout**: a :class:`CallLogMapping` (a TOML file, :func:`load_mapping` /
:func:`write_mapping`) names which export column is which lab field, recodes outcomes and
handlers, gives duration units and the cells meaning "none", and can read an IVR/VRU stage as
the AI intake; ``read_call_log(path, mapping=...)`` uses it and :func:`check_mapping` shows the
first mapped rows. **Time zones** are the lab's US abbreviations or any IANA name
(:mod:`~sim.calllog.zones`).

The package's modules, in the order a log passes through them: :mod:`~sim.calllog.columns`
(the column names and wordings), :mod:`~sim.calllog.reading` (the file, rows and
:class:`CallLog`), :mod:`~sim.calllog.table` (the text columns in, the lab's frame out),
:mod:`~sim.calllog.parsing` (times, zones, durations, labels),
:mod:`~sim.calllog.privacy` (redaction and hashing), :mod:`~sim.calllog.derive` (waits,
handle times and blank outcomes from the times), :mod:`~sim.calllog.problems` (the rows left
out), :mod:`~sim.calllog.synthetic` (synthetic logs), :mod:`~sim.calllog.mapping` (mappings),
:mod:`~sim.calllog.mapped` (a mapping applied to an export), :mod:`~sim.calllog.check` (the
mapped first rows) and :mod:`~sim.calllog.zones` (time zones).
"""

from sim.calllog.check import MappingCheck, check_mapping
from sim.calllog.columns import COLUMNS, OUTCOME_WORDS, PERSONAL_COLUMNS, normalise_name
from sim.calllog.mapping import CallLogMapping, MappingError, load_mapping, write_mapping
from sim.calllog.privacy import redact
from sim.calllog.problems import CalibrationError, RowProblem
from sim.calllog.reading import CallLog, from_frame, read_call_log
from sim.calllog.synthetic import DEFAULT_REASON_CODES, synthetic_log, write_call_log
from sim.calllog.zones import IANA_ZONES, lab_zone, resolve_zone, scenario_zone

__all__ = [
    "COLUMNS",
    "DEFAULT_REASON_CODES",
    "IANA_ZONES",
    "OUTCOME_WORDS",
    "PERSONAL_COLUMNS",
    "CalibrationError",
    "CallLog",
    "CallLogMapping",
    "MappingCheck",
    "MappingError",
    "RowProblem",
    "check_mapping",
    "from_frame",
    "lab_zone",
    "load_mapping",
    "normalise_name",
    "read_call_log",
    "redact",
    "resolve_zone",
    "scenario_zone",
    "synthetic_log",
    "write_call_log",
    "write_mapping",
]
