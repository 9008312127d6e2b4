"""Changing a scenario: ``key=value`` overrides, sweep grids, the levers, the fingerprint.

**Overrides.** A scenario key is the dotted path the error messages use: ``ai.rollout``,
``call_types.billing.containment``, list items by index (``destinations.0.producers``). A value
is read as a TOML literal: ``5`` an integer, ``0.2`` a float, ``true`` a boolean, ``"a, b"``
text, ``[1, 2]`` a list, ``{dist = "exponential", mean = 1.0}`` a table; anything that is not
TOML (``ET``) is taken as text. :func:`parse_overrides` reads ``--set key=value`` items,
:func:`parse_grid` ``--grid key=v1,v2,…`` items; every mistake is a :class:`ScenarioError`
naming the option, the key path and what is allowed. :func:`sim.loader.apply_overrides` sets
the keys in a scenario table (list indices included) and validation names unknown keys. Values
must be finite (``inf`` and ``nan`` are refused, naming the key), and a grid may have at most
:data:`sim.limits.MAX_GRID_CELLS` cells (:func:`check_grid`), checked before any cell runs.

**Levers.** The what-ifs every page, notebook and planning tool pulls, each as the overrides
it makes (to combine with others, or to show) and as the changed scenario:

- :func:`all_human`: the same agency without the voice AI (the ROI baseline);
- :func:`with_rollout`: the AI on for a share of the calls (a pilot);
- :func:`scale_containment`: every call type's containment (and the outbound one) × a factor,
  capped at 100%;
- :func:`scale_volume`: inbound calls per day and outbound contacts per week × a factor;
- :func:`with_producers`: a flat number of producers in one group;
- :func:`with_rosters`: producers on duty interval by interval, per group (a staffing plan).

:func:`fingerprint` is the one digest of a scenario the pages use to notice it changed.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sim import limits
from sim.loader import ScenarioError, derive
from sim.scenario import Scenario

__all__ = [
    "GRID",
    "SET",
    "ScenarioError",
    "all_human",
    "all_human_overrides",
    "check_grid",
    "check_values",
    "containment_overrides",
    "fingerprint",
    "parse_grid",
    "parse_overrides",
    "parse_value",
    "producers_overrides",
    "rollout_overrides",
    "roster_overrides",
    "scale_containment",
    "scale_volume",
    "volume_overrides",
    "with_producers",
    "with_rollout",
    "with_rosters",
]

SET = "--set"
"""The option one override per item comes from (the default ``source`` of errors)."""
GRID = "--grid"
"""The option sweep grids come from."""

_KEY_HELP = "a dotted key path such as ai.rollout or destinations.0.producers"


# --- parsing -----------------------------------------------------------------------------------


def parse_value(raw: str) -> Any:
    """One value as a TOML literal (``5``, ``0.2``, ``true``, ``"text"``, ``[1, 2]``), else the
    text itself (``ET``, ``hello world``)."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def parse_overrides(
    overrides: Mapping[str, Any] | Iterable[str], source: str = SET
) -> dict[str, Any]:
    """Turn ``key=value`` strings (as given to ``--set``) into a ``{dotted_key: value}``
    mapping; a mapping is returned as it is. A key given twice keeps its last value."""
    if isinstance(overrides, Mapping):
        return dict(overrides)
    parsed: dict[str, Any] = {}
    for item in [overrides] if isinstance(overrides, str) else overrides:
        key, raw = _split(item, source, "override {item!r} must look like key=value")
        parsed[key] = _finite(key, _read(key, raw, source, parse_value), source)
    return parsed


def _read(key: str, raw: str, source: str, parse: Any) -> Any:
    """``parse(raw)``, with a value nested too deeply for the TOML reader refused by key."""
    try:
        value = parse(raw)
    except RecursionError:
        value = None
    deep = limits.deepest(value) if value is not None else key
    if deep is not None:
        why = f"nested more than {limits.MAX_NESTING_DEPTH} levels deep (the limit)"
        raise ScenarioError(source, [(key, why)])
    return value


