"""Reading scenario files: TOML, ``extends`` chains, command-line overrides, clear errors.

A pilot variant is usually a base agency plus a few changed keys::

    extends = "small_agency.toml"
    name = "Small agency, 10% pilot"
    [ai]
    rollout = 0.1

Tables merge key by key with the base (recursively); any other value, lists included, replaces
the base's. A base is looked for beside the file; a bare name found nowhere there is the shipped
scenario of that name, so a copied-out pilot file still builds on the shipped small agency.
A scenario given by a bare name (``small_agency``) that is not a file is the shipped one
(:func:`sim.paths.resolve_scenario`). Overrides (``--set ai.rollout=0.2``,
``--set destinations.0.producers=5``) are applied last, with the same dotted key paths the error
messages use.

Every user mistake becomes a :class:`ScenarioError` naming the file, the key path and what is
allowed, so the CLI can print one clear message and exit with code 2. Hostile files are refused
the same way, before any work: a file over :data:`sim.limits.MAX_SCENARIO_BYTES`, tables or
lists nested deeper than :data:`sim.limits.MAX_NESTING_DEPTH`, an ``extends`` chain longer than
:data:`sim.limits.MAX_EXTENDS_CHAIN`, an infinite or NaN number anywhere (``inf``, ``nan``, in
the file or an override), an override into a text value (``--set inbound.profile.0=2`` when the
profile is a name), and a volume over :data:`sim.limits.MAX_CALLS_PER_REPLICATION`.
"""

from __future__ import annotations

import copy
import re
import tomllib
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pydantic
import tomli_w
from pydantic import ValidationError

from sim import limits
from sim.paths import is_bare_name, resolve_scenario, shipped_scenario, shipped_scenarios
from sim.scenario import Scenario, unwrap_annotation

__all__ = [
    "ScenarioError",
    "apply_overrides",
    "derive",
    "load_scenario",
    "load_scenario_text",
    "parse_overrides",
    "scenario_from_dict",
    "scenario_to_toml",
]


