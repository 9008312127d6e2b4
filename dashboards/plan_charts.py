"""Figures of the planning pages (ROI & cost, Staffing, Pilot sizing); no Streamlit.

Each takes the frame a ``sim`` planning function returns (``sim.roi.Comparison.table``, the
tornado of ``sim.roi.sensitivity``, the table of ``sim.roi.growth``, ``StaffingPlan.table``)
and returns a plotly figure, so it can be tested or reused in a notebook.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboards.charts import keep_labels
from dashboards.common import COLORS, TEMPLATE, rgba, series_color
from sim import kpis
from sim.theory import two_proportion_power

ARM_LABELS = {"ai": "With voice AI", "all_human": "All human"}
ARM_COLORS = {"ai": COLORS["ai"], "all_human": COLORS["human"]}

COST_PARTS = (
    ("ai_cost", COLORS["ai"]),
    ("human_intake_cost", COLORS["human"]),
    ("producer_cost", COLORS["offered"]),
    ("platform_cost", COLORS["sale"]),
)
"""The parts of each arm's cost, stacked (labels from :data:`sim.kpis.KPIS`)."""


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
    for name, color in COST_PARTS:
        label = kpis.label(name)
        values = [float(table.loc[name, arm]) / weeks for arm in arms]
        fig.add_bar(
            x=[ARM_LABELS[a] for a in arms], y=values, name=label, marker_color=color,
            hovertemplate="%{x}: $%{y:,.0f} a week<extra>" + label + "</extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=[ARM_LABELS[a] for a in arms],
        y=[float(table.loc["revenue", arm]) / weeks for arm in arms],
        name=kpis.label("revenue"), mode="markers",
        marker={"symbol": "diamond", "size": 14, "color": COLORS["good"]},
        hovertemplate="%{x}: revenue $%{y:,.0f} a week<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, barmode="stack", height=440,
        title="Cost per week by arm (stacked) and revenue (◆)",
        yaxis_title="$ per week", yaxis_tickprefix="$", yaxis_tickformat=",.0f",
    )  # fmt: skip
    return keep_labels(fig)


def breakdown_figure(parts: dict[str, float], labels: dict[str, str]) -> go.Figure:
    """Where the monthly net gain comes from: each part (``sim.roi.Comparison.breakdown``) as a
    step of a waterfall that ends at the net gain."""
    names = list(parts)
    values = [float(parts[n]) for n in names]
    # Long labels broken over lines (kept horizontal), so none runs off the chart.
    shown = [textwrap.fill(labels[n], 16).replace("\n", "<br>") for n in names]
    fig = go.Figure(
        go.Waterfall(
            orientation="v",
            x=[*shown, "Net gain"],
            y=[*values, 0.0],
            measure=["relative"] * len(values) + ["total"],
            text=[money(v) for v in values] + [money(sum(values))],
            textposition="outside",
            increasing={"marker": {"color": COLORS["good"]}},
            decreasing={"marker": {"color": COLORS["bad"]}},
            totals={"marker": {"color": COLORS["ai"]}},
            hovertemplate="%{x}: %{text} a month<extra></extra>",
        )
    )
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=480, showlegend=False,
        title="Where the monthly net gain of the AI comes from",
        yaxis_title="$ per month", yaxis_tickprefix="$", yaxis_tickformat=",.0f",
        xaxis_tickangle=0,
    )  # fmt: skip
    return keep_labels(fig)


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
    fig.add_vline(
        x=base,
        line_color=COLORS["target"],
        line_dash="dash",
        annotation_text=f"base {money(base)}",
        annotation_position="top",
    )
    fig.update_layout(
        **FRAME, template=TEMPLATE, barmode="overlay", height=220 + 60 * len(tornado),
        title="What moves the monthly net gain most (one input at a time)",
        xaxis_title="monthly net gain of AI over all-human ($)", xaxis_tickprefix="$",
        xaxis_tickformat=",.0f",
    )  # fmt: skip
    return keep_labels(fig)


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
    return keep_labels(fig)


