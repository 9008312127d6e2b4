"""Terminal practice: ``handoff-lab roleplay`` and ``handoff-lab scores``.

``roleplay`` shows the AI's intake packet and whisper, then a chat with the scripted caller;
``/end`` asks for the disposition and prints the scorecard. ``scores`` shows certification
status, scorecards, re-asks by field × trigger and the repeat-explain rates the simulator can
use. Mistakes (unknown trigger, difficulty or producer, a bad database URL, Ctrl-C or end of
input mid call) print a clear message naming what is allowed and exit with code 2; turns
already said stay in the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from sqlalchemy.exc import ArgumentError, OperationalError

from roleplay import trainer
from roleplay.disposition import REASON_CODES, REASON_LABELS, UnknownDispositionError
from roleplay.fields import FIELDS, LABELS
from roleplay.packet import DIFFICULTIES
from roleplay.scoring import Scorecard
from roleplay.scripts import available_triggers
from roleplay.session import Session
from roleplay.store import ENV_VAR, Store, UnknownProducerError

__all__ = ["register"]

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

HELP = (
    "Type what you say to the caller. Commands: /end \\[disposition] to finish and score, "
    "/packet to show the packet again, /whisper, /help."
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"SQLAlchemy URL for the records (default: ${ENV_VAR} or a "
        "SQLite file in your data directory).",
    ),
]


def _read(prompt: str) -> str:
    """Read one line from the user (tests replace this)."""
    return input(prompt)


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(2)


def _open_store(db: str | None) -> Store:
    try:
        return Store(db)
    except (ArgumentError, OperationalError, ValueError) as exc:
        raise _fail(f"Cannot open the records database {db!r}: {exc}") from None
    except ModuleNotFoundError as exc:
        raise _fail(f"The database driver is not installed ({exc.name}).") from None


def _packet_table(session: Session) -> Table:
    table = Table(title=f"Intake packet — {session.packet.title}", show_lines=False)
    table.add_column("Field", style="bold")
    table.add_column("Captured by the AI")
    for f in FIELDS:
        value = session.packet.captured.get(f)
        table.add_row(LABELS[f], value if value is not None else "[yellow]not captured[/]")
    table.add_row("Detected intent", session.packet.detected_intent)
    for key, value in session.packet.consent.items():
        table.add_row(key.replace("_", " ").capitalize(), value)
    return table


def _show_packet(session: Session) -> None:
    out.print(_packet_table(session))
    lines = "\n".join(f"[bold]{who}:[/] {text}" for who, text in session.packet.ai_transcript)
    out.print(Panel(lines, title="AI intake transcript"))


def _show_scorecard(card: Scorecard) -> None:
    verdict = "[bold green]PASSED[/]" if card.passed else "[bold red]NOT PASSED[/]"
    out.print(
        Panel(
            f"Score {card.score:g} / 100 (pass mark {card.pass_mark:g}) — {verdict}\n"
            f"Repeat-explains: {card.repeat_explain_count}"
            + (f" ({', '.join(card.repeat_explain_fields)})" if card.repeat_explain_fields else "")
            + f"\nDisposition: {card.disposition} — real need: {card.real_need} "
            + ("✓" if card.disposition_correct else "✗")
            + "".join(f"\n• {r}" for r in card.fail_reasons),
            title=f"Scorecard — {card.producer}, {card.trigger} ({card.difficulty})",
        )
    )
    table = Table(title="Checklist")
    for col in ("Item", "Points", "Met", "Turn", "Evidence"):
        table.add_column(col)
    for item in card.checklist:
        table.add_row(
            item.label,
            f"{item.weight:g}",
            "✓" if item.passed else "✗",
            str(item.turn or ""),
            item.evidence or "",
        )
    out.print(table)
    turns = Table(title="Turn by turn")
    for col in ("#", "You said", "Fields touched", "Repeat-explain"):
        turns.add_column(col)
    for t in card.turns:
        touched = ", ".join(f"{h['field']} ({h['kind']}: “{h['words']}”)" for h in t.hits)
        turns.add_row(str(t.turn), t.producer, touched, ", ".join(t.repeat_explains))
    out.print(turns)


def _ask_disposition(given: str | None) -> str:
    codes = ", ".join(REASON_CODES)
    answer = given
    while True:
        if answer is None:
            answer = _read(f"Disposition ({codes}): ")
        if answer.strip():
            return answer.strip()
        err.print(f"Please give a disposition. Allowed: {codes}.")
        answer = None


def roleplay(
    trigger: Annotated[str, typer.Option("--trigger", "-t", help="Trigger to practise.")],
    producer: Annotated[str, typer.Option("--producer", "-p", help="Your name.")] = "trainee",
    seed: Annotated[int, typer.Option(help="Caller seed (same seed, same caller).")] = 0,
    difficulty: Annotated[
        str, typer.Option(help=f"What the AI failed to capture: {', '.join(DIFFICULTIES)}.")
    ] = "standard",
    db: DbOption = None,
) -> None:
    """Practise receiving a warm transfer from the voice AI."""
    triggers = available_triggers()
    if trigger not in triggers:
        raise _fail(f"Unknown trigger {trigger!r}. Choose one of: {', '.join(triggers)}.")
    if difficulty not in DIFFICULTIES:
        raise _fail(f"Unknown difficulty {difficulty!r}. Choose one of: {', '.join(DIFFICULTIES)}.")
    if not producer.strip():
        raise _fail("Producer name is empty. Pass --producer with your name.")
    store = _open_store(db)
    session = Session.start(
        trigger, seed=seed, producer=producer, difficulty=difficulty, store=store
    )
    _show_packet(session)
    out.print(Panel(session.whisper, title="Whisper from the AI"))
    out.print(f"[dim]{HELP}[/]")
    out.print(f"[bold cyan]Caller:[/] {session.transcript[0].text}")
    try:
        disposition = _chat(session)
        while True:
            try:
                card = session.end(_ask_disposition(disposition))
                break
            except UnknownDispositionError as exc:
                err.print(str(exc))
                disposition = None
    except (KeyboardInterrupt, EOFError):
        session.abandon()
        kept = len(session.transcript)
        err.print(
            f"\nCall left without a scorecard; {kept} turn(s) kept in the records "
            f"(session {session.id}). Finish a call with /end and one of: "
            f"{', '.join(REASON_CODES)}."
        )
        raise typer.Exit(2) from None
    finally:
        store.close()
    _show_scorecard(card)


def _chat(session: Session) -> str | None:
    """Run the chat until /end or a hang-up; return a disposition typed with /end, if any."""
    while True:
        text = _read("You: ").strip()
        if not text:
            err.print("Empty input: say something to the caller, or /end to finish.")
            continue
        if text.startswith("/"):
            command, _, arg = text.partition(" ")
            if command == "/end":
                return arg.strip() or None
            if command == "/packet":
                _show_packet(session)
            elif command == "/whisper":
                out.print(Panel(session.whisper, title="Whisper from the AI"))
            elif command == "/help":
                out.print(HELP)
                out.print(
                    "Dispositions: " + "; ".join(f"{k} ({v})" for k, v in REASON_LABELS.items())
                )
            else:
                err.print(f"Unknown command {command!r}. Allowed: /end, /packet, /whisper, /help.")
            continue
        reply = session.say(text)
        out.print(f"[bold cyan]Caller:[/] {reply.text}")
        if reply.ended:
            out.print("[bold red]The caller hung up.[/] Tag the call to see your scorecard.")
            return None


def _frame_table(df, title: str) -> Table:
    table = Table(title=title)
    for col in df.columns:
        table.add_column(str(col))
    for row in df.itertuples(index=False):
        table.add_row(
            *("" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in row)
        )
    return table


def scores(
    producer: Annotated[
        str | None, typer.Option("--producer", "-p", help="Only this producer.")
    ] = None,
    db: DbOption = None,
    export: Annotated[
        Path | None, typer.Option(help="Also write the scorecards view to this CSV file.")
    ] = None,
) -> None:
    """Show practice scorecards, certification status and repeat-explain rates."""
    store = _open_store(db)
    try:
        try:
            cards = trainer.scorecards(store, producer)
        except UnknownProducerError as exc:
            raise _fail(str(exc)) from None
        cert = trainer.certification_status(store)
        if producer is not None:
            cert = cert[cert["producer"] == producer]
        out.print(_frame_table(cert, "Certification (ready = 3 passing sessions, 3 triggers)"))
        shown = cards[
            [
                "producer",
                "started_at",
                "trigger",
                "difficulty",
                "score",
                "passed",
                "repeat_explain_count",
                "disposition_correct",
            ]
        ]
        out.print(_frame_table(shown, "Scorecards"))
        reasks = trainer.reasks_by_field_trigger(store)
        reasks = reasks[reasks.sum(axis=1) > 0]
        if not reasks.empty:
            out.print(_frame_table(reasks.reset_index(), "Re-asks by field × trigger"))
        rates = trainer.repeat_explain_rates(store, [producer] if producer else None)
        if rates.group_rate is not None:
            lines = [
                f"{p}: {r:.2f} over {rates.sessions[p]} session(s)"
                for p, r in rates.per_producer.items()
            ]
            lines.append(
                f"group mean: {rates.group_rate:.2f} → scenario "
                f"outcomes.repeat_explain_rate = {rates.group_rate:.4f}"
            )
            out.print(Panel("\n".join(lines), title="Repeat-explain rate (for the simulator)"))
        if export is not None:
            cards.to_csv(export, index=False)
            out.print(f"Wrote {export}")
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add the role-play commands to the ``handoff-lab`` app."""
    app.command("roleplay")(roleplay)
    app.command("scores")(scores)
