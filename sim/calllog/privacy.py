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
  are. Hashes are keyed with ``salt`` or else the lab's own secret (:func:`lab_key`): 32
  random bytes made on first use in the lab's data folder (``calllog.key`` beside the record
  store, or the file ``HANDOFF_LAB_KEY_FILE`` names; see :func:`sim.paths.key_file`). So a
  caller's hash is the same in every import on one lab, differs between labs and is never a
  constant: nobody without the key file can confirm a guessed address by hashing it;
- messages never quote a cell: problems cite the line and the column, and a header row that
  does not look like one (a file without a header) is never printed (:func:`shown_headers`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.calllog.columns import normalise_name
from sim.calllog.problems import CalibrationError
from sim.calllog.table import RawTable
from sim.paths import KEY_FILE_ENV, key_file

__all__ = [
    "KEY_BYTES",
    "MIN_LABEL_CALLS",
    "CallerKeys",
    "LabKeyError",
    "Texts",
    "caller_keys",
    "clean_texts",
    "is_id_like",
    "lab_key",
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
_TRAILING_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|\#)\s*\d{1,7}\s*$", re.IGNORECASE)
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


KEY_BYTES = 32
"""Length of the lab's call-log key (random bytes)."""


class LabKeyError(CalibrationError):
    """The lab's call-log key file cannot be read or created; the message names the file and
    ``HANDOFF_LAB_KEY_FILE``."""


def lab_key(path: str | os.PathLike | None = None) -> bytes:
    """The lab's call-log key: the :data:`KEY_BYTES` random bytes in ``path`` (default
    :func:`sim.paths.key_file`), the file made on first use.

    Creation is atomic, so processes importing at once on a new lab all get the one key: the
    bytes go into a private temporary file (``O_CREAT | O_EXCL``, mode 0600) in the key's folder,
    which is then hard-linked to the key's name; the link, like ``O_EXCL``, fails if the name
    exists, so the first process to link wins, every other reads the winner's key, and the key
    file is never seen half-written (on a file system without hard links the key is written
    in place under ``O_EXCL``, and a reader waits for it). Raises :class:`LabKeyError` if the
    file cannot be made or is not a key."""
    target = Path(key_file() if path is None else path)
    for above in target.parents:
        if above.exists():
            if not above.is_dir():
                raise LabKeyError(_key_problem(target, f"{above} is a file, not a folder"))
            break
    for attempt in range(50):
        try:
            key = _read_key(target)
        except _ShortKey as short:
            if attempt == 49:  # not one being written (see _create_in_place): a damaged file
                raise LabKeyError(_key_problem(target, str(short))) from None
            time.sleep(0.02)
            continue
        if key is not None:
            return key
        _create_key(target)
    raise LabKeyError(_key_problem(target, "it keeps disappearing"))


class _ShortKey(Exception):
    """A key file of the wrong length (damaged, or being written in place)."""


def _key_problem(path: Path, why: str) -> str:
    return (
        f"the lab's call-log key {path}: {why} (it keys the hashes of call ids and callers; "
        f"set {KEY_FILE_ENV} to a file the lab may create, or remove a damaged one: hashes made "
        "with it then change)"
    )


def _read_key(path: Path) -> bytes | None:
    """The key in ``path``, or None if there is no file yet."""
    try:
        with path.open("rb") as file:
            key = file.read(KEY_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LabKeyError(_key_problem(path, f"cannot read it ({exc.strerror})")) from None
    if len(key) != KEY_BYTES:
        raise _ShortKey(f"holds {len(key)} bytes, not a {KEY_BYTES}-byte key")
    return key


def _create_key(path: Path) -> None:
    """Publish a new random key at ``path`` unless another process already has."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}.partial")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(KEY_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process published its key first: that one is the lab's
        except OSError:  # a file system without hard links: create the name itself, O_EXCL
            _create_in_place(path, temporary.read_bytes())
    except OSError as exc:
        raise LabKeyError(_key_problem(path, f"cannot create it ({exc.strerror or exc})")) from None
    finally:
        temporary.unlink(missing_ok=True)


def _create_in_place(path: Path, key: bytes) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "wb") as file:
        file.write(key)
        file.flush()
        os.fsync(file.fileno())


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
    personal data redacted; a call id that is personal data is replaced by its hash, keyed with
    ``salt`` or else the lab's key (:func:`lab_key`, read only when such an id is found)."""
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
            key = salt if salt is not None else lab_key()
            redacted -= int((ids[pii_id].map(redact) != ids[pii_id]).sum())
            columns["call_id"][pii_id.to_numpy()] = [hash_value(v, key) for v in ids[pii_id]]
            notes.append(
                f"{int(pii_id.sum())} call ids did not look like ids (spaces, an e-mail, a "
                "phone number or no digit) and were replaced by keyed hashes."
            )
    return Texts(**columns, redacted=redacted, notes=tuple(notes))


def _caller_key(row: Sequence[str], sources: Sequence[int], salt: bytes) -> str | None:
    """The hash of the row's first phone number (its last ten digits, an extension left out)
    or e-mail (lower case)."""
    for i in sources:
        value = row[i].strip()
        if not value:
            continue
        digits = re.sub(r"\D", "", _TRAILING_EXTENSION.sub("", value))
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
    """Caller keys from the phone (or else e-mail) columns; ``salt`` defaults to the lab's key
    (:func:`lab_key`), so keys are comparable across imports on one lab and with no other lab.
    The personal values are not kept."""
    sources = personal_index.get("phone", []) + personal_index.get("email", [])
    if not sources:
        return CallerKeys(
            None, ("caller_key asked for, but the log has no phone or e-mail column.",)
        )
    salt = salt if salt is not None else lab_key()
    keys = np.array([_caller_key(row, sources, salt) for row in rows], dtype=object)
    return CallerKeys(keys)