def staffing_figure(table: pd.DataFrame, on: str = "") -> go.Figure:
    """Producers needed on duty per interval and group: the simulation's answer (solid steps)
    against Erlang A (dashed), with the calls offered per day as faint bars (``on``: the
    weekday pattern's words for the title, e.g. " on sat")."""
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
        title=f"Producers needed on duty per interval{on}: simulation against Erlang A",
        xaxis_title="interval start", yaxis={"title": "producers on duty", "rangemode": "tozero"},
        yaxis2={"title": "transfers offered per day", "overlaying": "y", "side": "right",
                "showgrid": False, "rangemode": "tozero", "tickmode": "auto", "nticks": 6},
    )  # fmt: skip
    return keep_labels(fig)


# --- pilot -------------------------------------------------------------------------------------

PILOT_ARMS = {"ai": ("AI arm", COLORS["ai"]), "control": ("Control (human path)", COLORS["human"])}


def power_curve(plan) -> pd.DataFrame:
    """Formula power by pilot length for a ``sim.pilot.PilotPlan``: each arm at its simulated
    weekly volume (n₁ is what both arms allow at the allocation ratio), for the lift sized for
    and for the scenario's own lift."""
    top = 2 * plan.weeks if math.isfinite(plan.weeks) else 26
    weeks = np.linspace(top / 40, top, 40)
    n1 = np.minimum(plan.weekly_control * weeks, plan.weekly_ai * weeks / plan.ratio)

    def power(p2: float) -> list[float]:
        if not (0 < plan.p_control < 1 and 0 < p2 < 1) or p2 == plan.p_control:
            return [math.nan] * len(weeks)
        return [two_proportion_power(plan.p_control, p2, n, plan.ratio, plan.alpha)
                if n > 0 else math.nan for n in n1]  # fmt: skip

    return pd.DataFrame({"weeks": weeks, "power_requested": power(plan.p_target),
                         "power_observed": power(plan.p_ai)})  # fmt: skip


def power_figure(
    curve: pd.DataFrame, simulated: pd.DataFrame, target_power: float, weeks: float
) -> go.Figure:
    """Power against pilot length: the formula for the lift sized for (and for the scenario's
    own lift when different), simulated pilots with their 95% interval, the target power and
    the weeks to a decision."""
    fig = go.Figure()
    fig.add_scatter(
        x=curve["weeks"], y=curve["power_requested"], mode="lines", name="formula: lift sized for",
        line={"color": COLORS["ai"], "width": 3},
        hovertemplate="%{x:.1f} weeks: power %{y:.0%}<extra>formula</extra>",
    )  # fmt: skip
    if not np.allclose(curve["power_requested"], curve["power_observed"], equal_nan=True):
        fig.add_scatter(
            x=curve["weeks"], y=curve["power_observed"], mode="lines",
            name="formula: the scenario's own lift",
            line={"color": COLORS["offered"], "dash": "dash"},
            hovertemplate="%{x:.1f} weeks: power %{y:.0%}<extra>scenario's lift</extra>",
        )  # fmt: skip
    if len(simulated):
        fig.add_scatter(
            x=simulated["weeks"], y=simulated["power"], mode="markers",
            name="simulated pilots (scenario's lift, 95% CI)",
            marker={"color": COLORS["sale"], "size": 11, "symbol": "diamond"},
            error_y={"type": "data", "symmetric": False,
                     "array": simulated["ci_high"] - simulated["power"],
                     "arrayminus": simulated["power"] - simulated["ci_low"]},
            hovertemplate="%{x:.1f} weeks: %{y:.0%} of simulated pilots detect<extra></extra>",
        )  # fmt: skip
    fig.add_hline(
        y=target_power,
        line_dash="dot",
        line_color=COLORS["target"],
        annotation_text=f"power {target_power:.0%}",
        annotation_position="bottom right",
    )
    if np.isfinite(weeks):
        book = max(1, math.ceil(weeks - 1e-9))  # as PilotPlan.whole_weeks
        fig.add_vline(
            x=weeks,
            line_dash="dash",
            line_color=COLORS["target"],
            annotation_text=f"decision at {weeks:.1f} weeks (book {book})",
            annotation_position="top left",
        )
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=440,
        title="Chance the pilot detects the lift, by length",
        xaxis_title="pilot length (weeks)", yaxis={"title": "power", "tickformat": ".0%",
                                                   "range": [0, 1.02]},
    )  # fmt: skip
    return keep_labels(fig)


