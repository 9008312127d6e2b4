"""A small TOML writer for scenario tables, so the Scenario page can offer a download.

Python reads TOML (``tomllib``) but does not write it, and the lab adds no dependency for this.
A scenario only holds plain data: tables, arrays of tables, strings, numbers, booleans and
lists of those, which is all this writer handles. It writes the layout a person would:

- top-level tables as ``[section]`` headers, with nested tables of plain values inline
  (``talk_minutes = { dist = "lognormal", mean = 3.0, sd = 1.2 }``) and nested tables of tables
  as their own ``[section.sub]`` headers;
- lists of tables as ``[[destinations]]``;
- ``None`` values are left out (TOML has no null; a missing key means the default).

``tomllib.loads(dumps(data)) == data`` for any such table (tested in
``tests/dashboards/test_dashboard_toml.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["dumps"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def dumps(data: Mapping[str, Any], header: str | None = None) -> str:
    """The TOML text of ``data``; ``header`` (may be several lines) is written as comments."""
    lines: list[str] = []
    if header:
        lines += [f"# {line}".rstrip() for line in header.splitlines()]
        lines.append("")
    _table(lines, data, path=())
    return "\n".join(lines).strip("\n") + "\n"


def _table(lines: list[str], table: Mapping[str, Any], path: tuple[str, ...]) -> None:
    """Write the plain keys of ``table``, then its sub-tables and arrays of tables."""
    later: list[tuple[str, Any]] = []
    for key, value in table.items():
        if value is None:
            continue
        if _is_table(value) and (not path or not _is_leaf_table(value)):
            later.append((key, value))
        elif _is_table_array(value):
            later.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in later:
        sub = (*path, key)
        if _is_table_array(value):
            for item in value:
                lines += ["", f"[[{_dotted(sub)}]]"]
                _table(lines, item, sub)
        else:
            plain = any(v is not None and not _goes_below(v) for v in value.values())
            if plain or not value:
                lines += ["", f"[{_dotted(sub)}]"]
            _table(lines, value, sub)


def _goes_below(value: Any) -> bool:
    """Whether ``value``, inside a sub-table, is written under its own header."""
    return _is_table_array(value) or (_is_table(value) and not _is_leaf_table(value))


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str | bytes)
        and len(value) > 0
        and all(_is_table(v) for v in value)
    )


def _is_leaf_table(value: Mapping[str, Any]) -> bool:
    """A table with no tables (or arrays of tables) inside: written inline."""
    return not any(_is_table(v) or _is_table_array(v) for v in value.values())


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(_key(p) for p in path)


def _key(key: Any) -> str:
    key = str(key)
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Mapping):
        items = [f"{_key(k)} = {_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, Sequence) and not isinstance(value, bytes):
        if any(v is None for v in value):
            raise TypeError(f"cannot write a list holding None to TOML: {value!r}")
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML: {value!r}")