def _finite(key: str, value: Any, source: str) -> Any:
    """``value`` unless it is (or holds) an infinity or NaN: a :class:`ScenarioError` naming the
    key then."""
    bad = limits.non_finite(value)
    if bad is not None:
        where = f"{key}.{bad[0]}" if bad[0] else key
        raise ScenarioError(source, [(where, f"must be a finite number, got {bad[1]}")])
    return value


def parse_grid(items: Iterable[str], source: str = GRID) -> dict[str, list]:
    """Turn ``key=v1,v2,…`` strings (as given to ``--grid``) into ``{key: [v1, v2, …]}``.

    The values are read as TOML like ``--set`` values: ``3,4,5`` are integers, ``0.1,0.2``
    floats, ``true,false`` booleans, ``"a, b","c"`` strings (quoted when they hold a comma);
    a value that is not TOML (``ET,CT``) is taken as text. Raises :class:`ScenarioError` (a
    ``ValueError``) for an item without ``=``, an empty key or value, a key given twice or a
    value listed twice for one key.
    """
    grid: dict[str, list] = {}
    for item in [items] if isinstance(items, str) else items:
        key, raw = _split(item, source, "{item!r} must look like key=value1,value2,…")
        if key in grid:
            raise ScenarioError(source, [(key, "given twice; list all its values in one item")])
        grid[key] = _parse_values(key, raw, source)
    return check_grid(grid, source)


def check_grid(grid: Mapping[str, Any], source: str = GRID) -> dict[str, list]:
    """The grid with each key's values checked (:func:`check_values`), or a
    :class:`ScenarioError` if it has more than :data:`sim.limits.MAX_GRID_CELLS` cells (every
    combination of the values), counted before any cell is made."""
    checked = {str(key): check_values(str(key), values, source) for key, values in grid.items()}
    cells = math.prod(len(values) for values in checked.values())
    if cells > limits.MAX_GRID_CELLS:
        sizes = " × ".join(f"{len(v)} ({k})" for k, v in checked.items())
        raise ScenarioError(
            source,
            [("", f"{sizes} is {cells:,} cells; the limit is {limits.MAX_GRID_CELLS:,} cells "
                  "per sweep (fewer values)")],
        )  # fmt: skip
    return checked


