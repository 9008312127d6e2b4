"""Scenario: pick a shipped agency or upload one, edit its main keys, download it as TOML.

The form edits a copy of the current scenario's data. "Apply" validates the whole scenario
with ``sim.scenario_from_dict``; every problem it reports (a key path and a message) is shown
under the field for that key, or under its section when no single field owns it. Only a valid
scenario becomes the current one that the other pages use.

An upload is held to the lab's limits (:mod:`sim.limits`): over
:data:`~sim.limits.MAX_SCENARIO_BYTES` it is refused unread; nesting deeper than
:data:`~sim.limits.MAX_NESTING_DEPTH`, an infinite number or a volume over
:data:`~sim.limits.MAX_CALLS_PER_REPLICATION` is refused by the loader, so no upload can make
the server that every tab shares run out of memory. Names, the description and problems are
shown as plain text (:func:`dashboards.common.plain`).
"""

from __future__ import annotations

import copy
import math
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pydantic
import streamlit as st

import sim
from dashboards.common import (
    SCENARIO_DATA,
    code_label,
    current_label,
    current_scenario,
    in_words,
    plain,
    set_scenario,
    shipped,
    upload_problem,
)
from dashboards.views import scenario_segments as segments
from dashboards.views import scenario_week as week
from sim import limits
from sim.loader import load_scenario_text, scenario_to_toml
from sim.overrides import fingerprint
from sim.paths import SCENARIOS_DIR
from sim.scenario import TIME_ZONES, WEEKDAYS, unwrap_annotation

COMMON_ZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
    "America/Puerto_Rico", "Europe/London", "Europe/Dublin", "Australia/Sydney",
)  # fmt: skip
# Offered beside the lab's US abbreviations; any other IANA name can be typed in the box.

# Prefix of the session keys of the form widgets (followed by the scenario key path).
FORM = "form."
# Session key: fingerprint of the scenario the form was last filled from.
FORM_FOR = "form_for"
# Session key: ``[(key_path, message)]`` from the last rejected Apply.
PROBLEMS = "form_problems"
# Session key: why the last pick/upload could not be loaded.
LOAD_ERROR = "load_error"
# Session key: the TOML text the download button offers.
TOML_TEXT = "scenario_toml"

PROFILES = ("business_day", "flat", "morning_peak", "afternoon_peak")


@dataclass(frozen=True)
class Field:
    """One form widget, bound to a key path of the scenario table (``label`` is Markdown: a name
    in it is escaped with :func:`plain`, the rest left as is, so a screen reader reads it
    without backslashes): ``path`` dotted (its widget
    key, and how validation problems name it), ``parts`` the keys themselves when a name in it
    holds a dot (a call type named ``"v2.1 quote"``)."""

    path: str
    label: str
    kind: str = "float"  # float, int, bool, text, textarea, select
    options: tuple = ()
    step: float = 0.01
    fmt: str = "%.2f"
    parts: tuple = ()

    @property
    def keys(self) -> tuple:
        return self.parts or tuple(self.path.split("."))


