"""Terminal practice: ``handoff-lab roleplay`` and ``handoff-lab scores``.

``roleplay`` puts a compact intake packet on one 80×24 screen (``/packet`` shows all of it,
``/whisper`` the AI's brief, ``/help`` the commands), then a chat with the scripted caller.
After every producer line a re-ask is flagged at once ("Re-ask: Contact number", with the words
that gave it away), as in the browser; read-backs are marked as good practice. ``/end`` asks
for the disposition and prints the honest scorecard: the score's parts and weights adding up to
the total, and "ready for live transfers" only once the producer's records certify them
(otherwise the progress, "1 of 3 passing calls, 1 of 3 triggers"). Each call gets a fresh
caller unless ``--seed`` is given; the seed is shown (to replay the caller) and recorded, and
the scorecard says where the call was saved (the records' URL and the session id). Lines are
edited with prompt_toolkit or readline when the terminal allows.

``scores`` shows certification progress, scorecards, re-asks by field × trigger and the
repeat-explain rates the simulator can use; ``--producer`` narrows every table to one person.

``roleplay --voice`` practises out loud (the ``voice`` extra; :mod:`roleplay.speech.terminal`):
each turn is a WAV (a path typed at the prompt, the next file of ``--voice-dir``, or the
microphone on Enter where a sound device exists), transcribed offline and scored like a typed
line (typed lines still work); the caller's replies are played, and saved with
``--save-audio DIR``.

Mistakes (unknown trigger, difficulty or producer, a bad database URL or file, a missing or
invalid WAV, an unwritable export file, Ctrl-C or end of input mid call) print one clear
message naming what is allowed and exit with code 2; turns already said stay in the store.
Everything a user typed is escaped before rich renders it, so a name like ``Agency [/draft]``
or ``[link=http://x]`` prints as typed.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from roleplay import scorecard_view as view
from roleplay.disposition import REASON_CODES, REASON_LABELS, UnknownDispositionError
from roleplay.fields import FIELDS, LABELS
from roleplay.migrations.engines import shown as shown_url
from roleplay.packet import DIFFICULTIES, intent_words
from roleplay.scoring import Scorecard, TurnEvidence
from roleplay.scripts import available_triggers
from roleplay.session import Session
from roleplay.store import ENV_VAR, Store, StoreError

if TYPE_CHECKING:
    from roleplay.speech.terminal import VoiceCall

__all__ = ["register"]

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

COMMANDS: dict[str, str] = {
    "/end [reason code]": "finish the call, tag it and see the scorecard",
    "/packet": "the full intake packet, the AI's transcript and the whisper",
    "/whisper": "the AI's brief again",
    "/help": "this list and the reason codes",
}
HINT = "/help commands · /packet full packet · /end [reason code] to finish"
SHORT_LABELS: dict[str, str] = {
    "contact_number": "Phone",
    "email": "Email",
    "urgency": "Urgency",
    "referral_source": "Referral",
    "preferred_next_action": "Next step",
    "product_interest": "Product",
    "date_of_birth": "Born",
    "state": "State",
    "coverage_amount": "Coverage",
    "current_coverage": "Current",
    "tobacco_use": "Tobacco",
}
"""Packet labels short enough for the compact packet's two columns."""

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=f"SQLAlchemy URL for the records (default: ${ENV_VAR} or a "
        "SQLite file in your data directory).",
    ),
]

_reader: Callable[[str], str] = input


