"""Figures of the planning pages (ROI & cost, Staffing); plain functions, no Streamlit.

Each takes the frame a ``sim`` planning function returns (``sim.roi.Comparison.table``, the
tornado of ``sim.roi.sensitivity``, the table of ``sim.roi.growth``, ``StaffingPlan.table``)
and returns a plotly figure, so it can be tested or reused in a notebook.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from common import COLORS, TEMPLATE, rgba, series_color

ARM_LABELS = {"ai": "With voice AI", "all_human": "All human"}
ARM_COLORS = {"ai": COLORS["ai"], "all_human": COLORS["human"]}

COST_PARTS = (
    ("ai_cost", "AI minutes", COLORS["ai"]),
    ("human_intake_cost", "Human intake", COLORS["human"]),
    ("producer_cost", "Producers", COLORS["offered"]),
    ("platform_cost", "Platform fee", COLORS["sale"]),
)


FRAME = {
    "margin": {"l": 70, "r": 30, "t": 60, "b": 60},
    "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
}
"""Margins and a legend under the plot, so titles, legends and axis labels never overlap."""


def money(value: float) -> str:
    """``$1,234`` (or ``−$1,234``) for people."""
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def cost_figure(table: pd.DataFrame, weeks: float) -> go.Figure:
    """Weekly cost of each arm, stacked by where the money goes, with revenue as a marker."""
    arms = ["ai", "all_human"]
    fig = go.Figure()
    for name, label, color in COST_PARTS:
        values = [float(table.loc[name, arm]) / weeks for arm in arms]
        fig.add_bar(
            x=[ARM_LABELS[a] for a in arms], y=values, name=label, marker_color=color,
            hovertemplate="%{x}: $%{y:,.0f} a week<extra>" + label + "</extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=[ARM_LABELS[a] for a in arms],
        y=[float(table.loc["revenue", arm]) / weeks for arm in arms],
        name="revenue", mode="markers",
        marker={"symbol": "diamond", "size": 14, "color": COLORS["good"]},
        hovertemplate="%{x}: revenue $%{y:,.0f} a week<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, barmode="stack", height=440,
        title="Cost per week by arm (stacked) and revenue (◆)",
        yaxis_title="$ per week", yaxis_tickprefix="$", yaxis_tickformat=",.0f",
    )  # fmt: skip
    return fig


def tornado_figure(tornado: pd.DataFrame) -> go.Figure:
    """Monthly net gain at each end of each input's range, around the base gain (a tornado:
    the input that moves the gain most on top)."""
    base = float(tornado["base_gain"].iloc[0]) if len(tornado) else 0.0
    order = tornado.iloc[::-1]  # plotly draws the first category at the bottom
    fig = go.Figure()
    for end, color, label in (
        ("low", COLORS["human"], "low end of the range"),
        ("high", COLORS["ai"], "high end of the range"),
    ):
        gain = order[f"gain_at_{end}"].astype(float)
        fig.add_bar(
            y=order["input"], x=gain - base, base=base, orientation="h", name=label,
            marker_color=rgba(color, 0.85), text=order[end], textposition="auto",
            customdata=list(zip(order[end], gain, strict=True)),
            hovertemplate="%{y} at %{customdata[0]}: gain $%{customdata[1]:,.0f} a month"
            "<extra></extra>",
        )  # fmt: skip
    fig.add_vline(x=base, line_color=COLORS["target"], line_dash="dash",
                  annotation_text=f"base {money(base)}", annotation_position="top")
    fig.update_layout(
        **FRAME, template=TEMPLATE, barmode="overlay", height=220 + 60 * len(tornado),
        title="What moves the monthly net gain most (one input at a time)",
        xaxis_title="monthly net gain of AI over all-human ($)", xaxis_tickprefix="$",
        xaxis_tickformat=",.0f",
    )  # fmt: skip
    return fig


def growth_figure(table: pd.DataFrame) -> go.Figure:
    """Producer-hours a day needed as volume grows, with and without AI, against linear growth
    (headcount rising in step with calls) and the Erlang A answer."""
    fig = go.Figure()
    for arm in ("ai", "all_human"):
        part = table[table["arm"] == arm].sort_values("volume_factor")
        if part.empty:
            continue
        color = ARM_COLORS[arm]
        fig.add_scatter(
            x=part["volume_factor"], y=part["producer_hours_per_day"], mode="lines+markers",
            name=f"{ARM_LABELS[arm]}: simulation", line={"color": color, "width": 3},
            customdata=part[["peak_producers", "peak_headcount"]],
            hovertemplate="×%{x:g} volume: %{y:.1f} producer-hours/day, peak %{customdata[0]}"
            " on duty, headcount %{customdata[1]}<extra></extra>",
        )  # fmt: skip
        fig.add_scatter(
            x=part["volume_factor"], y=part["erlang_a_hours_per_day"], mode="lines",
            name=f"{ARM_LABELS[arm]}: Erlang A", line={"color": color, "dash": "dash"},
            hovertemplate="×%{x:g}: %{y:.1f} h/day (Erlang A)<extra></extra>",
        )  # fmt: skip
        first = part.iloc[0]
        fig.add_scatter(
            x=part["volume_factor"],
            y=first["producer_hours_per_day"] * part["volume_factor"] / first["volume_factor"],
            mode="lines", name=f"{ARM_LABELS[arm]}: linear in volume",
            line={"color": rgba(color, 0.5), "dash": "dot"}, hoverinfo="skip",
        )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=480,
        title="Producer-hours a day needed as call volume grows",
        xaxis_title="call volume (today's = 1×)", yaxis_title="producer-hours per day",
        xaxis={"tickvals": sorted(table["volume_factor"].unique()), "ticksuffix": "×"},
    )  # fmt: skip
    return fig


def staffing_figure(table: pd.DataFrame) -> go.Figure:
    """Producers needed on duty per interval and group: the simulation's answer (solid steps)
    against Erlang A (dashed), with the calls offered per day as faint bars."""
    fig = go.Figure()
    for i, (group, part) in enumerate(table.groupby("group", sort=False)):
        color = series_color(i)
        fig.add_bar(
            x=part["interval"], y=part["offered_per_day"], name=f"{group}: offered/day",
            marker_color=rgba(color, 0.15), yaxis="y2",
            hovertemplate="%{x}: %{y:.1f} transfers offered/day<extra>" + group + "</extra>",
        )  # fmt: skip
        fig.add_scatter(
            x=part["interval"], y=part["producers"], name=f"{group}: simulation",
            mode="lines+markers", line={"shape": "hv", "color": color, "width": 3},
            customdata=part[["headcount", "transfer_completion_low"]],
            hovertemplate="%{x}: %{y} on duty (headcount %{customdata[0]}; completion ≥ "
            "%{customdata[1]:.0%} at the bound)<extra>" + group + "</extra>",
        )  # fmt: skip
        fig.add_scatter(
            x=part["interval"], y=part["erlang_a"], name=f"{group}: Erlang A",
            mode="lines", line={"shape": "hv", "color": color, "dash": "dash"},
            hovertemplate="%{x}: %{y} (Erlang A)<extra>" + group + "</extra>",
        )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=480, barmode="group",
        title="Producers needed on duty per interval: simulation against Erlang A",
        xaxis_title="interval start", yaxis={"title": "producers on duty", "rangemode": "tozero"},
        yaxis2={"title": "transfers offered per day", "overlaying": "y", "side": "right",
                "showgrid": False, "rangemode": "tozero"},
    )  # fmt: skip
    return fig
