"""Trainer: who is ready to take live transfers, and what producers still make callers repeat.

Every view is a ``roleplay.trainer`` function of the practice records (``common.store``), read
afresh on each run so new calls from any browser show up on the next click. A producer is ready
after three passing sessions covering three trigger types. The records' repeat-explain rate can
be put into the current scenario, so the simulation and the ROI reflect how the team performs.
"""

from __future__ import annotations

import streamlit as st

import roleplay
from dashboards import practice_charts
from dashboards.common import current_label, current_scenario, set_scenario, show_chart, store
from roleplay import trainer
from sim.loader import derive

EVERYONE = "Everyone"


def _use_rate(rate: float) -> None:
    scenario = current_scenario()
    set_scenario(derive(scenario, {"outcomes.repeat_explain_rate": round(rate, 4)},
                        source="practice records"),
                 f"{current_label()}, repeat-explain from practice")


def main() -> None:
    st.title("Trainer")
    records = store()
    st.caption(f"Practice records: {records!r}. Producers must do at least "
               f"{trainer.READY_PASSES} passing simulated transfers covering "
               f"{trainer.READY_TRIGGERS} trigger types before going live.")
    st.button("Refresh", icon=":material/refresh:", key="trainer.refresh")
    producers = records.producers()
    if not producers:
        st.info("No practice records yet. Producers practise on the Role-play page; their "
                "scored calls appear here.")
        return
    who = st.selectbox("Producer", [EVERYONE, *producers], key="trainer.producer")
    producer = None if who == EVERYONE else who
    cards = roleplay.scorecards(records, producer)
    status = roleplay.certification_status(records)
    if producer is not None:
        status = status[status["producer"] == producer]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Producers", len(status), border=True)
    c2.metric("Scored sessions", len(cards), border=True)
    c3.metric("Pass rate", f"{cards['passed'].mean():.0%}" if len(cards) else "—", border=True)
    c4.metric("Ready for live transfers", f"{int(status['ready'].sum())} of {len(status)}",
              border=True)

    ready, scores, reasks, trends, export = st.tabs(
        ["Certification", "Scorecards", "Re-asks", "Trends", "Export"]
    )
    with ready:
        st.dataframe(
            status, hide_index=True,
            column_config={"ready": st.column_config.CheckboxColumn("ready"),
                           "n_passing_triggers": st.column_config.NumberColumn("trigger types")},
        )  # fmt: skip
    with scores:
        if cards.empty:
            st.info("No scored sessions yet (calls left without a disposition are not scored).")
        else:
            st.dataframe(
                cards.drop(columns=["session_id"]), hide_index=True,
                column_config={
                    "score": st.column_config.ProgressColumn("score", min_value=0,
                                                             max_value=100, format="%.0f"),
                    "passed": st.column_config.CheckboxColumn("passed"),
                    "disposition_correct": st.column_config.CheckboxColumn("right code"),
                    "started_at": st.column_config.DatetimeColumn("started",
                                                                  format="YYYY-MM-DD HH:mm"),
                },
            )  # fmt: skip
    with reasks:
        table = roleplay.reasks_by_field_trigger(records)
        show_chart(practice_charts.reask_heatmap(table), key="reask_heatmap")
        rates = roleplay.repeat_explain_rates(records)
        if rates.group_rate is not None:
            st.write(f"Share of scored sessions with at least one re-ask: **{rates.group_rate:.0%}"
                     f"** (mean over producers; {rates.pooled_rate:.0%} pooled). This is what "
                     "`outcomes.repeat_explain_rate` means in a scenario.")
            st.button("Use this rate in the current scenario", on_click=_use_rate,
                      args=(rates.group_rate,), key="trainer.use_rate",
                      help="The Simulate and ROI pages then assume this re-ask rate.")
    with trends:
        trend = roleplay.trend(records, producer)
        if trend.empty:
            st.info("No scored sessions yet.")
        else:
            show_chart(practice_charts.trend_figure(trend), key="trend")
    with export:
        view = st.selectbox("View", list(trainer.VIEWS), key="trainer.view")
        st.download_button(
            f"Download {view} (CSV)", lambda: trainer.VIEWS[view](records).to_csv(
                index=False).encode(),
            f"practice_{view}.csv", "text/csv", key="dl_trainer",
        )  # fmt: skip
        st.caption("The same tables as `roleplay.export_csv` writes (one view per file).")


main()