def _line_reader() -> Callable[[str], str]:
    """prompt_toolkit (history, editing) or readline-backed input() on a terminal; plain
    input() when input is piped."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return input
    try:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import InMemoryHistory

        return PromptSession(history=InMemoryHistory()).prompt
    except Exception:  # not installed, or no usable terminal
        try:
            import readline  # noqa: F401  (importing it gives input() line editing)
        except ImportError:
            pass
        return input


def _read(prompt: str) -> str:
    """Read one line from the user (tests replace this). Piped input is echoed after the
    prompt, so a saved transcript reads like the call."""
    line = _reader(prompt)
    if _reader is input and not sys.stdin.isatty():
        out.print(escape(line), highlight=False)
    return line


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {escape(message)}")
    return typer.Exit(2)


def where(store: Store) -> str:
    return make_url(store.url).render_as_string(hide_password=True)


def open_store(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as exc:  # names the database (password hidden) and the problem
        raise fail(str(exc)) from None
    except (ArgumentError, OperationalError, ValueError) as exc:
        named = shown_url(db) if db else "(default)"
        raise fail(f"Cannot open the records database {named}: {exc}") from None
    except ModuleNotFoundError as exc:
        raise fail(f"The database driver is not installed ({exc.name}).") from None


# --------------------------------------------------------------------------------------------
# The packet
# --------------------------------------------------------------------------------------------


def _label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def _short_consent(consent: dict[str, str]) -> str:
    short = {
        "recording": lambda v: "recording " + v.split(" at ")[0],
        "prior_express_written_consent": lambda v: "written consent " + v.split(" (")[0],
        "dnc": lambda v: "DNC " + v.split(": ")[-1],
        "calling_window": lambda v: "in calling window" if v.startswith("inside") else v,
    }
    return " · ".join(short.get(k, lambda v, k=k: f"{k}: {v}")(v) for k, v in consent.items())


def compact_packet(session: Session, seed_given: bool) -> Group:
    """The packet on one 80×24 screen: who, why, what the AI captured and missed, consent,
    the whisper's gist and the caller seed."""
    p, c = session.packet, session.packet.captured
    head = Rule(
        escape(f"Warm transfer · {p.title} ({p.direction}, {p.difficulty})"),
        align="left",
        style="cyan",
    )
    grid = Table.grid(padding=(0, 1), expand=True)
    for ratio in (None, 1, None, 1):
        grid.add_column(style="bold" if ratio is None else None, ratio=ratio, no_wrap=not ratio)
    seed = str(session.seed) if seed_given else f"{session.seed} (replay: --seed {session.seed})"
    intent = intent_words(p.detected_intent)
    rows = [("Caller", c["caller_name"]), ("Seed", seed), ("Intent", intent)]
    rows += [(SHORT_LABELS[f], c[f]) for f in FIELDS if f in c and f in SHORT_LABELS]
    for i in range(0, len(rows), 2):
        (k1, v1), (k2, v2) = rows[i], rows[i + 1] if i + 1 < len(rows) else ("", "")
        grid.add_row(k1, escape(v1), k2, escape(v2))
    reason = Table.grid(padding=(0, 1), expand=True)
    reason.add_column(style="bold", no_wrap=True)
    reason.add_column(ratio=1)
    reason.add_row("Reason", escape(c["reason_for_call"]))
    missing = ", ".join(_label(f).lower() for f in p.missing) or "nothing"
    lines = [f"[yellow]Not captured (ask for these):[/] {escape(missing)}"]
    if p.direction == "outbound":
        lines.append(f"[bold]Consent:[/] {escape(_short_consent(p.consent))}")
    first = c["caller_name"].split()[0]
    lines.append(
        f"[bold]AI whisper:[/] {escape(session.script.whisper_headline)}; greet "
        f"{escape(first)} by name, don't re-ask what's captured."
    )
    lines.append(f"[dim]{escape(HINT)}[/]")
    return Group(head, grid, reason, *lines)


def _packet_table(session: Session) -> Table:
    table = Table(title=escape(f"Intake packet — {session.packet.title}"), show_lines=False)
    table.add_column("Field", style="bold")
    table.add_column("Captured by the AI")
    for f in FIELDS:
        value = session.packet.captured.get(f)
        if value is not None:
            shown = escape(value)
        elif f in session.packet.not_applicable:
            shown = "[dim]not applicable[/]"
        else:
            shown = "[yellow]not captured[/]"
        table.add_row(_label(f), shown)
    table.add_row("Detected intent", escape(intent_words(session.packet.detected_intent)))
    for key, value in session.packet.consent.items():
        table.add_row(escape(key.replace("_", " ").capitalize()), escape(value))
    return table


def _show_full_packet(session: Session) -> None:
    out.print(_packet_table(session))
    lines = "\n".join(
        f"[bold]{escape(who)}:[/] {escape(text)}" for who, text in session.packet.ai_transcript
    )
    out.print(Panel(lines, title="AI intake transcript"))
    _show_whisper(session)


def _show_whisper(session: Session) -> None:
    out.print(Panel(escape(session.whisper), title="Whisper from the AI"))


def _show_help() -> None:
    out.print("Type what you say to the caller. Commands:")
    for command, what in COMMANDS.items():
        out.print(f"  [bold]{escape(command)}[/]  {escape(what)}")
    out.print("Reason codes: " + escape("; ".join(f"{k} ({v})" for k, v in REASON_LABELS.items())))


# --------------------------------------------------------------------------------------------
# The call
# --------------------------------------------------------------------------------------------


def _flags(evidence: TurnEvidence) -> None:
    """Under a producer line: each re-ask (with the words) and each read-back."""
    for field in evidence.repeat_explains:
        words = next(
            (h["words"] for h in evidence.hits if h["field"] == field and h["kind"] == "request"),
            "",
        )
        out.print(
            f"  [bold red]⚠ Re-ask: {escape(_label(field))}[/] — “{escape(words)}” asks the "
            "caller to repeat something they already gave. Read it back instead."
        )
    for h in evidence.hits:
        if h["kind"] == "confirm":
            out.print(
                f"  [green]✓ Read-back: {escape(_label(h['field']))}[/] — “{escape(h['words'])}”"
                " (good practice)"
            )


