"""Figures and tables built from simulation results; plain functions, no Streamlit.

Every function takes a :class:`sim.Results` (or a frame from it) and returns a plotly figure or
a pandas frame, so the pages stay short and the charts can be tested or reused in a notebook.
Counts are shown **per simulated day** (averaged over days and replications), which reads the
same whatever the run length.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

import sim
from dashboards.common import COLORS, TEMPLATE, rgba, series_color
from sim import capacity, kpis

KEEP_LABELS = {
    "margin": {"l": 70, "r": 30, "t": 60, "b": 60, "autoexpand": True},
}
"""Layout every chart of the lab gets on top of the page template: margins wide enough for a
title, a legend and axis titles, and growing to fit (``autoexpand``)."""


def keep_labels(fig: go.Figure) -> go.Figure:
    """The figure with every label kept: axes make room for their tick labels and titles
    (``automargin``), margins are wide enough and grow to fit. Set on the figure itself, so a
    page template applied later (``show_chart``) cannot take it back."""
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    margin = fig.layout.margin
    wanted = KEEP_LABELS["margin"]
    fig.update_layout(margin={side: max(getattr(margin, side) or 0, value) if side != "autoexpand"
                              else value for side, value in wanted.items()})  # fmt: skip
    return fig


TEMPLATE_LABELLED = "handoff_labelled"
"""The lab's chart template with labels kept (automargin on every axis, the margins above): a
notebook or page that draws these figures with ``template=TEMPLATE_LABELLED`` keeps them."""

pio.templates[TEMPLATE_LABELLED] = go.layout.Template(
    pio.templates[TEMPLATE],
    layout={"margin": KEEP_LABELS["margin"], "xaxis": {"automargin": True},
            "yaxis": {"automargin": True}},
)  # fmt: skip

CONVERSATION = ("contained", "connected", "abandoned", "failed", "no_producer")
"""Outcomes of a call that was a conversation (as opposed to an outbound lead never reached)."""

OUTCOME_LABELS = {
    "contained": "Resolved by AI",
    "connected": "Connected",
    "abandoned": "Hung up waiting",
    "failed": "Bridge failed",
    "no_producer": "No producer on shift",
}


def counted_calls(results: sim.Results) -> pd.DataFrame:
    """Calls counted in the KPIs: those arriving after the warm-up (never-dialled leads kept);
    see :func:`sim.kpis.counted_calls`."""
    return kpis.counted_calls(results.calls, results.scenario)


def counted_days(results: sim.Results) -> float:
    """Simulated days counted in the KPIs, summed over replications; see
    :func:`sim.kpis.counted_days`."""
    return kpis.counted_days(results.scenario, results.replications)


def trigger_label(name: str) -> str:
    return name.replace("_", " ")


# --- funnel ---------------------------------------------------------------------------------


def funnel_links(results: sim.Results) -> pd.DataFrame:
    """The call funnel as links ``source → target`` with calls per simulated day.

    Calls → voice AI / human intake → resolved by AI / escalated by trigger → offered to
    producers → connected / hung up / failed / no producer → sale on the call / no sale.
    """
    calls = counted_calls(results)
    calls = calls[calls["outcome"].isin(CONVERSATION)]
    per_day = 1.0 / counted_days(results)
    path = calls["path"].astype(str)
    offered = calls["transfer_at"].notna()
    rows: list[tuple[str, str, float]] = []

    def add(source: str, target: str, count: float) -> None:
        if count > 0:
            rows.append((source, target, count * per_day))

    intake = {"ai": "Voice AI", "human": "Human intake"}
    for p, node in intake.items():
        add("Calls", node, (path == p).sum())
    add("Voice AI", "Resolved by AI", ((path == "ai") & (calls["outcome"] == "contained")).sum())
    escalated = calls[offered]
    esc_path = escalated["path"].astype(str)
    for trigger, part in escalated.groupby("trigger", observed=True):
        label = f"↑ {trigger_label(str(trigger))}"
        for p, node in intake.items():
            add(node, label, (esc_path.loc[part.index] == p).sum())
        add(label, "Offered to producers", len(part))
    outcome = escalated["outcome"].astype(str)
    for name in ("connected", "abandoned", "failed", "no_producer"):
        add("Offered to producers", OUTCOME_LABELS[name], (outcome == name).sum())
    connected = escalated[outcome == "connected"]
    sold = connected["converted_on_transfer"].astype(bool)
    add("Connected", "Sale on the call", sold.sum())
    add("Connected", "No sale on the call", (~sold).sum())
    return pd.DataFrame(rows, columns=["source", "target", "per_day"])


_NODE_COLORS = {
    "Calls": COLORS["calls"],
    "Voice AI": COLORS["ai"],
    "Human intake": COLORS["human"],
    "Resolved by AI": COLORS["contained"],
    "Offered to producers": COLORS["offered"],
    "Connected": COLORS["connected"],
    "Hung up waiting": COLORS["abandoned"],
    "Bridge failed": COLORS["failed"],
    "No producer on shift": COLORS["no_producer"],
    "Sale on the call": COLORS["sale"],
    "No sale on the call": COLORS["no_sale"],
}


def funnel_figure(results: sim.Results) -> go.Figure:
    """The call funnel as a Sankey diagram (calls per simulated day)."""
    links = funnel_links(results)
    nodes = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    triggers = [n for n in nodes if n.startswith("↑")]
    colors = [
        _NODE_COLORS.get(n) or series_color(triggers.index(n) if n in triggers else 0)
        for n in nodes
    ]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=".1f",
            valuesuffix=" calls/day",
            node={
                "label": nodes,
                "color": colors,
                "pad": 14,
                "thickness": 16,
                "line": {"width": 0},
            },
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[t] for t in links["target"]],
                "value": links["per_day"].tolist(),
                "color": [rgba(colors[index[t]], 0.35) for t in links["target"]],
            },
        )
    )
    fig.update_layout(template=TEMPLATE, title="Where the calls go (per simulated day)", height=460)
    return keep_labels(fig)


# --- waits -----------------------------------------------------------------------------------


def wait_figure(results: sim.Results) -> go.Figure:
    """Histogram of the waits of transfers that had to wait, by how the wait ended."""
    calls = counted_calls(results)
    offered = calls[calls["transfer_at"].notna()]
    seconds = offered["wait_minutes"].to_numpy(dtype=float) * 60.0
    outcome = offered["outcome"].astype(str).to_numpy()
    waited = seconds > 1e-6
    sl = results.scenario.service_level_seconds
    share_no_wait = 1 - waited.mean() if len(seconds) else float("nan")
    fig = go.Figure()
    if waited.any():
        upper = max(float(np.quantile(seconds[waited], 0.99)), 2 * sl, 10.0)
        edges = np.linspace(0, upper, 41)
        centers = (edges[:-1] + edges[1:]) / 2
        for name in ("connected", "abandoned", "failed", "no_producer"):
            values = np.clip(seconds[waited & (outcome == name)], 0, upper)
            if len(values) == 0:
                continue
            counts, _ = np.histogram(values, bins=edges)
            fig.add_bar(
                x=centers, y=counts / len(seconds), width=edges[1] - edges[0],
                name=OUTCOME_LABELS[name], marker_color=COLORS[name],
                hovertemplate="%{x:.0f} s: %{y:.1%} of offered<extra>%{fullData.name}</extra>",
            )  # fmt: skip
        fig.add_vline(
            x=sl,
            line_dash="dash",
            line_color=COLORS["target"],
            annotation_text=f"service level {sl:g} s",
            annotation_position="top right",
        )
    fig.update_layout(
        template=TEMPLATE, barmode="stack", height=380,
        title=f"Waits of transfers that waited ({share_no_wait:.0%} were answered at once)"
        if not math.isnan(share_no_wait) else "No transfers offered",
        xaxis_title="wait for a producer (seconds; last bar includes longer waits)",
        yaxis_title="share of offered transfers", yaxis_tickformat=".1%", bargap=0,
    )  # fmt: skip
    return keep_labels(fig)


# --- through the day ---------------------------------------------------------------------------


def busy_by_interval(results: sim.Results, minutes: int = 30) -> pd.DataFrame:
    """Mean producers busy and on shift per time-of-day interval and producer group.

    Busy is a live call (answer to release, so whisper and wrap-up count) or a callback, cut at
    the interval edges and at the warm-up's end (work after it counts whenever the call
    arrived), averaged over the days counted in each interval of every replication; on shift
    follows the group's roster and shift (see :mod:`sim.capacity`).
    """
    scenario = results.scenario
    grid = capacity.day_intervals(minutes)
    warmup = scenario.warmup_minutes
    days = kpis.counted_days_by_interval(scenario, minutes, results.replications)
    per_interval = np.where(days > 0, grid.lengths * days, np.inf)
    frames = []
    for g, dest in enumerate(scenario.destinations):
        starts, ends, _ = capacity.producer_busy(results.calls, g)
        busy = capacity.busy_minutes(starts, ends, start=warmup, intervals=grid)
        steps, windows = capacity.capacity_steps(scenario, g), capacity.shift_windows(scenario, g)
        duty = capacity.on_duty_minutes(steps, windows, start=warmup, intervals=grid)
        frames.append(
            pd.DataFrame(
                {
                    "start": grid.lo.astype(int),
                    "group": dest.name,
                    "group_index": g,
                    "busy": busy / per_interval,
                    "on_shift": duty * results.replications / per_interval,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    active = table.groupby("start")[["busy", "on_shift"]].sum()
    keep = active.index[(active["busy"] > 1e-3) | (active["on_shift"] > 0)]
    table = table[table["start"].between(keep.min(), keep.max())] if len(keep) else table
    table.insert(1, "interval", [f"{s // 60:02d}:{s % 60:02d}" for s in table["start"]])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["occupancy"] = np.where(
            table["on_shift"] > 0, table["busy"] / table["on_shift"], np.nan
        )
    return table.reset_index(drop=True)


def occupancy_figure(table: pd.DataFrame) -> go.Figure:
    """Stacked bars of producers busy per interval and group, with producers on shift."""
    fig = go.Figure()
    for (g, name), part in table.groupby(["group_index", "group"], sort=True):
        fig.add_bar(
            x=part["interval"], y=part["busy"], name=f"busy: {name}",
            marker_color=series_color(int(g)), customdata=part["occupancy"],
            hovertemplate="%{x}: %{y:.2f} busy (%{customdata:.0%} occupied)"
            "<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    shift = table.groupby("interval", sort=False)["on_shift"].sum()
    fig.add_scatter(
        x=shift.index, y=shift.values, name="producers on shift", mode="lines",
        line={"shape": "hvh", "color": COLORS["target"], "width": 2, "dash": "dot"},
        hovertemplate="%{x}: %{y:.1f} on shift<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        template=TEMPLATE, barmode="stack", height=380, bargap=0.1,
        title="Producer occupancy through the day (mean producers busy per interval)",
        xaxis_title="time of day (interval start)", yaxis_title="producers",
    )  # fmt: skip
    return keep_labels(fig)


def interval_figure(by_interval: pd.DataFrame, sl_seconds: float) -> go.Figure:
    """Calls and transfers offered per interval, with the service level reached in each."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(
        x=by_interval["interval"],
        y=by_interval["calls_per_day"],
        name=kpis.label("calls_per_day"),
        marker_color=rgba(COLORS["calls"], 0.25),
        secondary_y=False,
        hovertemplate="%{x}: %{y:.1f} calls/day<extra></extra>",
    )
    fig.add_bar(
        x=by_interval["interval"],
        y=by_interval["offered_per_day"],
        name=kpis.label("offered_per_day"),
        marker_color=COLORS["offered"],
        secondary_y=False,
        hovertemplate="%{x}: %{y:.1f} offered/day<extra></extra>",
    )
    fig.add_scatter(
        x=by_interval["interval"],
        y=by_interval["service_level"],
        name=f"{kpis.label('service_level')} ({sl_seconds:g} s)",
        mode="lines+markers",
        line={"color": COLORS["connected"]},
        secondary_y=True,
        hovertemplate="%{x}: %{y:.0%} answered in time<extra></extra>",
    )
    fig.add_scatter(
        x=by_interval["interval"],
        y=by_interval["abandonment_rate"],
        name=kpis.label("abandonment_rate"),
        mode="lines+markers",
        line={"color": COLORS["abandoned"]},
        secondary_y=True,
        hovertemplate="%{x}: %{y:.0%} hung up<extra></extra>",
    )
    fig.update_layout(
        template=TEMPLATE,
        barmode="overlay",
        height=380,
        bargap=0.1,
        title="Calls per day by time of arrival, and how transfers fared",
    )
    fig.update_yaxes(title_text="calls per day", secondary_y=False)
    fig.update_yaxes(
        title_text="share of offered",
        tickformat=".0%",
        range=[0, 1.02],
        tickmode="linear",  # 0%, 20%, … (not ticks lined up with the left axis: 17%, 34%)
        tick0=0,
        dtick=0.2,
        secondary_y=True,
        showgrid=False,
    )
    fig.update_xaxes(title_text="time of day (interval start)")
    return keep_labels(fig)


# --- tables ----------------------------------------------------------------------------------


TRIGGER_COLUMNS = (
    "trigger",
    "offered_per_day",
    "transfer_completion_rate",
    "abandonment_rate",
    "service_level",
    "mean_wait_minutes",
    "post_transfer_conversion_rate",
    "first_call_resolution_rate",
    "repeat_explain_rate",
)


def trigger_table(results: sim.Results) -> pd.DataFrame:
    """Per escalation trigger: transfers per day and the rate KPIs (pooled over replications)."""
    table = results.by_trigger()
    if table.empty:
        return table
    table["offered_per_day"] = table["offered"] / counted_days(results)
    return table[[c for c in TRIGGER_COLUMNS if c in table.columns]]