def check_values(key: str, values: Any, source: str = GRID) -> list:
    """The values a grid key is swept over, as a list; :class:`ScenarioError` unless it is a
    non-empty list without repeats (``1``, ``1.0`` and ``true`` count as different)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ScenarioError(source, [(key, f"values must be a list, got {values!r}")])
    if len(values) > limits.MAX_GRID_CELLS:
        raise ScenarioError(
            source,
            [(key, f"{len(values):,} values; the limit is {limits.MAX_GRID_CELLS:,} cells per "
                   "sweep")],
        )  # fmt: skip
    values = list(values)
    if not values:
        raise ScenarioError(source, [(key, "no values to sweep over")])
    seen = set()
    for value in values:
        _finite(key, value, source)
        identity = (type(value).__name__, repr(value))
        if identity in seen:
            raise ScenarioError(source, [(key, f"value {value!r} listed twice")])
        seen.add(identity)
    return values


def _split(item: str, source: str, shape: str) -> tuple[str, str]:
    """``key=raw`` as the stripped key and value text; the key must be a dotted path."""
    key, sep, raw = str(item).partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(source, [("", shape.format(item=item))])
    if any(not part.strip() or part != part.strip() for part in key.split(".")):
        raise ScenarioError(source, [(key, f"not a key path; write {_KEY_HELP}")])
    return key, raw.strip()


def _parse_values(key: str, raw: str, source: str) -> list:
    if not raw:
        raise ScenarioError(source, [(key, "no values; give them as key=value1,value2,…")])
    try:
        values = _read(key, raw, source, lambda text: tomllib.loads(f"v = [{text}]")["v"])
    except tomllib.TOMLDecodeError:
        # Not TOML as a whole (bare words such as ET,CT): split on commas, read each part.
        values = []
        for part in raw.split(","):
            part = part.strip()
            if not part:
                raise ScenarioError(source, [(key, f"empty value in {raw!r}")]) from None
            values.append(parse_value(part))
    return check_values(key, values, source)


# --- levers ------------------------------------------------------------------------------------


def all_human_overrides(scenario: Scenario) -> dict[str, Any]:
    """The voice AI off, and the name saying so."""
    return {"ai.enabled": False, "name": f"{scenario.name} (all human)"}


def all_human(scenario: Scenario) -> Scenario:
    """The same agency without the voice AI: every call to human intake, the same callers,
    producers and prices (the ROI's baseline)."""
    return derive(scenario, all_human_overrides(scenario))


def rollout_overrides(share: float) -> dict[str, Any]:
    """The voice AI on for ``share`` of the calls."""
    return {"ai.enabled": True, "ai.rollout": share}


def with_rollout(scenario: Scenario, share: float) -> Scenario:
    """The scenario with the AI on for ``share`` of the calls (itself when it already is)."""
    if scenario.ai.enabled and scenario.ai.rollout == share:
        return scenario
    return derive(scenario, rollout_overrides(share))


def containment_overrides(scenario: Scenario, factor: float) -> dict[str, Any]:
    """Every call type's AI containment (and the outbound one) × ``factor``, capped at 1."""
    # The whole table, not dotted keys: a call-type name may itself hold a dot ("v2.1").
    over: dict[str, Any] = {
        "call_types": {
            name: {
                **ct.model_dump(mode="json", exclude_none=True),
                "containment": min(1.0, ct.containment * factor),
            }
            for name, ct in scenario.call_types.items()
        }
    }
    if scenario.outbound is not None:
        over["outbound.containment"] = min(1.0, scenario.outbound.containment * factor)
    return over


def scale_containment(scenario: Scenario, factor: float) -> Scenario:
    """The scenario with the AI containing ``factor`` × as many calls of each type (capped)."""
    return derive(scenario, containment_overrides(scenario, factor))


def volume_overrides(scenario: Scenario, factor: float) -> dict[str, float]:
    """Inbound calls per day and outbound contacts per week × ``factor``."""
    over = {"inbound.calls_per_day": scenario.inbound.calls_per_day * factor}
    if scenario.outbound is not None:
        over["outbound.contacts_per_week"] = scenario.outbound.contacts_per_week * factor
    return over


def scale_volume(scenario: Scenario, factor: float) -> Scenario:
    """The scenario with ``factor`` × the call volume (inbound and outbound)."""
    return derive(scenario, volume_overrides(scenario, factor))


def producers_overrides(group: int, producers: int) -> dict[str, int]:
    """``producers`` on shift all day in producer group ``group`` (its index)."""
    return {f"destinations.{group}.producers": producers}


def with_producers(scenario: Scenario, group: int, producers: int) -> Scenario:
    """The scenario with ``producers`` on shift in group ``group``."""
    return derive(scenario, producers_overrides(group, producers))


def roster_overrides(
    rosters: Mapping[int, Sequence[int]] | Sequence[Sequence[int]], interval_minutes: int
) -> dict[str, dict]:
    """Rosters by group index (a mapping, or one per group in order): the producers on duty in
    each ``interval_minutes`` interval from opening time."""
    items = rosters.items() if isinstance(rosters, Mapping) else enumerate(rosters)
    return {
        f"destinations.{group}.roster": {
            "interval_minutes": interval_minutes,
            "producers": [int(n) for n in producers],
        }
        for group, producers in items
    }


def with_rosters(
    scenario: Scenario,
    rosters: Mapping[int, Sequence[int]] | Sequence[Sequence[int]],
    interval_minutes: int,
) -> Scenario:
    """The scenario with these rosters (see :func:`roster_overrides`)."""
    return derive(scenario, roster_overrides(rosters, interval_minutes))


# --- fingerprint -------------------------------------------------------------------------------


def fingerprint(scenario: Scenario) -> str:
    """A short digest of a scenario (of its JSON): equal scenarios have equal fingerprints, so
    a page can notice when the current one changes."""
    return hashlib.sha1(scenario.model_dump_json().encode()).hexdigest()