def _chat(session: Session, voice: VoiceCall | None = None) -> str | None:
    """Run the chat until /end or a hang-up; return a disposition typed with /end, if any.
    With ``voice``, a turn may be a WAV (queued, named, or recorded) and replies are voiced."""
    while True:
        spoken = voice.queued() if voice is not None else None
        text = ""
        if spoken is None:
            text = _read(voice.prompt if voice is not None else "You: ").strip()
            spoken = voice.recording(text, _read) if voice is not None else None
        if spoken is not None and voice is not None:
            wav, source = spoken
            heard = voice.hear(wav)
            out.print(f"You ({escape(source)}, heard by {heard.engine}): {escape(heard.text)}")
            if not heard.text:
                err.print(f"Nothing was heard in {escape(source)}: record the turn again, or type.")
                continue
            reply = session.say(heard.text, engine=heard.engine, audio=wav)
        elif not text:
            err.print("Empty input: say something to the caller, or /end to finish.")
            continue
        elif text.startswith("/"):
            command, _, arg = text.partition(" ")
            if command == "/end":
                return arg.strip() or None
            if command == "/packet":
                _show_full_packet(session)
            elif command == "/whisper":
                _show_whisper(session)
            elif command == "/help":
                _show_help()
            else:
                err.print(
                    f"Unknown command {escape(command)!r}. Allowed: /end, /packet, /whisper, /help."
                )
            continue
        else:
            reply = session.say(text)
        _flags(session.evidence[-1])
        out.print(f"[bold cyan]Caller:[/] {escape(reply.text)}")
        _voice_reply(voice, len(session.evidence), reply.text)
        if reply.ended:
            out.print("[bold red]The caller hung up.[/] Tag the call to see your scorecard.")
            return None


def _voice_reply(voice: VoiceCall | None, turn: int, text: str) -> None:
    if voice is not None:
        done = voice.answer(turn, text)
        if done:
            out.print(f"[dim]  (caller's voice: {escape('; '.join(done))})[/]")


def _check_voice(folder: Path | None, save_to: Path | None) -> None:
    """Exit 2, naming what is missing or wrong, before the call starts (nothing recorded)."""
    from roleplay.speech.terminal import ReplySaver, VoiceInputError, numbered_wavs
    from roleplay.speech.turns import ENABLE_VOICE_OUTPUT, voice_status

    status = voice_status()
    if not status.can_hear:
        raise fail(" ".join(status.missing()[:1]) + " (or practise by typing, without --voice).")
    if save_to is not None and not status.can_speak:
        raise fail(f"--save-audio needs a speech synthesiser: {ENABLE_VOICE_OUTPUT}.")
    try:
        if folder is not None:
            numbered_wavs(folder)
        if save_to is not None:
            ReplySaver(save_to)
    except VoiceInputError as exc:
        raise fail(str(exc)) from None


def _start_voice(
    session: Session, folder: Path | None, save_to: Path | None, phone_line: bool
) -> VoiceCall:
    """The voice side of the call (options already checked by :func:`_check_voice`)."""
    from roleplay.speech.terminal import VoiceCall

    voice = VoiceCall(session, folder=folder, save_to=save_to, phone_line=phone_line)
    if not voice.can_speak:
        err.print("No speech synthesiser (apt-get install espeak-ng): the caller's replies are "
                  "shown as text.")  # fmt: skip
    elif not (voice.saver or voice.play_replies):
        err.print("No sound device: the caller's replies are not played (--save-audio DIR "
                  "keeps them as WAV files).")  # fmt: skip
    return voice


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


def show_scorecard(card: Scorecard, store: Store | None, console: Console = out) -> None:
    """The scorecard: verdict, the score's parts adding up, readiness, turn by turn, where
    the call was saved."""
    cert = view.certification_for(card, store)
    colour = "green" if card.passed else "red"
    parts = Table(
        title="How the score adds up", title_justify="left", expand=True, box=box.SIMPLE_HEAD
    )
    parts.add_column("Points", justify="right", no_wrap=True)
    parts.add_column("", no_wrap=True)
    parts.add_column("Part — why", ratio=1)
    rows = view.part_rows(card)
    for row in rows[:-1]:
        mark = "[green]✓[/]" if row.credited else "[red]✗[/]"
        why = f" — {escape(row.detail)}" if row.detail else ""
        parts.add_row(row.points, mark, f"{escape(row.part)}{why}")
    parts.add_section()
    parts.add_row(f"[bold]{rows[-1].points}[/]", "", f"[bold]{escape(rows[-1].part)}[/]")
    verdict = escape(view.verdict(card, cert))
    body = [
        f"[bold]{escape(view.headline(card))}[/] — [bold {colour}]{verdict}[/]",
        *(f"• {escape(r)}" for r in card.fail_reasons),
    ]
    title = escape(
        f"Scorecard — {card.producer}, {card.trigger} ({card.difficulty}), caller seed {card.seed}"
    )
    console.print(Panel("\n".join(body), title=title))
    console.print(parts)
    console.print(f"Sum: {escape(view.sum_line(card))}")
    ready_style = "bold green" if cert is not None and cert.ready else "yellow"
    console.print(f"[{ready_style}]{escape(view.readiness(cert))}[/]")
    turns = Table(title="Turn by turn", title_justify="left", expand=True)
    for col in ("#", "You said", "Re-ask", "Checklist"):
        turns.add_column(col)
    for t in card.turns:
        ticks = ", ".join(k.replace("_", " ") for k in t.checklist)
        turns.add_row(
            str(t.turn),
            escape(t.producer),
            escape(", ".join(_label(f) for f in t.repeat_explains)),
            escape(ticks),
        )
    console.print(turns)
    if store is not None:
        console.print(f"Saved to {escape(where(store))} as session {escape(card.session_id)}.")


