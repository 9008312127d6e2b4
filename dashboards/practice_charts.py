"""Figures and tables of the practice pages; plain functions of the ``roleplay.trainer`` frames
and scorecards, no Streamlit.

``score_parts_frame`` is the scorecard's make-up as both the Role-play and the Trainer page
show it: each part (re-asks, each checklist item, the disposition) with its points, the points
possible, whether it was credited and why, and a last ``Total`` row that the parts add up to.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.common import COLORS, TEMPLATE, code_label, series_color
from dashboards.plan_charts import FRAME
from roleplay import scorecard_view
from roleplay.fields import LABELS
from roleplay.scoring import Scorecard


def score_parts_frame(card: Scorecard) -> pd.DataFrame:
    """One row per part of the score and a ``Total`` row; ``Points`` sums to the total;
    ``Credited`` says "yes" or "no" (blank on the total)."""
    rows = [
        {"Part": p.label, "Points": p.points, "Out of": p.max_points,
         "Credited": "yes" if p.credited else "no", "Why": p.detail}
        for p in card.parts
    ]  # fmt: skip
    total_max = min(100.0, sum(p.max_points for p in card.parts))
    rows.append({"Part": "Total", "Points": card.score, "Out of": total_max, "Credited": "",
                 "Why": scorecard_view.sum_line(card)})  # fmt: skip
    return pd.DataFrame(rows, columns=["Part", "Points", "Out of", "Credited", "Why"])


def reask_heatmap(table: pd.DataFrame) -> go.Figure:
    """Re-asks of each captured field (rows) per trigger (columns): which facts producers still
    make callers repeat, and on which kind of transfer."""
    fields = [LABELS.get(f, f) for f in table.index]
    triggers = [code_label(t) for t in table.columns]
    values = table.to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=values, x=triggers, y=fields, colorscale=[[0, "#f8fafc"], [1, COLORS["bad"]]],
            zmin=0, zmax=max(1, int(values.max()) if values.size else 1),
            text=values, texttemplate="%{text}", hoverongaps=False,
            hovertemplate="%{y} on %{x}: %{z} re-ask(s)<extra></extra>",
            colorbar={"title": "re-asks"},
        )
    )  # fmt: skip
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=140 + 26 * len(fields),
        title="Re-asks by captured field × trigger (all recorded turns)",
        yaxis={"autorange": "reversed"}, xaxis_title="trigger",
    )  # fmt: skip
    return fig


def trend_figure(trend: pd.DataFrame, pass_mark: float = 80.0) -> go.Figure:
    """Each producer's score per practice session (markers) and rolling mean (line)."""
    fig = go.Figure()
    for i, (producer, part) in enumerate(trend.groupby("producer", sort=True)):
        color = series_color(i)
        fig.add_scatter(
            x=part["session_number"], y=part["rolling_score"], mode="lines", name=producer,
            line={"color": color, "width": 3}, legendgroup=producer,
            hovertemplate="session %{x}: rolling mean %{y:.0f}<extra>" + producer + "</extra>",
        )  # fmt: skip
        fig.add_scatter(
            x=part["session_number"], y=part["score"], mode="markers", showlegend=False,
            legendgroup=producer,
            marker={"color": color, "size": 9,
                    "symbol": ["circle" if p else "x" for p in part["passed"]]},
            customdata=list(zip(part["trigger"].map(code_label), part["repeat_explain_count"],
                                strict=True)),
            hovertemplate="session %{x} (%{customdata[0]}): %{y:.0f}, %{customdata[1]} "
            "re-ask(s)<extra>" + producer + "</extra>",
        )  # fmt: skip
    fig.add_hline(
        y=pass_mark,
        line_dash="dash",
        line_color=COLORS["target"],
        annotation_text=f"pass mark {pass_mark:g}",
        annotation_position="top left",
    )
    fig.update_layout(
        **FRAME, template=TEMPLATE, height=440, title="Scores over practice sessions (× = failed)",
        xaxis_title="practice session", yaxis={"title": "score", "range": [0, 102]},
        xaxis_dtick=1,
    )  # fmt: skip
    return fig
