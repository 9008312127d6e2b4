"""Trainer: who is ready to take live transfers, and what producers still make callers repeat.

Every view is a ``roleplay.trainer`` function of the practice records (``common.store``), read
afresh on each run so new calls from any browser show up on the next click. A producer is ready
after three passing sessions covering three trigger types; the Certification tab says how far
each producer is ("1 of 3 passing calls, 1 of 3 triggers") and any scored call can be opened
to see how its score adds up, as the producer saw it. The records' repeat-explain rate can
be put into the current scenario, so the simulation and the ROI reflect how the team performs.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import roleplay
from dashboards import practice_charts
from dashboards.common import (
    code_label,
    current_label,
    current_scenario,
    plain,
    set_scenario,
    show_chart,
    store,
)
from roleplay import scorecard_view, trainer
from roleplay.certification import Certification
from roleplay.disposition import REASON_LABELS
from sim.loader import derive

EVERYONE = "Everyone"

# Column headers of the certification and scorecard tables, for people.
STATUS_COLUMNS = {
    "producer": st.column_config.TextColumn("Producer"),
    "sessions": st.column_config.NumberColumn("Sessions"),
    "passing_sessions": st.column_config.NumberColumn("Passing calls"),
    "passing_triggers": st.column_config.TextColumn("Triggers passed"),
    "n_passing_triggers": st.column_config.NumberColumn("Trigger types"),
    "ready": st.column_config.CheckboxColumn("Ready"),
    "missing": st.column_config.TextColumn("Still to do"),
    "progress": st.column_config.TextColumn("Progress"),
}
CARD_COLUMNS = {
    "producer": st.column_config.TextColumn("Producer"),
    "started_at": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
    "trigger": st.column_config.TextColumn("Trigger"),
    "difficulty": st.column_config.TextColumn("Difficulty"),
    "seed": st.column_config.NumberColumn("Caller seed"),
    "score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%.0f"),
    "passed": st.column_config.CheckboxColumn("Passed"),
    "repeat_explain_count": st.column_config.NumberColumn("Re-asks"),
    "disposition": st.column_config.TextColumn("Code chosen"),
    "real_need": st.column_config.TextColumn("Real need"),
    "disposition_correct": st.column_config.CheckboxColumn("Right code"),
}

# The columns shown, in order (all of them were wider than the page: the last ones were cut).
STATUS_ORDER = ("producer", "ready", "progress", "passing_triggers", "missing")
CARD_ORDER = ("producer", "started_at", "trigger", "score", "passed", "repeat_explain_count",
              "disposition", "disposition_correct", "real_need", "difficulty")  # fmt: skip


def _codes_in_words(text: str) -> str:
    """A list of trigger codes ("complex_pricing, human_request") in words."""
    return ", ".join(code_label(t.strip()) for t in text.split(",") if t.strip())


def status_view(status: pd.DataFrame) -> pd.DataFrame:
    """The certification table with its trigger codes in words."""
    out = status.copy()
    out["passing_triggers"] = out["passing_triggers"].map(_codes_in_words)
    return out


def cards_view(cards: pd.DataFrame) -> pd.DataFrame:
    """The scorecards table with codes in words (the session id left out)."""
    out = cards.drop(columns=["session_id"])
    out["trigger"] = out["trigger"].map(code_label)
    out["difficulty"] = out["difficulty"].map(code_label)
    for column in ("disposition", "real_need"):
        out[column] = out[column].map(lambda c: REASON_LABELS.get(c, code_label(c)))
    return out


def _use_rate(rate: float) -> None:
    scenario = current_scenario()
    set_scenario(
        derive(
            scenario, {"outcomes.repeat_explain_rate": round(rate, 4)}, source="practice records"
        ),
        f"{current_label()}, repeat-explain from practice",
    )


def _readiness(cert: Certification) -> None:
    text = f"{plain(cert.producer)}: {plain(scorecard_view.readiness(cert))}"
    if cert.ready:
        st.success(text, icon=":material/verified:")
    else:
        st.info(text, icon=":material/pending:")


def _open_scorecard(records: roleplay.Store, cards: pd.DataFrame) -> None:
    """One stored scorecard as the producer saw it: how the score adds up, and where the
    producer stands on certification now."""
    labels = {
        row.session_id: f"{row.producer} · {row.started_at:%Y-%m-%d %H:%M} · "
        f"{code_label(row.trigger)} · {row.score:g}"
        for row in cards.itertuples()
    }
    chosen = st.selectbox(
        "Open a scorecard", list(labels)[::-1], format_func=lambda s: labels.get(s, s),
        key="trainer.session",
    )  # fmt: skip
    card = trainer.stored_scorecard(records, chosen) if chosen else None
    if card is None:
        return
    cert = trainer.certification_progress(records, card.producer)
    headline = f"{scorecard_view.headline(card)} — {scorecard_view.verdict(card, cert)}"
    st.markdown(f"**{plain(headline)}**")
    for reason in card.fail_reasons:
        st.error(plain(reason))
    st.dataframe(
        practice_charts.score_parts_frame(card), hide_index=True,
        column_config={"Points": st.column_config.NumberColumn("Points", format="%g"),
                       "Out of": st.column_config.NumberColumn("Out of", format="%g")},
        key="trainer.parts",
    )  # fmt: skip
    st.caption(
        plain(
            f"Sum: {scorecard_view.sum_line(card)} · caller seed {card.seed} · "
            f"session {card.session_id}"
        )
    )
    _readiness(cert)


def main() -> None:
    st.title("Trainer")
    records = store()
    st.caption(
        f"Practice records are kept in {plain(records.location)}. Producers must do at least "
        f"{trainer.READY_PASSES} passing simulated transfers covering "
        f"{trainer.READY_TRIGGERS} trigger types before going live."
    )
    st.button("Refresh", icon=":material/refresh:", key="trainer.refresh")
    producers = records.producers()
    if not producers:
        st.info(
            "No practice records yet. Producers practise on the Role-play page; their "
            "scored calls appear here."
        )
        return
    who = st.selectbox("Producer", [EVERYONE, *producers], key="trainer.producer")
    producer = None if who == EVERYONE else who
    cards = roleplay.scorecards(records, producer)
    status = roleplay.certification_status(records, producer=producer)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Producers", len(status), border=True)
    c2.metric("Scored sessions", len(cards), border=True)
    c3.metric("Pass rate", f"{cards['passed'].mean():.0%}" if len(cards) else "—", border=True)
    c4.metric(
        "Ready for live transfers", f"{int(status['ready'].sum())} of {len(status)}", border=True
    )

    ready, scores, reasks, trends, export = st.tabs(
        ["Certification", "Scorecards", "Re-asks", "Trends", "Export"]
    )
    with ready:
        if producer is not None:
            _readiness(trainer.certification_progress(records, producer))
        st.dataframe(
            status_view(status), hide_index=True, column_config=STATUS_COLUMNS,
            column_order=STATUS_ORDER,
        )  # fmt: skip
    with scores:
        if cards.empty:
            st.info("No scored sessions yet (calls left without a disposition are not scored).")
        else:
            st.dataframe(
                cards_view(cards), hide_index=True, column_config=CARD_COLUMNS,
                column_order=CARD_ORDER,
            )  # fmt: skip
            _open_scorecard(records, cards)
    with reasks:
        table = roleplay.reasks_by_field_trigger(records, producer)
        show_chart(practice_charts.reask_heatmap(table), key="reask_heatmap")
        rates = roleplay.repeat_explain_rates(records)
        if rates.group_rate is not None:
            st.write(
                f"Share of scored sessions with at least one re-ask: **{rates.group_rate:.0%}"
                f"** (mean over producers; {rates.pooled_rate:.0%} pooled). This is the "
                "scenario's repeat-explain rate (Scenario page, Outcomes)."
            )
            st.button(
                "Use this rate in the current scenario",
                on_click=_use_rate,
                args=(rates.group_rate,),
                key="trainer.use_rate",
                help="The Simulate and ROI pages then assume this re-ask rate.",
            )
    with trends:
        trend = roleplay.trend(records, producer)
        if trend.empty:
            st.info("No scored sessions yet.")
        else:
            show_chart(practice_charts.trend_figure(trend), key="trend")
    with export:
        view = st.selectbox("View", list(trainer.VIEWS), key="trainer.view",
                            format_func=code_label)  # fmt: skip
        st.download_button(
            f"Download {view} (CSV)", lambda: trainer.VIEWS[view](records).to_csv(
                index=False).encode(),
            f"practice_{view}.csv", "text/csv", key="dl_trainer",
        )  # fmt: skip
        st.caption(
            "The same tables as the terminal's handoff-lab scores --export writes (one view "
            "per file)."
        )


main()
