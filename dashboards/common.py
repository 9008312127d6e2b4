"""What every page of the lab shares: the current scenario, the look of the charts, KPI labels.

The **current scenario** lives in the browser session (``st.session_state``), so two tabs are
two independent sessions. The Scenario page sets it; every other page reads it with
:func:`current_scenario`, which loads the small agency the first time.

**User text is data**: a scenario, group, call-type, producer or file name, a description and an
error message quoting them are shown through :func:`plain`, which escapes everything Markdown,
HTML and Streamlit's directives would act on, so ``![x](http://…)`` shows as those characters
and never loads a remote image. Uploads are held to the lab's limits (:mod:`sim.limits`):
:func:`upload_problem` refuses one over the size limit before it is read, and the loader
refuses deep nesting and volumes over the limits.

The **look**: one plotly template (``"handoff"``, registered on import) and one palette, so a
colour means the same thing on every page (teal is the AI, slate the human path, green a good
outcome, red a lost caller).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

import roleplay
import sim
from roleplay.store import default_url
from sim import kpis, limits
from sim.overrides import fingerprint
from sim.paths import shipped_scenarios

DEFAULT_SCENARIO = "small_agency"
"""Stem of the shipped scenario a new session starts with."""

# --- state -----------------------------------------------------------------------------------

SCENARIO = "scenario"
"""Session key: the current, valid :class:`sim.Scenario`."""
SCENARIO_DATA = "scenario_data"
"""Session key: the current scenario as plain data (``model_dump(mode="json")``)."""
SCENARIO_LABEL = "scenario_label"
"""Session key: where the current scenario came from, for people ("small_agency.toml, edited")."""


def scenario_data(scenario: sim.Scenario) -> dict:
    """A scenario as the plain table a TOML file holds; ``sim.scenario_from_dict`` reads it back."""
    return scenario.model_dump(mode="json", exclude_none=True)


def set_scenario(scenario: sim.Scenario, label: str) -> None:
    """Make ``scenario`` the session's current scenario."""
    st.session_state[SCENARIO] = scenario
    st.session_state[SCENARIO_DATA] = scenario_data(scenario)
    st.session_state[SCENARIO_LABEL] = label


def current_scenario() -> sim.Scenario:
    """The session's current scenario (the default shipped one on first use)."""
    if SCENARIO not in st.session_state:
        shipped = shipped_scenarios()
        stem = DEFAULT_SCENARIO if DEFAULT_SCENARIO in shipped else next(iter(shipped))
        set_scenario(sim.load_scenario(shipped[stem]), f"{shipped[stem].name}")
    return st.session_state[SCENARIO]


def controls_for(
    scenario: sim.Scenario, key: str, reset: Callable[[sim.Scenario], None], prefix: str
) -> None:
    """Set a page's controls (the session keys starting with ``prefix``) from ``scenario`` with
    ``reset`` when they were last set from another scenario (its fingerprint is kept under the
    session key ``key``), so a page's sliders follow the Scenario page and otherwise keep what
    the user chose, also after a visit to another page: Streamlit forgets a widget's value when
    a run does not draw it, so the values are kept aside (under ``key + ".kept"``) and put
    back. A button's key must not start with ``prefix`` (a button's state cannot be set)."""
    state = st.session_state
    digest = fingerprint(scenario)
    kept = f"{key}.kept"
    if state.get(key) != digest:
        reset(scenario)
        state[key] = digest
    else:
        for name, value in state.get(kept, {}).items():
            if name not in state:
                state[name] = value
    scalars = (bool, int, float, str, type(None))
    state[kept] = {
        name: state[name]
        for name in list(state.keys())
        if isinstance(name, str)
        and name.startswith(prefix)
        and name not in (key, kept)
        and isinstance(state[name], scalars)
    }


def current_label() -> str:
    current_scenario()
    return st.session_state[SCENARIO_LABEL]


def scenario_caption() -> None:
    """One line under a page title saying which scenario the page shows."""
    scenario = current_scenario()
    st.caption(
        f"Scenario: **{plain(scenario.name)}** · {plain(current_label())} · {scenario.days} "
        "simulated days per replication · change it on the Scenario page"
    )


# --- user text ---------------------------------------------------------------------------------

_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&@=^\"'])")
# Where Markdown's autolinker would make a link of plain text ("http://…", "www.…",
# "name@host"): it reads the text after escapes, so a zero-width space goes in between.
_UNLINKED = re.compile(r"(?<=\w)(?=://)|(?<=\bwww)(?=\.)|(?<=@)(?=\w)", re.IGNORECASE)
NO_LINK = "\u200b"