def _section_fields(data: Mapping[str, Any]) -> list[tuple[str, str, list[Field]]]:
    """``(title, key prefix, fields)`` of each form section, for this scenario's shape."""
    F = Field
    sections: list[tuple[str, str, list[Field]]] = [
        ("General", "", [
            F("name", "Name", "text"),
            F("days", "Days per replication", "int"),
            F("seed", "Seed", "int"),
            F("service_level_seconds", "Service level target (s)", "float", step=1.0,
              fmt="%.0f"),
            F("description", "Description", "textarea"),
        ]),
        ("Hours", "hours", [
            F("hours.open", "Open (HH:MM)", "text"),
            F("hours.close", "Close (HH:MM)", "text"),
            F("hours.timezone", "Time zone", "select", (*TIME_ZONES, *COMMON_ZONES)),
            F("hours.first_weekday", "First simulated day", "select", WEEKDAYS),
        ]),
    ]  # fmt: skip
    inbound = [F("inbound.calls_per_day", "Inbound calls per day", step=1.0, fmt="%.0f")]
    if isinstance(data["inbound"].get("profile"), str):
        inbound.append(F("inbound.profile", "Intraday profile", "select", PROFILES))
    if data.get("outbound") is not None:
        inbound += [
            F("outbound.contacts_per_week", "Outbound contacts per week", step=10.0, fmt="%.0f"),
            F("outbound.answer_rate", "Outbound answer rate"),
            F("outbound.containment", "Outbound AI containment"),
        ]
    sections.append(("Calls", "inbound", inbound))
    ai = [
        F("ai.enabled", "Voice AI on", "bool"),
        F("ai.rollout", "AI rollout (share of calls)"),
        F("ai.cost_per_minute", "AI cost per minute ($)", step=0.01, fmt="%.3f"),
        F("ai.lines", "AI lines", "int"),
        *_dist_field("ai.talk_minutes", "AI talk (min)", data["ai"].get("talk_minutes")),
    ]
    sections.append(("Voice AI", "ai", ai))
    types = []
    for name in data["call_types"]:
        types += [
            F(f"call_types.{name}.share", f"{plain(code_label(name))}: share of calls",
              parts=("call_types", name, "share")),
            F(f"call_types.{name}.containment", f"{plain(code_label(name))}: AI containment",
              parts=("call_types", name, "containment")),
        ]  # fmt: skip
    sections.append(("Call types", "call_types", types))
    groups = []
    for i, dest in enumerate(data["destinations"]):
        p = f"destinations.{i}"
        groups += [
            F(f"{p}.name", f"Group {i + 1}: name", "text"),
            F(f"{p}.producers", f"Group {i + 1}: producers", "int"),
            *_dist_field(
                f"{p}.handle_minutes", f"Group {i + 1}: handle (min)", dest.get("handle_minutes")
            ),
            *_dist_field(
                f"{p}.wrap_up_minutes", f"Group {i + 1}: wrap-up (min)", dest.get("wrap_up_minutes")
            ),
        ]
    sections.append(("Producer groups", "destinations", groups))
    transfer = [
        *_dist_field(
            "transfer.patience_minutes",
            "Caller patience (min)",
            data["transfer"].get("patience_minutes"),
        ),
        F("transfer.whisper_seconds", "Whisper (s)", step=1.0, fmt="%.0f"),
        F("transfer.failure_rate", "Bridge failure rate", step=0.01, fmt="%.3f"),
        F("transfer.fallback", "Fallback", "select", ("callback", "voicemail", "drop")),
    ]
    sections.append(("Transfer", "transfer", transfer))
    sections.append(("Caller segments", "segments", []))  # a table (scenario_week)
    sections.append(
        (
            "Outcomes",
            "outcomes",
            [
                F("outcomes.conversion_warm", "Conversion, warm transfer"),
                F("outcomes.conversion_cold", "Conversion, cold contact"),
                F("outcomes.first_call_resolution", "First-call resolution"),
                F("outcomes.repeat_explain_rate", "Repeat-explain rate"),
            ],
        )
    )
    sections.append(("Money", "costs", [
        F("costs.human_cost_per_call", "Human intake cost per call ($)", step=0.5),
        F("costs.producer_hourly", "Producer cost per hour ($)", step=1.0),
        F("costs.revenue_per_policy", "Revenue per policy ($)", step=10.0, fmt="%.0f"),
        F("costs.platform_monthly", "AI platform per month ($)", step=10.0, fmt="%.0f"),
        F("costs.setup", "AI set-up, one-off ($)", step=100.0, fmt="%.0f"),
    ]))  # fmt: skip
    return sections


def _dist_field(path: str, label: str, dist: Mapping[str, Any] | None) -> list[Field]:
    """The editable number of a duration distribution: its mean, or a fixed value."""
    if not dist:
        return []
    if "mean" in dist:
        return [Field(f"{path}.mean", f"{label}, mean", step=0.1, fmt="%.2f")]
    if "value" in dist:
        return [Field(f"{path}.value", label, step=0.1, fmt="%.2f")]
    return []


def _get(data: Any, keys: tuple) -> Any:
    for part in keys:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _set(data: Any, keys: tuple, value: Any) -> None:
    parent = _get(data, keys[:-1])
    if isinstance(parent, list):
        parent[int(keys[-1])] = value
    else:
        parent[keys[-1]] = value


def _all_fields(data: Mapping[str, Any]) -> list[Field]:
    return [f for _, _, fields in _section_fields(data) for f in fields]


def _fill_form(data: Mapping[str, Any]) -> None:
    """Put the scenario's values into the form widgets' session keys."""
    for f in _all_fields(data):
        value = _get(data, f.keys)
        if f.kind == "float":
            value = float(value)
        elif f.kind == "int":
            value = int(value)
        st.session_state[FORM + f.path] = value
    st.session_state[PROBLEMS] = []


# --- callbacks ------------------------------------------------------------------------------


def _apply() -> None:
    """Validate the form; make it the current scenario, or keep the problems to show."""
    data = st.session_state[SCENARIO_DATA]
    edited = copy.deepcopy(data)
    for f in _all_fields(data):  # by keys, not dotted paths: a name may hold a dot
        _set(edited, f.keys, st.session_state[FORM + f.path])
    week.apply_week(data, edited)  # the tables' editors
    tables = segments.apply_segments(data, edited)
    label = current_label().removesuffix(", edited")
    try:
        scenario = sim.scenario_from_dict(edited, source=label)
    except sim.ScenarioError as exc:
        st.session_state[PROBLEMS] = tables + list(exc.problems)
        return
    if tables:
        st.session_state[PROBLEMS] = tables
        return
    set_scenario(scenario, f"{label}, edited")
    st.session_state[PROBLEMS] = []
    week.reset()


