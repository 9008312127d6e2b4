"""The Scenario page's caller segments (``[[segments]]``): one row each, edited in a table.

A row is a segment's name (typed in words, "New client", kept as the file's ``new_client``),
its share of the calls reaching a producer, its queue priority and its patience: the
transfer's caller patience, or a distribution of its own given by kind, mean and SD (a uniform,
triangular or empirical patience is kept as in the file). Rows can be added and deleted;
deleting every row leaves one first-come, first-served queue. A scenario without segments shows
"Add caller segments", which adds two (priority and standard) as an edit applied with the rest
of the form. sim validates them on Apply (names, shares adding up to 1, priorities 0 to 9); a
problem is shown under the table naming the segment and the column. The editor's state and
the added tables are kept as :mod:`dashboards.views.scenario_week` keeps the week's.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from pydantic import TypeAdapter

from dashboards.common import code_label, plain
from dashboards.views.scenario_week import Problems, drafts, editor_key, edits, fresh_editor, take
from sim.engine.distributions import Distribution

# Session key: the segments as last tried by Apply (to name a segment in a problem).
TRIED_SEGMENTS = "segments_tried"

SEGMENT_COLUMNS = {
    "segment": "Segment",
    "share": "Share of calls (0–1)",
    "priority": "Priority (0–9, higher first)",
    "patience": "Patience",
    "mean": "Mean patience (min)",
    "sd": "Patience SD (min)",
}
SEGMENT_KEYS = {"name": "segment", "share": "share", "priority": "priority",
                "patience_minutes": "patience", "patience_minutes.mean": "mean",
                "patience_minutes.value": "mean", "patience_minutes.sd": "sd"}  # fmt: skip

SAME = "Same as transfer"
KINDS = {"exponential": "Exponential", "lognormal": "Log-normal", "gamma": "Gamma",
         "fixed": "Fixed", "uniform": "Uniform", "triangular": "Triangular",
         "empirical": "Empirical"}  # fmt: skip
EDITABLE_KINDS = ("exponential", "lognormal", "gamma", "fixed")
# Kinds whose shape the table cannot edit (their own parameters): kept as in the file.
STARTING_SEGMENTS = [
    {"name": "priority", "share": 0.2, "priority": 1},
    {"name": "standard", "share": 0.8, "priority": 0},
]

_DIST: TypeAdapter[Any] = TypeAdapter(Distribution)


def segment_base(data: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The segments the editor starts from (added ones, or the scenario's), or None."""
    drafted = drafts().get("segments")
    if drafted is not None:
        return drafted
    return data.get("segments") or None


def add_segments() -> None:
    """Callback of "Add caller segments"."""
    drafts()["segments"] = copy.deepcopy(STARTING_SEGMENTS)
    fresh_editor("segments")


# --- the table ----------------------------------------------------------------------------


def _patience_numbers(dist: Mapping[str, Any]) -> tuple[float, float]:
    """Mean and standard deviation of a patience distribution (minutes)."""
    kind = dist["dist"]
    if kind == "exponential":
        return float(dist["mean"]), float(dist["mean"])
    if kind == "fixed":
        return float(dist["value"]), 0.0
    if kind in ("lognormal", "gamma"):
        return float(dist["mean"]), float(dist["sd"])
    model = _DIST.validate_python(dist)  # the others: their mean, and the SD of their quantiles
    u = (np.arange(4000) + 0.5) / 4000
    return float(model.mean_value), float(np.std(model.ppf(u)))


def segment_frame(
    segments: Sequence[Mapping[str, Any]], transfer: Mapping[str, Any]
) -> pd.DataFrame:
    """The segments as the editor shows them (names in words, patience as kind, mean, SD)."""
    rows = []
    for seg in segments:
        own = seg.get("patience_minutes")
        mean, sd = _patience_numbers(own or transfer)
        rows.append({
            "segment": code_label(seg.get("name", "")),
            "share": float(seg.get("share", 0.0)),
            "priority": int(seg.get("priority", 0)),
            "patience": KINDS[own["dist"]] if own else SAME,
            "mean": round(mean, 4),
            "sd": round(sd, 4),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS))


def _patience(
    own: Mapping[str, Any] | None, changes: Mapping[str, Any], transfer: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, str | None]:
    """A segment's patience after its row's edits, or a problem with the edit (in words)."""
    current = KINDS[own["dist"]] if own else SAME
    label = changes.get("patience") or current
    numbers = "mean" in changes or "sd" in changes
    if label == SAME and not numbers:
        return None, None
    base = own or transfer
    kind = {v: k for k, v in KINDS.items()}.get(label, base["dist"])
    if kind not in EDITABLE_KINDS:
        if numbers:
            return dict(base), f"a {label.lower()} patience is edited in the scenario file"
        return dict(base), None
    mean, sd = _patience_numbers(base) if base["dist"] in EDITABLE_KINDS else (None, None)
    mean, sd = changes.get("mean", mean), changes.get("sd", sd)
    if kind == "exponential":
        if "sd" in changes and not (sd is not None and mean is not None and math.isclose(sd, mean)):
            return None, "an exponential patience's SD is its mean; choose Log-normal or Gamma"
        return {"dist": kind, "mean": mean}, None
    if kind == "fixed":
        if "sd" in changes and sd not in (0, None):
            return None, "a fixed patience has no spread (SD 0); choose Log-normal or Gamma"
        return {"dist": kind, "value": mean}, None
    return {"dist": kind, "mean": mean, "sd": sd}, None