class ScenarioError(ValueError):
    """A scenario file (or override) that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {key}: {msg}" if key else f"{source}: {msg}" for key, msg in problems]
        super().__init__("\n".join(lines))


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
) -> Scenario:
    """Load and validate a scenario file.

    ``overrides`` is either a mapping of dotted key paths to values
    (``{"ai.rollout": 0.2}``) or ``"key=value"`` strings as given to ``--set``, where the value
    is read as TOML (``5``, ``0.2``, ``true``, ``"text"``, ``[1, 2]``) and otherwise taken as text.
    ``path`` may also be the bare name of a shipped scenario (``"small_agency"``).
    """
    path = resolve_scenario(path)
    if not path.exists() and is_bare_name(path):
        names = ", ".join(shipped_scenarios())
        raise ScenarioError(
            str(path), [("", f"file not found, and no shipped scenario has that name ({names})")]
        )
    data = _read_with_extends(path, chain=())
    return scenario_from_dict(data, source=str(path), overrides=overrides)


def load_scenario_text(
    text: str | bytes,
    source: str,
    base_dir: str | Path,
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
) -> Scenario:
    """Load a scenario given as text (an upload), resolving ``extends`` inside ``base_dir``
    only: an uploaded file can build on a shipped scenario but cannot reach other files."""
    _check_size(len(text), source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(source, [("", f"not valid UTF-8 text: {exc}")]) from None
    data = _parse_toml(text, source)
    base_name = data.pop("extends", None)
    if base_name is not None:
        base_dir = Path(base_dir).resolve()
        base_path = (base_dir / str(base_name)).resolve()
        inside = base_path.parent == base_dir and base_path.is_file()
        if not isinstance(base_name, str) or not inside:
            choices = ", ".join(sorted(p.name for p in base_dir.glob("*.toml")))
            raise ScenarioError(
                source, [("extends", f"must name one of {choices}; got {base_name!r}")]
            )
        data = _merge(_read_with_extends(base_path, chain=()), data)
    return scenario_from_dict(data, source=source, overrides=overrides)


def scenario_from_dict(
    data: Mapping[str, Any],
    source: str = "<scenario>",
    overrides: Mapping[str, Any] | Iterable[str] | None = None,
) -> Scenario:
    """Validate an already parsed scenario table (e.g. from the dashboard's form)."""
    _check_tree(data, source)
    table = copy.deepcopy(dict(data))
    table.pop("extends", None)
    if overrides:
        parsed = parse_overrides(overrides, source)
        _check_tree(parsed, source)
        table = apply_overrides(table, parsed, source)
        _check_tree(table, source)
    try:
        scenario = Scenario.model_validate(table)
    except ValidationError as exc:
        raise ScenarioError(source, _explain(exc)) from None
    problems = limits.check_scenario(scenario)
    if problems:
        raise ScenarioError(source, problems)
    return scenario


def _check_tree(data: Any, source: str) -> None:
    """Refuse a table nested too deeply or holding an infinity or NaN, naming the key."""
    deep = limits.deepest(data)
    if deep is not None:
        raise ScenarioError(
            source,
            [(deep[:80], f"nested more than {limits.MAX_NESTING_DEPTH} levels deep (the limit)")],
        )
    bad = limits.non_finite(data)
    if bad is not None:
        raise ScenarioError(source, [(bad[0], f"must be a finite number, got {bad[1]}")])


def _check_size(size: int, source: str) -> None:
    if size > limits.MAX_SCENARIO_BYTES:
        raise ScenarioError(
            source,
            [("", f"{limits.size_text(size)} is larger than a scenario file may be "
                  f"({limits.size_text(limits.MAX_SCENARIO_BYTES)}, the limit)")],
        )  # fmt: skip


def derive(scenario: Scenario, overrides: Mapping[str, Any], source: str = "<derived>") -> Scenario:
    """A copy of ``scenario`` with dotted-key overrides applied and validated again (how the
    planning tools build variants: the all-human baseline, a sensitivity point, a sweep cell)."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    return scenario_from_dict(data, source=source, overrides=dict(overrides))


def scenario_to_toml(scenario: Scenario, header: str | None = None) -> str:
    """The scenario as a TOML file that ``load_scenario`` reads back to an equal scenario
    (every key written out, defaults included), with ``header`` as leading comment lines."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    comments = "".join(f"# {line}\n".replace("# \n", "#\n") for line in (header or "").splitlines())
    return comments + (("\n" if comments else "") + tomli_w.dumps(data, multiline_strings=True))


def parse_overrides(
    overrides: Mapping[str, Any] | Iterable[str], source: str = "--set"
) -> dict[str, Any]:
    """Turn ``key=value`` strings into a ``{dotted_key: value}`` mapping (the one parser,
    :func:`sim.overrides.parse_overrides`, shared with ``--grid``)."""
    from sim.overrides import parse_overrides as parse  # sim.overrides imports this module

    return parse(overrides, source)


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any], source: str) -> dict:
    """Set each dotted key path in a copy of ``data``; list items are addressed by index."""
    data = copy.deepcopy(data)
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        target: Any = data
        for depth, part in enumerate(parts[:-1]):
            target = _step(target, part, parts[: depth + 1], dotted, source, create=True)
        last = parts[-1]
        if isinstance(target, list):
            index = _index(target, last, dotted, source)
            target[index] = value
        elif isinstance(target, dict):
            target[last] = value
        else:
            raise ScenarioError(source, [(dotted, _not_a_table(parts[:-1], target))])
    return data


def _not_a_table(parts: list[str], value: Any) -> str:
    kind = "text" if isinstance(value, str) else type(value).__name__
    return f"{'.'.join(parts)} is a single value ({kind}), not a table or list to go into"


def _step(target: Any, part: str, so_far: list[str], dotted: str, source: str, create: bool):
    if isinstance(target, list):
        return target[_index(target, part, dotted, source)]
    if not isinstance(target, dict):
        raise ScenarioError(source, [(dotted, _not_a_table(so_far[:-1], target))])
    if part not in target:
        if not create:
            raise ScenarioError(source, [(dotted, "no such key")])
        target[part] = {}
    return target[part]


def _index(target: list, part: str, dotted: str, source: str) -> int:
    try:
        index = int(part)
    except ValueError:
        raise ScenarioError(source, [(dotted, f"{part!r} must be a list index")]) from None
    if not -len(target) <= index < len(target):
        raise ScenarioError(
            source, [(dotted, f"index {index} out of range: the list has {len(target)} item(s)")]
        )
    return index


