"""The back-test through the day: predicted against observed, per interval (Plotly figure).

One panel per queue figure (abandonment, P(wait), service level, mean wait): the prediction
as a line inside its shaded 95% prediction interval, what happened as points with their 95%
day-bootstrap intervals. Needs Plotly (the ``dashboard`` extra); imported only when a chart
is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.kpis import label

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from sim.backtest.compare import Backtest

__all__ = ["through_the_day"]

PANELS = ("abandonment_rate", "p_wait", "service_level", "mean_wait_minutes")


def through_the_day(result: Backtest) -> go.Figure:
    """Predicted against observed per interval of the day, one panel per queue figure."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=2, cols=2, subplot_titles=[label(p) for p in PANELS], vertical_spacing=0.16
    )
    table = result.by_interval
    for i, name in enumerate(PANELS):
        row, col = divmod(i, 2)
        part = table[table["figure"] == name]
        x = part["interval"].tolist()
        scale = 1.0 if name == "mean_wait_minutes" else 100.0
        first = i == 0
        fig.add_trace(
            go.Scatter(
                x=x + x[::-1],
                y=list(part["predicted_high"] * scale) + list(part["predicted_low"][::-1] * scale),
                fill="toself", fillcolor="rgba(31,119,180,0.15)", line={"width": 0},
                name="Predicted 95% range", showlegend=first, hoverinfo="skip",
                legendgroup="range",
            ),
            row=row + 1, col=col + 1,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=x, y=part["predicted"] * scale, mode="lines", line={"color": "#1f77b4"},
                name="Predicted", showlegend=first, legendgroup="pred",
            ),
            row=row + 1, col=col + 1,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=x, y=part["observed"] * scale, mode="markers",
                marker={"color": "#d62728", "size": 7}, name="Observed", showlegend=first,
                legendgroup="obs",
                error_y={
                    "type": "data", "symmetric": False,
                    "array": (part["observed_high"] - part["observed"]) * scale,
                    "arrayminus": (part["observed"] - part["observed_low"]) * scale,
                },
            ),
            row=row + 1, col=col + 1,
        )  # fmt: skip
        fig.update_yaxes(
            title_text="minutes" if name == "mean_wait_minutes" else "% of offered",
            automargin=True, row=row + 1, col=col + 1,
        )  # fmt: skip
        fig.update_xaxes(title_text="Interval of the day", automargin=True, row=row + 1,
                         col=col + 1)  # fmt: skip
    fig.update_layout(
        title=f"Back-test through the day: {result.days} days, {result.replications} "
        "replications",
        height=720, margin={"l": 60, "r": 30, "t": 90, "b": 60},
        legend={"orientation": "h", "y": -0.12},
    )  # fmt: skip
    return fig
