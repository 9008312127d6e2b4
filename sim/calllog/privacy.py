"""Personal data never enters the lab: redaction, hashing and caller keys.

Personal columns (names, phones, e-mails, free text) are dropped while a log is read (see
:data:`sim.calllog.columns.PERSONAL_COLUMNS`). What is left is guarded here:

- any e-mail address or phone number inside a kept text column is replaced by ``[redacted]``
  (:func:`redact`): US numbers dashed, dotted, spaced, bracketed or run together, with or
  without a country code (``+1``, ``001``) and an extension (``555-010-2234x12``, the layout
  Faker writes; ``ext. 12``, ``#12``), local ones (``555-0142``), international numbers
  (``+44 20 7946 0958``, ``0044 …``), also inside words (``claim5550102234``); dates, times
  and plain ids (``C0000001``) are left alone;
- a call id that is not id-like (letters and digits without spaces, with a digit in it, no
  ``@``; see :func:`is_id_like`) is replaced by its keyed hash, so a name, address, phone or
  e-mail typed into the id column never comes out;
- a call type, trigger, producer group or reason code used by fewer than
  :data:`MIN_LABEL_CALLS` calls is left blank (a one-off label is more likely a caller's name
  typed into the wrong column than a category to plan for);
- with ``caller_key=True`` a keyed BLAKE2b hash (RFC 7693) of the caller's phone number or
  e-mail stands in for the caller, so repeat callers can be counted without knowing who they
  are. Hashes are keyed with ``salt`` or else a fresh random key per import (never a constant),
  so nobody can confirm a guessed address by hashing it;
- messages never quote a cell: problems cite the line and the column, and a header row that
  does not look like one (a file without a header) is never printed (:func:`shown_headers`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.calllog.columns import normalise_name
from sim.calllog.table import RawTable

__all__ = [
    "MIN_LABEL_CALLS",
    "CallerKeys",
    "Texts",
    "caller_keys",
    "clean_texts",
    "is_id_like",
    "looks_like_header",
    "redact",
    "shown_headers",
]

MIN_LABEL_CALLS = 3
"""Calls a kept label (call type, trigger, group, reason code) must have to be kept."""

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SEP = r"[\s._/-]?"
_EXTENSION = r"(?:\s*(?:x|ext\.?|extension|\#)\s*\d{1,7})?"
_PHONE_RE = re.compile(
    rf"""(?<!\d)(?:
        \+\d{{1,3}}(?:{_SEP}\(?\d{{1,5}}\)?){{2,6}}             # international: +44 20 7946 0958
      | 00\d{{1,3}}(?:[\s.-]\(?\d{{1,5}}\)?){{2,6}}               # or 0044 20 7946 0958
      | (?:(?:\+?1|001){_SEP})?\(?\d{{3}}\)?{_SEP}\d{{3}}{_SEP}\d{{4}}  # US: (312) 555-0142, 001-…
      | \d{{3}}[\s./-]\d{{4}}                                    # a local number: 555-0142
    ){_EXTENSION}(?!\d)""",
    re.IGNORECASE | re.VERBOSE,
)
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./:#-]*")


def redact(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by ``[redacted]``."""
    return _PHONE_RE.sub("[redacted]", _EMAIL_RE.sub("[redacted]", text))


def is_id_like(value: str) -> bool:
    """Whether a call id can be kept as it is: one word of letters, digits and ``_ . / : # -``
    with at least one digit, and nothing :func:`redact` would change."""
    return (
        bool(_ID_RE.fullmatch(value))
        and any(c.isdigit() for c in value)
        and len(value) <= 64
        and redact(value) == value
    )


def shown_headers(header: Sequence[str], known: Sequence[str] = ()) -> str:
    """The headers a message may list: those in ``known`` (matched to a column), and, when at
    least one is, the others that look like column names (letters first, no ``@``, no digit
    runs, short). With none matched the row may well be the first call (a file without a
    header row), so its cells are counted, never shown."""
    cells = [h for h in header if h]
    if not any(h in known for h in cells) or any(_looks_like_data(h) for h in cells):
        return (
            f"none the lab knows among {len(cells)} (not shown: if the file has no header row, "
            "the first row is a caller's details; add a header row naming the columns)"
        )
    names = [h for h in cells if h in known or looks_like_header(h)]
    text = ", ".join(names)
    hidden = len(cells) - len(names)
    if hidden:
        text += f" (and {hidden} cell(s) that look like data, not shown)"
    return text


def _looks_like_data(text: str) -> bool:
    """A cell no header holds: a date or time, a phone number, an e-mail, three digits."""
    return redact(text) != text or re.search(r"\d{3}|\d[:/-]\d", text) is not None or "@" in text