def _read_with_extends(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """The file's table merged over its bases, following ``extends`` one file at a time (no
    recursion), at most :data:`sim.limits.MAX_EXTENDS_CHAIN` bases deep."""
    layers: list[dict[str, Any]] = []
    seen = list(chain)
    start = path
    while True:
        resolved = path.resolve()
        if resolved in seen:
            names = " → ".join(p.name for p in (*seen, resolved))
            raise ScenarioError(str(path), [("extends", f"circular extends: {names}")])
        if len(seen) > limits.MAX_EXTENDS_CHAIN:
            raise ScenarioError(
                str(start),
                [("extends", f"a chain of more than {limits.MAX_EXTENDS_CHAIN} base scenarios "
                             f"(the limit; it reached {path.name})")],
            )  # fmt: skip
        seen.append(resolved)
        data = _read_toml(path)
        base_name = data.pop("extends", None)
        layers.append(data)
        if base_name is None:
            break
        path = _base_path(path, base_name)
    merged = layers.pop()
    while layers:
        merged = _merge(merged, layers.pop())
    return merged


def _base_path(path: Path, base_name: Any) -> Path:
    if not isinstance(base_name, str):
        raise ScenarioError(str(path), [("extends", "must be a file name (text)")])
    base_path = (path.parent / base_name) if not Path(base_name).is_absolute() else Path(base_name)
    if not base_path.is_file() and is_bare_name(base_name):
        base_path = shipped_scenario(base_name) or base_path
    if not base_path.is_file():
        raise ScenarioError(
            str(path), [("extends", f"base scenario {base_name!r} not found at {base_path}")]
        )
    return base_path


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ScenarioError(str(path), [("", "file not found")])
    if path.is_dir():
        raise ScenarioError(str(path), [("", "is a directory, not a scenario file")])
    try:
        _check_size(path.stat().st_size, str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(str(path), [("", f"not valid UTF-8 text: {exc}")]) from None
    except OSError as exc:
        raise ScenarioError(str(path), [("", f"cannot read: {exc.strerror}")]) from None
    return _parse_toml(text, str(path))


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    _check_size(len(text), source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [("", f"not valid TOML: {exc}")]) from None
    except RecursionError:
        raise ScenarioError(
            source,
            [
                (
                    "",
                    f"tables or lists nested more than {limits.MAX_NESTING_DEPTH} levels deep "
                    "(the limit)",
                )
            ],
        ) from None
    _check_tree(data, source)
    return data


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _explain(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors(include_url=False):
        shown, _ = _walk(err["loc"])
        key = ".".join(shown)
        if err["type"] == "extra_forbidden":
            parent = _walk(err["loc"][:-1])[1]
            allowed = sorted(parent.model_fields) if _is_model(parent) else []
            msg = "unknown key" + (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] != "value_error" and not isinstance(err.get("input"), dict | list):
                msg += f" (got {err.get('input')!r})"
            # Cross-checks on the whole scenario name their key at the start of the message.
            located = _KEYED_MESSAGE.match(msg)
            if not key and located:
                key, msg = located.group(1), located.group(2)
        problems.append((key, msg))
    return problems


_KEYED_MESSAGE = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_]+)+|[a-z_]+): (.*)$", re.S)


def _walk(loc: tuple) -> tuple[list[str], Any]:
    """Follow an error location from :class:`Scenario` through the model annotations.

    Returns the location as the user wrote it (without the distribution tag pydantic inserts
    for discriminated unions) and the annotation found there (or None when it leaves the model).
    """
    node: Any = Scenario
    shown: list[str] = []
    for part in loc:
        node = unwrap_annotation(node)
        if _is_model(node):
            node = node.model_fields[part].annotation if part in node.model_fields else None
        elif typing.get_origin(node) is list:
            node = typing.get_args(node)[0]
        elif typing.get_origin(node) is dict:
            node = typing.get_args(node)[1]
        elif typing.get_args(node):  # a discriminated union: ``part`` is the chosen tag
            node = next((m for m in typing.get_args(node) if _tag(m) == part), None)
            continue
        else:
            node = None
        shown.append(str(part))
    return shown, unwrap_annotation(node)


def _is_model(node: Any) -> bool:
    return isinstance(node, type) and issubclass(node, pydantic.BaseModel)


def _tag(model: Any) -> str | None:
    if _is_model(model) and "dist" in model.model_fields:
        return typing.get_args(model.model_fields["dist"].annotation)[0]
    return None