def bands_figure(bands: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """The weekly review metrics' expected bands for the first weeks: one week's rate (light)
    and the rate to date (darker, narrowing), per arm, around the expected rate."""
    metrics = list(dict.fromkeys(bands["metric"]))
    fig = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=[labels.get(m, m) for m in metrics],
        horizontal_spacing=0.1,
        vertical_spacing=0.16,
    )
    for i, metric in enumerate(metrics):
        row, col = i // 2 + 1, i % 2 + 1
        for arm, (arm_label, color) in PILOT_ARMS.items():
            part = bands[(bands["metric"] == metric) & (bands["arm"] == arm)].sort_values("week")
            if part.empty:
                continue
            show = i == 0
            for low, high, alpha, name in (
                ("week_low", "week_high", 0.15, "one week"),
                ("to_date_low", "to_date_high", 0.35, "to date"),
            ):
                fig.add_scatter(
                    x=part["week"],
                    y=part[high],
                    mode="lines",
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                    legendgroup=arm,
                    row=row,
                    col=col,
                )
                fig.add_scatter(
                    x=part["week"], y=part[low], mode="lines", line={"width": 0},
                    fill="tonexty", fillcolor=rgba(color, alpha), legendgroup=arm,
                    name=f"{arm_label}: {name} band", showlegend=show, row=row, col=col,
                    customdata=part[high],
                    hovertemplate=f"week %{{x}}: {name} %{{y:.1%}} – %{{customdata:.1%}}"
                    f"<extra>{arm_label}</extra>",
                )  # fmt: skip
            fig.add_scatter(
                x=part["week"], y=part["expected_rate"], mode="lines+markers", legendgroup=arm,
                name=f"{arm_label}: expected", showlegend=show, line={"color": color},
                row=row, col=col,
                hovertemplate="week %{x}: expected %{y:.1%}<extra>" + arm_label + "</extra>",
            )  # fmt: skip
        fig.update_yaxes(tickformat=".0%", row=row, col=col)
        fig.update_xaxes(dtick=1, title_text="week of the pilot" if row == 2 else None,
                         row=row, col=col)  # fmt: skip
    fig.update_layout(
        **FRAME,
        template=TEMPLATE,
        height=680,
        title="Where each weekly review metric should land if nothing changed, over the first "
        f"{int(bands['week'].max())} weeks",
    )
    # the title above the subplots' own titles (not touching them), the legend under the axes
    fig.update_layout(margin={"t": 100}, legend={"y": -0.15})
    return keep_labels(fig)


def rollout_figure(table: pd.DataFrame, current: float | None = None) -> go.Figure:
    """Weeks to a decision per rollout share (``RolloutChoice.table``), green where transfer
    completion holds, each bar labelled with the whole weeks to book; ``current`` (the plan's
    rollout) outlined."""
    feasible = table["feasible"].astype(bool)
    whole = table["whole_weeks"] if "whole_weeks" in table else [None] * len(table)
    outline = [3 if current is not None and math.isclose(r, current) else 0
               for r in table["rollout"]]  # fmt: skip
    fig = go.Figure()
    fig.add_bar(
        x=table["rollout"], y=table["weeks_to_decision"],
        marker_color=[COLORS["good"] if f else COLORS["bad"] for f in feasible],
        marker_line_width=outline, marker_line_color=COLORS["target"],
        text=[f"{int(w)} wk" if w is not None and pd.notna(w) else "" for w in whole],
        textposition="outside",
        customdata=table[["completion_ci_low", "n_ai", "n_control"]],
        hovertemplate="rollout %{x:.1%}: %{y:.1f} weeks of calls; n %{customdata[1]:,} AI · "
        "%{customdata[2]:,} control; completion ≥ %{customdata[0]:.1%} (95% bound)"
        "<extra></extra>",
        name="weeks to a decision",
    )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=380,
        title="Weeks to a decision by rollout share (green: transfer completion holds; "
        "outlined: this plan)",
        xaxis={"title": "share of calls sent to the AI", "tickformat": ".1%",
               "tickvals": list(table["rollout"])},
        yaxis_title="weeks",
    )  # fmt: skip
    return keep_labels(fig)