def looks_like_header(text: str) -> bool:
    """Whether a header cell looks like a column name rather than a caller's details."""
    return (
        len(text) <= 40
        and text[:1].isalpha()
        and redact(text) == text
        and sum(c.isdigit() for c in text) <= 2
        and not any(c in text for c in "@,;\n")
    )


def hash_value(value: str, salt: bytes) -> str:
    """A 16-hex-digit keyed BLAKE2b hash of ``value``."""
    return hashlib.blake2b(value.encode(), key=salt[:64], digest_size=8).hexdigest()


@dataclass(frozen=True)
class Texts:
    """The kept text columns, redacted; None where the log is blank."""

    call_type: np.ndarray
    trigger: np.ndarray
    producer_group: np.ndarray
    reason_code: np.ndarray
    call_id: np.ndarray
    redacted: int
    """Cells in which an e-mail or phone number was redacted (call ids hashed not counted)."""
    notes: tuple[str, ...] = ()


def _text_column(table: RawTable, canon: str, snake: bool) -> tuple[np.ndarray, int, int]:
    """A text column redacted (and normalised, if ``snake``), how many cells changed and how
    many cells held a label too rare to keep (left blank)."""
    if canon not in table:
        return np.full(table.n, None, dtype=object), 0, 0
    values = table[canon]
    clean = values.map(redact)
    changed = int((clean != values).sum())
    if snake:
        clean = clean.map(normalise_name)
    rare = 0
    if canon != "call_id":
        counts = clean[clean != ""].value_counts()
        few = clean.isin(counts.index[counts < MIN_LABEL_CALLS]).to_numpy()
        rare = int(few.sum())
        clean = clean.mask(few, "")
    cells = clean.to_numpy(dtype=object).copy()
    cells[cells == ""] = None
    return cells, changed, rare


def clean_texts(table: RawTable, salt: bytes | None) -> Texts:
    """The call type and trigger (normalised), producer group, reason code and call id, with
    personal data redacted; a call id that is personal data is replaced by its hash."""
    columns = {}
    redacted = 0
    notes: list[str] = []
    for canon, snake in (
        ("call_type", True),
        ("trigger", True),
        ("producer_group", False),
        ("reason_code", False),
        ("call_id", False),
    ):
        columns[canon], changed, rare = _text_column(table, canon, snake)
        redacted += changed
        if rare:
            head = table.header[table.index[canon]]
            notes.append(
                f"{rare} {head} cell(s) held a value used by fewer than {MIN_LABEL_CALLS} "
                "calls and were left blank (a one-off value may be personal data)."
            )
    if "call_id" in table:
        ids = table["call_id"]
        pii_id = (ids != "") & ~ids.map(is_id_like)
        if pii_id.any():
            key = salt if salt is not None else os.urandom(16)
            redacted -= int((ids[pii_id].map(redact) != ids[pii_id]).sum())
            columns["call_id"][pii_id.to_numpy()] = [hash_value(v, key) for v in ids[pii_id]]
            notes.append(
                f"{int(pii_id.sum())} call ids did not look like ids (spaces, an e-mail, a "
                "phone number or no digit) and were replaced by keyed hashes."
            )
    return Texts(**columns, redacted=redacted, notes=tuple(notes))


def _caller_key(row: Sequence[str], sources: Sequence[int], salt: bytes) -> str | None:
    """The hash of the row's first phone number (its last ten digits) or e-mail (lower case)."""
    for i in sources:
        value = row[i].strip()
        if not value:
            continue
        digits = re.sub(r"\D", "", value)
        key = digits[-10:] if "@" not in value and len(digits) >= 7 else value.lower()
        return hash_value(key, salt)
    return None


@dataclass(frozen=True)
class CallerKeys:
    """A salted hash per row standing in for the caller (None: no phone or e-mail column)."""

    keys: np.ndarray | None
    notes: tuple[str, ...] = ()


def caller_keys(
    rows: Sequence[Sequence[str]], personal_index: Mapping[str, list[int]], salt: bytes | None
) -> CallerKeys:
    """Caller keys from the phone (or else e-mail) columns; ``salt`` defaults to a fresh random
    one, so keys are comparable within one import only. The personal values are not kept."""
    salt = salt if salt is not None else os.urandom(16)
    sources = personal_index.get("phone", []) + personal_index.get("email", [])
    if not sources:
        return CallerKeys(
            None, ("caller_key asked for, but the log has no phone or e-mail column.",)
        )
    keys = np.array([_caller_key(row, sources, salt) for row in rows], dtype=object)
    return CallerKeys(keys)