def _discard() -> None:
    _fill_form(st.session_state[SCENARIO_DATA])
    week.reset()


def _load_shipped() -> None:
    stem = st.session_state["pick_shipped"]
    path = shipped()[stem]
    try:
        set_scenario(sim.load_scenario(path), path.name)
    except sim.ScenarioError as exc:
        st.session_state[LOAD_ERROR] = str(exc)
    else:
        st.session_state[LOAD_ERROR] = None


def _load_upload() -> None:
    upload = st.session_state.get("upload")
    if upload is None:
        return
    refused = upload_problem(upload.name, upload.size, "scenario file", limits.MAX_SCENARIO_BYTES)
    if refused:
        st.session_state[LOAD_ERROR] = refused
        return
    try:
        scenario = read_uploaded(upload.name, upload.getvalue())
    except sim.ScenarioError as exc:
        st.session_state[LOAD_ERROR] = str(exc)
    else:
        set_scenario(scenario, f"uploaded {upload.name}")
        st.session_state[LOAD_ERROR] = None


@st.cache_data(show_spinner=False)
def _titles(files: tuple[tuple[str, str, float], ...]) -> dict[str, str]:
    """Each shipped scenario's own name by file stem (cached on the files' times)."""
    out = {}
    for stem, path, _ in files:
        try:
            out[stem] = sim.load_scenario(path).name
        except sim.ScenarioError:
            out[stem] = stem
    return out


def shipped_titles() -> dict[str, str]:
    """The shipped scenarios' names ("Small life agency") by file stem."""
    files = tuple((stem, str(p), p.stat().st_mtime) for stem, p in shipped().items())
    return _titles(files)


def read_uploaded(name: str, content: bytes) -> sim.Scenario:
    """Validate an uploaded scenario file. ``extends`` may name a shipped scenario file; the
    loader refuses one over the size or nesting limit (:mod:`sim.limits`)."""
    return load_scenario_text(content, source=name, base_dir=SCENARIOS_DIR)


# --- help texts from the scenario model -------------------------------------------------------


def field_help(path: str | tuple) -> str | None:
    """The docstring of the scenario key at ``path`` (dotted, or its keys; the same text as
    the README reference)."""
    node: Any = sim.Scenario
    found = None
    for part in path.split(".") if isinstance(path, str) else path:
        node = unwrap_annotation(node)
        if isinstance(node, type) and issubclass(node, pydantic.BaseModel):
            info = node.model_fields.get(part)
            if info is None:
                return found
            found = info.description or found
            node = info.annotation
        elif typing.get_origin(node) in (list, dict):
            node = typing.get_args(node)[-1]
        else:
            return found
    return found


# --- drawing ------------------------------------------------------------------------------------


