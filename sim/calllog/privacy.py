"""Personal data never enters the lab: redaction, hashing and caller keys.

Personal columns (names, phones, e-mails, free text) are dropped while a log is read (see
:data:`sim.calllog.columns.PERSONAL_COLUMNS`). What is left is guarded here: any e-mail address
or phone number inside a kept text column is replaced by ``[redacted]`` (:func:`redact`), a call
id that is a phone number or e-mail is replaced by its hash, and with ``caller_key=True`` a
salted BLAKE2b hash (keyed hashing, RFC 7693) of the caller's phone number or e-mail stands in
for the caller, so repeat callers can be counted without knowing who they are.
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

__all__ = ["CallerKeys", "Texts", "caller_keys", "clean_texts", "quoted", "redact"]

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<!\w)(?:\+?\d{1,2}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")


def redact(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by ``[redacted]``."""
    return _PHONE_RE.sub("[redacted]", _EMAIL_RE.sub("[redacted]", text))


def quoted(value: str) -> str:
    """A cell value as a problem message may show it: redacted, cut to 40 characters."""
    value = redact(str(value))
    return repr(value if len(value) <= 40 else value[:37] + "…")


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


def _text_column(table: RawTable, canon: str, snake: bool) -> tuple[np.ndarray, int]:
    """A text column redacted (and normalised, if ``snake``), and how many cells changed."""
    if canon not in table:
        return np.full(table.n, None, dtype=object), 0
    values = table[canon]
    clean = values.map(redact)
    changed = int((clean != values).sum())
    if snake:
        clean = clean.map(normalise_name)
    return np.where(clean.to_numpy() == "", None, clean.to_numpy()).astype(object), changed


def clean_texts(table: RawTable, salt: bytes | None) -> Texts:
    """The call type and trigger (normalised), producer group, reason code and call id, with
    personal data redacted; a call id that is personal data is replaced by its hash."""
    columns = {}
    redacted = 0
    for canon, snake in (
        ("call_type", True),
        ("trigger", True),
        ("producer_group", False),
        ("reason_code", False),
        ("call_id", False),
    ):
        columns[canon], changed = _text_column(table, canon, snake)
        redacted += changed
    notes: list[str] = []
    if "call_id" in table:
        pii_id = table["call_id"].map(redact) != table["call_id"]
        if pii_id.any():
            columns["call_id"][pii_id.to_numpy()] = [
                hash_value(v, salt or b"call-id") for v in table["call_id"][pii_id]
            ]
            redacted -= int(pii_id.sum())
            notes.append(
                f"{int(pii_id.sum())} call ids looked like phone numbers or e-mail "
                "addresses and were replaced by hashes."
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
