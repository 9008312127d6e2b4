"""``handoff-lab scores``: the practice records in the terminal, for a producer or everyone.

Certification progress, the scorecards, re-asks by field and trigger, and the repeat-explain
rate the simulator takes (``outcomes.repeat_explain_rate``); ``--export`` writes the
scorecards as CSV, ``--json`` prints the same records as one JSON object. Every table carries
headers for people, fits the terminal without cutting a word, and escapes what producers typed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from roleplay import trainer
from roleplay.certification import READY_PASSES, READY_TRIGGERS
from roleplay.cli import DbOption, fail, open_store, out, where
from roleplay.store import UnknownProducerError
from sim.results import json_safe

__all__ = ["scores"]

SCORECARD_COLUMNS = {
    "producer": "Producer",
    "started_at": "Started",
    "trigger": "Trigger",
    "difficulty": "Difficulty",
    "seed": "Caller seed",
    "score": "Score",
    "passed": "Passed",
    "repeat_explain_count": "Re-asks",
    "disposition_correct": "Right reason code",
}
"""The scorecard columns shown, with their headers."""


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:g}"
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d %H:%M")
    return escape(str(v).replace("_", " ") if isinstance(v, str) and "_" in v and " " not in v
                  else str(v))  # fmt: skip


def _fitted(table: Table) -> Table:
    """``table`` sized to the terminal with no word cut (:func:`sim.cli.shared.fit_columns`)."""
    from sim.cli.shared import fit_columns  # here: sim.cli registers this module's command

    return fit_columns(table, out.width)


def _certification_tables(title: str, cert) -> list[Table]:
    """Certification per producer; the progress in words is never broken over lines."""
    from sim.cli.shared import stacked

    headers = ("Producer", "Sessions", "Ready", "Progress", "Triggers passed")

    def build(columns: list[str], continued: bool) -> Table:
        table = Table(title=escape(f"{title} (continued)" if continued else title))
        for col in columns:
            table.add_column(col, no_wrap=col == "Progress")
        for row in cert.itertuples(index=False):
            passed = escape(str(row.passing_triggers).replace("_", " "))
            cells = {"Producer": escape(row.producer), "Sessions": str(row.sessions),
                     "Ready": _cell(bool(row.ready)), "Progress": escape(row.progress),
                     "Triggers passed": passed}  # fmt: skip
            table.add_row(*(cells[c] for c in columns))
        return table

    return stacked(list(headers), build, 1, out.width)


def _frame_tables(df, title: str, keys: int = 1) -> list[Table]:
    """``df`` as tables that fit the terminal with no word cut: the first ``keys`` columns
    start each table, the others continue in the next when the screen is too narrow
    (:func:`sim.cli.shared.stacked`)."""
    from sim.cli.shared import stacked

    def build(columns: list[str], continued: bool) -> Table:
        table = Table(title=escape(f"{title} (continued)" if continued else title))
        for col in columns:
            table.add_column(escape(str(col)))
        for row in df[columns].itertuples(index=False):
            table.add_row(*(_cell(v) for v in row))
        return table

    return stacked([str(c) for c in df.columns], build, keys, out.width)


JSON_HELP = (
    'Print JSON instead of tables: {"records" (where, password hidden), "producer" (or null), '
    '"certification": [{"producer", "sessions", "passing_sessions", "passing_triggers", '
    '"n_passing_triggers", "ready", "missing", "progress"}], "scorecards": [one object per '
    'scored session, the --export columns], "reasks": [{"field", "trigger", "count"}], '
    '"repeat_explain": {"per_producer", "sessions", "group_rate", "pooled_rate", '
    '"scenario_overrides"}, "exported" (the CSV written, or null)}.'
)


def scores(
    producer: Annotated[
        str | None, typer.Option("--producer", "-p", help="Only this producer, in every table.")
    ] = None,
    db: DbOption = None,
    export: Annotated[
        Path | None, typer.Option(help="Also write the scorecards view to this CSV file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Show practice scorecards, certification progress and repeat-explain rates."""
    store = open_store(db)
    try:
        try:
            cards = trainer.scorecards(store, producer)
        except UnknownProducerError as exc:
            raise fail(str(exc)) from None
        if as_json:
            if export is not None:
                _export(cards, export)
            _print_json(store, producer, cards, export)
            return
        if producer is not None:
            out.print(f"Records in {escape(where(store))}, producer {escape(producer)} only.")
        else:
            out.print(f"Records in {escape(where(store))}, every producer.")
        cert = trainer.certification_status(store, producer=producer)
        title = (f"Certification (ready = {READY_PASSES} passing sessions over "
                 f"{READY_TRIGGERS} triggers)")  # fmt: skip
        for table in _certification_tables(title, cert):
            out.print(table)
        shown = cards[list(SCORECARD_COLUMNS)].rename(columns=SCORECARD_COLUMNS)
        for table in _frame_tables(shown, "Scorecards", keys=2):
            out.print(table)
        reasks = trainer.reasks_by_field_trigger(store, producer)
        reasks = reasks.loc[reasks.sum(axis=1) > 0, reasks.sum(axis=0) > 0]
        if not reasks.empty:
            reasks = reasks.rename(columns=lambda c: str(c).replace("_", " "))
            counts = reasks.reset_index()
            counts = counts.rename(columns={counts.columns[0]: "Field"})
            for table in _frame_tables(counts, "Re-asks by field × trigger"):
                out.print(table)
        rates = trainer.repeat_explain_rates(store, [producer] if producer else None)
        if rates.group_rate is not None:
            lines = [
                f"{escape(p)}: {r:.2f} over {rates.sessions[p]} session(s)"
                for p, r in rates.per_producer.items()
            ]
            lines.append(
                f"{'mean' if producer is None else 'rate'}: {rates.group_rate:.2f} → scenario "
                f"outcomes.repeat_explain_rate = {rates.group_rate:.4f}"
            )
            out.print(Panel("\n".join(lines), title="Repeat-explain rate (for the simulator)"))
        if export is not None:
            _export(cards, export)
            out.print(f"Wrote {escape(str(export))}")
    finally:
        store.close()


def _export(cards, export: Path) -> None:
    if not export.parent.is_dir():
        what = "is a file" if export.parent.exists() else "does not exist"
        raise fail(f"Cannot write {export}: the folder {export.parent} {what}.")
    try:
        cards.to_csv(export, index=False)
    except OSError as exc:
        raise fail(f"Cannot write {export}: {exc.strerror or exc}") from None


def _print_json(store, producer: str | None, cards, export: Path | None) -> None:
    """``scores --json``: the records the tables show, from the same trainer views."""
    reasks = trainer.reasks_by_field_trigger(store, producer)
    counts = [
        {"field": str(field), "trigger": str(trigger), "count": int(n)}
        for field, row in reasks.iterrows()
        for trigger, n in row.items()
        if n
    ]
    rates = trainer.repeat_explain_rates(store, [producer] if producer else None)
    payload = {
        "records": where(store),
        "producer": producer,
        "certification": trainer.certification_status(store, producer=producer),
        "scorecards": cards,
        "reasks": counts,
        "repeat_explain": {
            "per_producer": rates.per_producer,
            "sessions": rates.sessions,
            "group_rate": rates.group_rate,
            "pooled_rate": rates.pooled_rate,
            "scenario_overrides": rates.scenario_overrides(),
        },
        "exported": None if export is None else str(export),
    }
    sys.stdout.write(json.dumps(json_safe(payload), indent=2, default=str) + "\n")