class _Problems:
    """Hands out the validation problems: each is shown once, under the first owner asking."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.left = list(problems)

    def take(self, path: str, exact: bool = False) -> list[str]:
        def owns(key: str) -> bool:
            return key == path or (not exact and key.startswith(path + "."))

        mine = [(k, m) for k, m in self.left if owns(k)]
        self.left = [p for p in self.left if p not in mine]
        return [m if k == path else f"{k}: {m}" for k, m in mine]


def _widget(f: Field) -> None:
    key = FORM + f.path
    found = field_help(f.keys)  # written for the file: its key names in words here
    help_text = in_words(found) if found else None

    if f.kind == "int":
        st.number_input(f.label, step=1, key=key, help=help_text)
    elif f.kind == "float":
        st.number_input(f.label, step=f.step, format=f.fmt, key=key, help=help_text)
    elif f.kind == "bool":
        st.toggle(f.label, key=key, help=help_text)
    elif f.path == "hours.timezone":  # the lab's US zones, common IANA ones, or any typed
        options = list(f.options)
        current = st.session_state.get(key)
        if isinstance(current, str) and current not in options:
            options.append(current)  # the scenario's own zone (e.g. a calibrated log's)
        st.selectbox(f.label, options, key=key, help=help_text, accept_new_options=True)
    elif f.path == "hours.first_weekday":
        st.selectbox(f.label, f.options, key=key, help=help_text, format_func=week.day_name)
    elif f.kind == "select":
        st.selectbox(f.label, f.options, key=key, help=help_text, format_func=code_label)
    elif f.kind == "textarea":
        st.text_area(f.label, key=key, help=help_text, height=80)
    else:
        st.text_input(f.label, key=key, help=help_text)


def _form(data: Mapping[str, Any]) -> None:
    problems = _Problems(st.session_state.get(PROBLEMS, []))
    if problems.left:
        st.error(
            f"Not applied: {len(problems.left)} problem(s), shown next to the fields below. "
            "The other pages still use the last valid scenario."
        )
    with st.form("scenario_form", border=False):
        for title, prefix, fields in _section_fields(data):
            with st.container(border=True):
                st.markdown(f"**{plain(title)}**")
                cols = st.columns(4) if fields else []
                for i, f in enumerate(fields):
                    with cols[i % 4]:
                        _widget(f)
                        for message in problems.take(f.path):
                            st.error(plain(message), icon=":material/error:")
                if prefix == "hours":
                    week.draw_week(data, problems)
                    week.draw_rosters(current_scenario(), problems)
                elif prefix == "segments":
                    segments.draw_segments(data, problems)
                if prefix:
                    for message in problems.take(prefix):
                        st.error(plain(message), icon=":material/error:")
        # Problems no field or section owns (e.g. cross-checks between sections).
        for key, message in problems.left:
            st.error(plain(f"{key}: {message}" if key else message), icon=":material/error:")
        c1, c2, _ = st.columns([1, 1, 4])
        c1.form_submit_button("Apply", type="primary", on_click=_apply)
        c2.form_submit_button("Discard edits", on_click=_discard)


def main() -> None:
    scenario = current_scenario()
    data = st.session_state[SCENARIO_DATA]
    forgotten = any(FORM + f.path not in st.session_state for f in _all_fields(data))
    if st.session_state.get(FORM_FOR) != fingerprint(scenario) or forgotten:
        # (Streamlit forgets the form's values when another page was shown: refill them)
        _fill_form(data)
        week.reset()  # (tables added but not applied belong to the scenario left)
        st.session_state[FORM_FOR] = fingerprint(scenario)

    st.title("Scenario")
    st.caption(
        f"Current scenario: **{plain(scenario.name)}** ({plain(current_label())}). "
        "The Simulate page runs this one."
    )
    pick, upload = st.columns(2)
    names = list(shipped())
    if "pick_shipped" not in st.session_state:
        st.session_state["pick_shipped"] = "small_agency" if "small_agency" in names else names[0]
    titles = shipped_titles()
    pick.selectbox(
        "Shipped scenario",
        names,
        key="pick_shipped",
        on_change=_load_shipped,
        format_func=lambda stem: f"{titles.get(stem, stem)} ({stem}.toml)",  # options: plain text
        help="The example agencies shipped with the lab (the folder sim/scenarios/).",
    )
    pick.button(
        "Reload it",
        on_click=_load_shipped,
        key="reload_shipped",
        help="Load the chosen shipped scenario again, dropping uploads and edits.",
    )
    upload.file_uploader(
        "…or upload a scenario file (TOML)",
        type=["toml"],
        key="upload",
        on_change=_load_upload,
        # the browser refuses a file over the lab's limit too (Streamlit counts MiB)
        max_upload_size=max(1, math.ceil(limits.MAX_SCENARIO_BYTES / 2**20)),
        help=f"At most {limits.size_text(limits.MAX_SCENARIO_BYTES)}, tables nested at most "
        f"{limits.MAX_NESTING_DEPTH} deep, at most {limits.MAX_CALLS_PER_REPLICATION:,} calls "
        "per replication (the lab's limits).",
    )
    upload.caption(
        f"At most {limits.size_text(limits.MAX_SCENARIO_BYTES)} (the lab's limit): the browser "
        "refuses a larger file before sending it (marked red; its tooltip says why)."
    )
    if st.session_state.get(LOAD_ERROR):
        st.error(
            f"Could not load that scenario; keeping **{plain(scenario.name)}**.\n\n"
            + plain(st.session_state[LOAD_ERROR])
        )
    if scenario.description:
        st.markdown("> " + plain(" ".join(scenario.description.split())))
    gaps = scenario.routable_gaps()
    if gaps:
        st.warning(
            f"No producer group accepts trigger(s) {plain(', '.join(gaps))}: those callers "
            "always get the fallback."
        )

    _form(data)

    text = scenario_to_toml(
        scenario, header=f"{scenario.name}\nExported from Warm Handoff Lab ({current_label()})."
    )
    st.session_state[TOML_TEXT] = text
    slug = re.sub(r"[^a-z0-9]+", "_", scenario.name.lower()).strip("_") or "scenario"
    st.download_button(
        "Download the scenario (TOML)",
        text,
        f"{slug}.toml",
        "application/toml",
        key="dl_toml",
        icon=":material/download:",
    )
    with st.expander("Preview the TOML"):
        st.code(text, language="toml")


main()