def plain(text: object) -> str:
    """User text for a Markdown string (``st.markdown``, ``st.caption``, ``st.error``, …),
    shown exactly as typed: every character Markdown, HTML, LaTeX or Streamlit's ``:colour[…]``
    and ``:emoji:`` directives act on is backslash-escaped, so no image, link, HTML, heading or
    list comes out of it and nothing remote is loaded; an address the autolinker would turn
    into a link ("http://…", "www.…", "a@b") gets a zero-width space (:data:`NO_LINK`) after
    its "http", "www" or "@"; leading spaces (a code block) are dropped and line breaks
    kept."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_MARKUP.sub(r"\\\1", _UNLINKED.sub(NO_LINK, line.strip())) for line in lines)


_CODE_WORD = re.compile(r"[`\"]?\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b[`\"]?")


def in_words(text: str) -> str:
    """A help text written for the scenario file (its keys and codes in backticks or quotes,
    ``service_level``, ``"business_day"``) with those names in words ("service level")."""
    return _CODE_WORD.sub(lambda m: m.group(1).replace("_", " "), text)


def code_label(code: object) -> str:
    """A code (a trigger, a profile, a difficulty: ``qualified_interest``) for people:
    "Qualified interest"."""
    text = str(code).replace("_", " ")
    return text[:1].upper() + text[1:]


def upload_problem(name: str, size: int, kind: str, limit: int) -> str | None:
    """Why an upload of ``size`` bytes is refused (over ``limit``, one of :mod:`sim.limits`),
    or None; the message names the file and the limit."""
    if size <= limit:
        return None
    return (
        f"{name}: {limits.size_text(size)} is larger than a {kind} may be "
        f"({limits.size_text(limit)}, the lab's limit); nothing was read."
    )


# --- look --------------------------------------------------------------------------------------

COLORS = {
    "ai": "#0f766e",  # teal
    "human": "#64748b",  # slate
    "calls": "#334155",
    "contained": "#14b8a6",
    "offered": "#6366f1",  # indigo
    "connected": "#16a34a",  # green
    "abandoned": "#dc2626",  # red
    "failed": "#f97316",  # orange
    "no_producer": "#7f1d1d",  # dark red
    "sale": "#ca8a04",  # gold
    "no_sale": "#cbd5e1",
    "target": "#0f172a",
    "good": "#16a34a",
    "bad": "#dc2626",
}
"""Meaning → colour, the same on every page."""

SERIES = ["#0f766e", "#6366f1", "#ca8a04", "#db2777", "#0284c7", "#65a30d", "#9333ea", "#ea580c"]
"""Colour cycle for categories without a fixed meaning (triggers, producer groups)."""

TEMPLATE = "handoff"

pio.templates[TEMPLATE] = go.layout.Template(
    pio.templates["plotly_white"],
    layout={
        "colorway": SERIES,
        "font": {"family": "Inter, system-ui, sans-serif", "size": 13, "color": "#1e293b"},
        "title": {"font": {"size": 15}, "x": 0, "xanchor": "left"},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "hoverlabel": {"font": {"size": 12}},
    },
)


def series_color(i: int) -> str:
    return SERIES[i % len(SERIES)]


def rgba(hex_color: str, alpha: float) -> str:
    """A ``#rrggbb`` colour with transparency, for Sankey links and bands."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def show_chart(fig: go.Figure, key: str | None = None) -> None:
    """Draw a plotly figure in the lab's template, full width, without the plotly logo, with
    every label kept (:func:`dashboards.charts.keep_labels`)."""
    from dashboards.charts import keep_labels  # charts builds on this module's template

    fig.update_layout(template=TEMPLATE)
    keep_labels(fig)
    st.plotly_chart(fig, key=key, width="stretch", theme=None, config={"displaylogo": False})


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KPI:
    """How a page shows a KPI: the registry's entry (:data:`sim.kpis.KPIS`). Targets belong to
    the scenario (``[targets]``, judged by :func:`sim.targets.verdicts`)."""

    spec: kpis.KPI

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def help(self) -> str:
        return self.spec.definition

    @property
    def higher_is_better(self) -> bool:
        return self.spec.higher_is_better

    def fmt(self, value: float | None) -> str:
        return self.spec.format(value)


KPIS = {name: KPI(spec) for name, spec in kpis.KPIS.items()}
"""Every KPI as the pages show it, by name: the registry's label, unit, definition and
format."""

kpi_label = kpis.label
"""A KPI's label for people (:func:`sim.kpis.label`)."""


def shipped() -> dict[str, Path]:
    """Shipped scenarios by file stem."""
    return shipped_scenarios()


# --- practice records ----------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _store(url: str) -> roleplay.Store:
    return roleplay.Store(url)


def store() -> roleplay.Store:
    """The practice-record store shared by every session of this server (one engine per URL):
    ``HANDOFF_LAB_DB`` if set, else the embedded SQLite file in the user's data directory."""
    return _store(default_url())