def edited_segments(
    segments: Sequence[Mapping[str, Any]], edits: Mapping[str, Any], transfer: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The segments with an editor's edits (cells, added and deleted rows), and the problems
    of edits the table cannot express (keyed like sim's)."""
    deleted = {int(r) for r in edits.get("deleted_rows", [])}
    by_row = {int(r): c for r, c in edits.get("edited_rows", {}).items()}
    rows: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = [
        (seg, by_row.get(i, {})) for i, seg in enumerate(segments) if i not in deleted
    ]
    rows += [({}, added) for added in edits.get("added_rows", [])]
    out: list[dict[str, Any]] = []
    problems = []
    for seg, changes in rows:
        item = copy.deepcopy(dict(seg))
        if "segment" in changes:
            text = str(changes["segment"] or "").strip()
            item.pop("name", None)
            if text:  # typed in words: "New client" is new_client
                item["name"] = re.sub(r"\s+", "_", text.lower())
        for column in ("share", "priority"):
            if column in changes:
                value = changes[column]
                if value is None:
                    item.pop(column, None)
                else:
                    whole = column == "priority" and float(value).is_integer()
                    item[column] = int(value) if whole else value
        patience, problem = _patience(seg.get("patience_minutes"), changes, transfer)
        item.pop("patience_minutes", None)
        if patience is not None:
            item["patience_minutes"] = patience
        if problem:
            problems.append((f"segments.{len(out)}.patience_minutes", problem))
        out.append(item)
    return out, problems


def draw_segments(data: Mapping[str, Any], problems: Problems) -> None:
    """The segments' table (or the button adding them) and its problems."""
    segments = segment_base(data)
    mine = take(problems, ("segments",))
    if segments is None:
        st.caption(
            "One queue, first come first served. Caller segments answer some callers first "
            "(existing clients, renewals) and may give them their own patience."
        )
        st.form_submit_button(
            "Add caller segments", on_click=add_segments, icon=":material/group_add:"
        )
    else:
        if "segments" in drafts():
            st.info("Caller segments are added: press Apply to use them.", icon=":material/info:")
        patience_kinds = [SAME, *(KINDS[k] for k in EDITABLE_KINDS)]
        others = {s.get("patience_minutes", {}).get("dist") for s in segments}
        patience_kinds += [KINDS[k] for k in sorted(others - {None, *EDITABLE_KINDS})]
        st.data_editor(
            segment_frame(segments, data["transfer"]["patience_minutes"]),
            key=editor_key("segments"),
            hide_index=True,
            num_rows="dynamic",
            width="stretch",
            column_config={
                "segment": st.column_config.TextColumn(
                    SEGMENT_COLUMNS["segment"],
                    help="The segment's name in words (letters, digits and spaces, starting "
                    "with a letter); unique.",
                    required=True,
                ),
                "share": st.column_config.NumberColumn(
                    SEGMENT_COLUMNS["share"],
                    help="Share of the calls reaching a producer that belong to this segment; "
                    "the shares add up to 1.",
                    min_value=0.0,
                    max_value=1.0,
                    step=0.01,
                    format="%.2f",
                    required=True,
                ),
                "priority": st.column_config.NumberColumn(
                    SEGMENT_COLUMNS["priority"],
                    help="A free producer answers the highest priority waiting first (longest "
                    "waiting within one priority); nobody already talking is interrupted.",
                    min_value=0,
                    max_value=9,
                    step=1,
                    format="%d",
                ),
                "patience": st.column_config.SelectboxColumn(
                    SEGMENT_COLUMNS["patience"],
                    help="How long these callers wait for a producer before hanging up: the "
                    "caller patience of the Transfer section, or a distribution of their own.",
                    options=patience_kinds,
                ),
                "mean": st.column_config.NumberColumn(
                    SEGMENT_COLUMNS["mean"], min_value=0.0, step=0.1, format="%.2f"
                ),
                "sd": st.column_config.NumberColumn(
                    SEGMENT_COLUMNS["sd"],
                    help="Spread of the patience: set for log-normal and gamma (an exponential's "
                    "SD is its mean, a fixed one's 0).",
                    min_value=0.0,
                    step=0.1,
                    format="%.2f",
                ),
            },
        )
        st.caption(
            "Every call reaching a producer belongs to one segment, drawn by share; a callback "
            "keeps its caller's segment. Delete every row for one first-come, first-served queue."
        )
    for key, message in mine:
        st.error(plain(say(key, message)), icon=":material/error:")


def apply_segments(data: Mapping[str, Any], edited: dict[str, Any]) -> list[tuple[str, str]]:
    """Put the segments' editor into ``edited`` (the scenario table Apply validates); the
    problems of edits the table cannot express."""
    segments = segment_base(data)
    if segments is None:
        return []
    transfer = data["transfer"]["patience_minutes"]
    rows, problems = edited_segments(segments, edits("segments"), transfer)
    edited["segments"] = rows
    st.session_state[TRIED_SEGMENTS] = rows
    return problems


def say(key: str, message: str) -> str:
    """A segments problem naming the row and the column: "Segment 2 (Standard) · Share of
    calls (0–1): …"; one about the whole table: "Caller segments: …"."""
    parts = key.split(".")
    message = message.replace("lower_snake_case", "lower-case letters, digits and underscores")
    if key.startswith("segments.") and parts[1].isdigit():
        i = int(parts[1])
        tried = st.session_state.get(TRIED_SEGMENTS) or []
        name = tried[i].get("name") if i < len(tried) else None
        where = f"Segment {i + 1}" + (f" ({code_label(name)})" if name else "")
        column = SEGMENT_KEYS.get(".".join(parts[2:4])) or SEGMENT_KEYS.get(".".join(parts[2:3]))
        return (
            f"{where} · {SEGMENT_COLUMNS[column]}: {message}" if column else f"{where}: {message}"
        )
    return f"Caller segments: {message}"