def roleplay(
    trigger: Annotated[str, typer.Option("--trigger", "-t", help="Trigger to practise.")],
    producer: Annotated[str, typer.Option("--producer", "-p", help="Your name.")] = "trainee",
    seed: Annotated[
        int | None,
        typer.Option(
            min=0, help="Caller seed (same seed, same caller); a fresh caller if not given."
        ),
    ] = None,
    difficulty: Annotated[
        str, typer.Option(help=f"What the AI failed to capture: {', '.join(DIFFICULTIES)}.")
    ] = "standard",
    db: DbOption = None,
    voice: Annotated[
        bool, typer.Option("--voice", help="Speak your turns: a WAV per turn, or the microphone.")
    ] = False,
    voice_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of numbered WAVs, one per turn, in order (implies --voice)."),
    ] = None,
    save_audio: Annotated[
        Path | None, typer.Option(help="Save the caller's spoken replies in this folder.")
    ] = None,
    phone_line: Annotated[
        bool, typer.Option("--phone-line", help="The caller sounds as if on a phone line.")
    ] = False,
) -> None:
    """Practise receiving a warm transfer from the voice AI."""
    global _reader
    triggers = available_triggers()
    if trigger not in triggers:
        raise fail(f"Unknown trigger {trigger!r}. Choose one of: {', '.join(triggers)}.")
    if difficulty not in DIFFICULTIES:
        raise fail(f"Unknown difficulty {difficulty!r}. Choose one of: {', '.join(DIFFICULTIES)}.")
    if not producer.strip():
        raise fail("Producer name is empty. Pass --producer with your name.")
    wants_voice = voice or voice_dir is not None or save_audio is not None
    if wants_voice:
        _check_voice(voice_dir, save_audio)
    seed_given = seed is not None
    caller_seed = seed if seed is not None else secrets.randbelow(10_000)
    store = open_store(db)
    try:
        try:
            session = Session.start(
                trigger, seed=caller_seed, producer=producer, difficulty=difficulty, store=store
            )
        except OperationalError as exc:
            raise fail(f"Cannot write to the records database {where(store)}: {exc}") from None
        except ValueError as exc:  # a script that does not validate, for example
            raise fail(str(exc)) from None
        voice_call = None
        if wants_voice:
            voice_call = _start_voice(session, voice_dir, save_audio, phone_line)
        _reader = _line_reader()
        out.print(compact_packet(session, seed_given))
        out.print(f"[bold cyan]Caller:[/] {escape(session.transcript[0].text)}")
        try:
            _voice_reply(voice_call, 0, session.transcript[0].text)
            disposition = _chat(session, voice_call)
            while True:
                try:
                    card = session.end(_ask_disposition(disposition))
                    break
                except UnknownDispositionError as exc:
                    err.print(escape(str(exc)))
                    disposition = None
        except (KeyboardInterrupt, EOFError):
            session.abandon()
            err.print(
                f"\nCall left without a scorecard; {len(session.transcript)} turn(s) kept in "
                f"{escape(where(store))} (session {escape(session.id)}). Finish a call with "
                f"/end and one of: {', '.join(REASON_CODES)}."
            )
            raise typer.Exit(2) from None
        except ValueError as exc:  # a WAV the producer named (VoiceInputError), bad audio
            session.abandon()
            raise fail(
                f"{exc} The call was left without a scorecard; its turns are kept."
            ) from None
        show_scorecard(card, store)
    finally:
        store.close()


def register(app: typer.Typer) -> None:
    """Add the role-play commands to the ``handoff-lab`` app."""
    from roleplay.scores_cli import scores

    app.command("roleplay")(roleplay)
    app.command("scores")(scores)
