"""Role-play: take a warm transfer from the voice AI and talk to the scripted caller.

The intake packet and the AI's whisper sit beside the chat. Every producer line goes through
``Session.say``, whose turn evidence comes from ``roleplay.detect``: a request for something
the caller already gave (to the AI or earlier in this call) is flagged under the line at once,
with the words that gave it away; a read-back for confirmation is marked as good practice. A
reason code must be chosen to end the call; the scorecard then shows how the score adds up
(re-ask points with the count, each checklist item with its weight and the words that earned
it, the disposition), the producer's certification progress ("ready for live transfers" only
after three passing calls over three triggers) and the evidence turn by turn; the whole
session is in the practice records (``common.store``).

Out loud (the ``voice`` extra): the producer records a turn (``st.audio_input``), sees what
the offline recogniser heard and may correct it before it is scored (the turn is then marked
as corrected), and hears the caller answer in the persona's own voice, optionally through a
phone line (``st.audio``). Spoken turns are scored, flagged and stored like typed ones (with
the engine that heard them); the recording is kept only if the trainer turned that on. Typing
stays available; without the extra the page says how to enable voice.

The call lives in this browser session's state, so two producers practising at once (two tabs,
two browsers) never see each other's calls; only the records are shared.
"""

from __future__ import annotations

import random

import pandas as pd
import streamlit as st

import roleplay
from dashboards import practice_charts
from dashboards.common import code_label, plain, store
from roleplay import scorecard_view
from roleplay.disposition import REASON_LABELS
from roleplay.fields import LABELS
from roleplay.speech import AudioError, EngineUnavailableError, TtsError
from roleplay.speech import turns as voice

# Session key: the live :class:`roleplay.Session` (None before a call).
SESSION = "rp.session"
# Session key: a message for the next run (why a call could not start or end).
NOTICE = "rp.notice"
# Session key: the recorded turn waiting to be sent ({"text", "engine", "wav"}), or None.
HEARD = "rp.heard"
# Session key: the transcript as the producer edits it before sending.
FIX = "rp.fix"
# Session key: how many recordings were taken (each turn gets a fresh recorder widget).
TAKES = "rp.takes"
# Session key: synthesised caller lines, by (session id, turn index, phone line).
CALLER_AUDIO = "rp.caller_audio"

CALLER_AVATAR = ":material/call:"
PRODUCER_AVATAR = ":material/support_agent:"


def _init() -> None:
    state = st.session_state
    state.setdefault(SESSION, None)
    state.setdefault(NOTICE, None)
    state.setdefault("rp.producer", "")
    state.setdefault("rp.trigger", roleplay.available_triggers()[0])
    state.setdefault("rp.difficulty", "standard")
    state.setdefault("rp.seed", random.randrange(10_000))
    state.setdefault(HEARD, None)
    state.setdefault(TAKES, 0)
    state.setdefault(CALLER_AUDIO, {})
    state.setdefault("rp.hear_caller", True)
    state.setdefault("rp.phone", True)


def _voice() -> voice.VoiceStatus:
    return voice.voice_status()  # a few file checks: cheap enough for every run


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


# --- callbacks ---------------------------------------------------------------------------------


def _start() -> None:
    state = st.session_state
    try:
        state[SESSION] = roleplay.Session.start(
            state["rp.trigger"], seed=int(state["rp.seed"]), producer=state["rp.producer"],
            difficulty=state["rp.difficulty"], store=store(),
        )  # fmt: skip
        state[NOTICE] = None
        state["rp.disposition"] = None
        state[HEARD] = None
    except ValueError as exc:
        state[NOTICE] = str(exc)


def _say() -> None:
    state = st.session_state
    session: roleplay.Session = state[SESSION]
    text = state.get("rp.input") or ""
    if not text.strip() or session.ended:
        return
    session.say(text)  # a re-ask is flagged under the line itself (no toast over the chat)


def _mic_key() -> str:
    return f"rp.mic.{st.session_state[TAKES]}"


def _heard() -> None:
    """A recording arrived: transcribe it and put the text up for checking."""
    state = st.session_state
    session: roleplay.Session = state[SESSION]
    recording = state.get(_mic_key())
    if recording is None or session.ended:
        return
    wav = recording.getvalue()
    try:
        heard = voice.hear(session, wav)
    except (AudioError, EngineUnavailableError) as exc:
        state[NOTICE] = f"Could not hear that recording: {exc}"
        return
    state[NOTICE] = None
    state[HEARD] = {"text": heard.text, "engine": heard.engine, "wav": wav}
    state[FIX] = heard.text


def _send_spoken() -> None:
    """Score the checked transcript as the producer's turn (corrected if it was edited)."""
    state = st.session_state
    session: roleplay.Session = state[SESSION]
    heard = state[HEARD]
    text = " ".join((state.get(FIX) or "").split())
    if heard is None or not text or session.ended:
        return
    corrected = text != " ".join(heard["text"].split())
    session.say(text, engine=heard["engine"], corrected=corrected, audio=heard["wav"])
    _discard_take()


def _discard_take() -> None:
    state = st.session_state
    state[HEARD] = None
    state[TAKES] += 1


def _end() -> None:
    state = st.session_state
    session: roleplay.Session = state[SESSION]
    code = state.get("rp.disposition")
    if code is None:
        state[NOTICE] = "Choose a reason code before ending the call."
        return
    session.end(code)
    state[NOTICE] = None


def _new_call() -> None:
    state = st.session_state
    session = state[SESSION]
    if session is not None and session.scorecard is None:
        session.abandon()
    state[SESSION] = None
    state["rp.seed"] = random.randrange(10_000)
    state[HEARD] = None
    state[CALLER_AUDIO] = {}


# --- drawing -----------------------------------------------------------------------------------


def _setup() -> None:
    st.write(
        "Pick the kind of transfer, say who you are, and take the call. The AI has already "
        "done the intake: read the packet and the whisper, then continue **without asking "
        "for anything it captured**."
    )
    with st.form("rp_start"):
        c1, c2 = st.columns(2)
        c1.text_input(
            "Your name (as your manager knows you)", key="rp.producer", placeholder="e.g. Dana Lee"
        )
        c2.selectbox(
            "Trigger",
            roleplay.available_triggers(),
            key="rp.trigger",
            format_func=code_label,
        )
        c1.selectbox(
            "Difficulty",
            roleplay.DIFFICULTIES,
            key="rp.difficulty",
            format_func=code_label,
            help="Harder packets miss more fields, which you then may (and must) ask.",
        )
        c2.number_input(
            "Caller (seed)",
            min_value=0,
            step=1,
            key="rp.seed",
            help="Same seed, same caller and packet.",
        )
        st.form_submit_button("Take the call", type="primary", on_click=_start)


NOT_CAPTURED = "not captured"
NOT_APPLICABLE = "not applicable"


def packet_rows(packet: roleplay.IntakePacket) -> pd.DataFrame:
    """Every intake field with what the AI captured, "not captured" (the producer may ask) or
    "not applicable" (tobacco use on an auto or home call: neither known nor to be asked)."""

    def value(f: str) -> str:
        if f in packet.captured:
            return packet.captured[f]
        return NOT_APPLICABLE if f in packet.not_applicable else NOT_CAPTURED

    values = [value(f) for f in roleplay.FIELDS]
    return pd.DataFrame({"Field": [label(f) for f in roleplay.FIELDS], "What the AI has": values})


# The consent record's items for people (others: their key in words).
CONSENT_LABELS = {
    "dnc": "Do-not-call list",
    "prior_express_written_consent": "Prior express written consent",
    "calling_window": "Calling window",
    "recording": "Recording",
}


def consent_rows(consent: dict) -> pd.DataFrame:
    """The consent and compliance record as a two-column table."""
    return pd.DataFrame({"Item": [CONSENT_LABELS.get(k, code_label(k)) for k in consent],
                         "Status": [str(v) for v in consent.values()]})  # fmt: skip


# The caller's mood level in plain words.
MOOD_WORDS = {
    "calm": "calm",
    "impatient": "getting impatient",
    "annoyed": "annoyed",
    "angry": "angry",
}


def _reason(code: str) -> str:
    """A reason code (``pricing_question``) for people ("Pricing question")."""
    return REASON_LABELS.get(code, code_label(code))


def _packet(session: roleplay.Session) -> None:
    packet = session.packet
    st.subheader("Intake packet")
    st.caption(
        f"{packet.title} · {packet.direction} · detected intent "
        f"**{_reason(packet.detected_intent)}**"
        f" · {code_label(packet.difficulty)}"
    )
    st.info(f"**Whisper:** {plain(session.whisper)}", icon=":material/hearing:")
    st.table(packet_rows(packet), hide_index=True)  # wraps long values (a table cuts them)
    if packet.missing:
        st.markdown(
            "**Not captured (ask for these):** " + ", ".join(label(f) for f in packet.missing)
        )
    else:
        st.markdown("**Not captured:** nothing — everything is in the packet.")
    with st.expander("AI intake transcript"):
        for speaker, text in packet.ai_transcript:
            st.markdown(f"**{speaker}:** {plain(text)}")
    with st.expander("Consent and compliance"):
        st.dataframe(consent_rows(packet.consent), hide_index=True)


def _flags(evidence: roleplay.TurnEvidence) -> None:
    """Under a producer line: re-asks (with the words) and read-backs."""
    for field in evidence.repeat_explains:
        words = next(
            (h["words"] for h in evidence.hits if h["field"] == field and h["kind"] == "request"),
            "",
        )
        st.error(
            f"**Re-ask: {label(field)}.** “{plain(words)}” asks the caller to repeat something "
            "they already gave. Read it back instead.",
            icon=":material/replay:",
        )
    for h in evidence.hits:
        if h["kind"] == "confirm":
            st.success(
                f"Read-back of {label(h['field'])}: “{plain(h['words'])}” — good practice.",
                icon=":material/check_circle:",
            )


def _call(session: roleplay.Session) -> None:
    st.subheader(f"Call with {session.persona.first_name}")
    mood = getattr(session, "mood", None)
    if mood is not None:
        st.caption(f"Caller's mood: {MOOD_WORDS.get(mood.level, mood.level)}")
    producer_turns = iter(session.evidence)
    with st.container(height=460, border=True):
        for turn in session.transcript:
            if turn.speaker == "caller":
                with st.chat_message("caller", avatar=CALLER_AVATAR):
                    st.markdown(plain(turn.text))
            else:
                with st.chat_message("producer", avatar=PRODUCER_AVATAR):
                    st.markdown(plain(turn.text))
                    if turn.engine:
                        st.caption(spoken_note(turn))
                    _flags(next(producer_turns))
    if session.scorecard is None:
        if session.ended:
            st.error(
                "The caller hung up after being asked to repeat themselves. Tag the call "
                "and end it to see the scorecard."
            )
        _caller_audio(session)
        if not session.ended:
            _speak(session)
        st.chat_input(
            "Say something to the caller", key="rp.input", on_submit=_say, disabled=session.ended
        )
        c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
        choice = c1.selectbox(
            "Reason code (disposition)", roleplay.REASON_CODES, index=None, key="rp.disposition",
            format_func=lambda c: REASON_LABELS.get(c, c), placeholder="Choose how to tag the call",
            help="The caller's real need, which is not always what the trigger suggests.",
        )  # fmt: skip
        c2.button(
            "End the call and score it",
            type="primary",
            on_click=_end,
            disabled=choice is None,
            key="rp.end",
        )
        if choice is None:
            st.caption("A reason code must be chosen to end the call.")


def spoken_note(turn: roleplay.Turn) -> str:
    """How a spoken turn was heard: the engine and whether its transcript was corrected."""
    note = f"spoken · heard by {turn.engine}"
    return note + (" · transcript corrected before scoring" if turn.corrected else "")


def _caller_audio(session: roleplay.Session) -> None:
    """The caller's last line in the persona's voice, played as it arrives."""
    status = _voice()
    if not status.can_speak:
        return
    c1, c2 = st.columns(2)
    c1.toggle("Hear the caller", key="rp.hear_caller", help="The caller speaks each reply.")
    c2.toggle("Phone-line sound", key="rp.phone", help="8 kHz, 300–3400 Hz, like a real line.")
    if not st.session_state["rp.hear_caller"]:
        return
    idx = max(i for i, t in enumerate(session.transcript) if t.speaker == "caller")
    phone = bool(st.session_state["rp.phone"])
    cache = st.session_state[CALLER_AUDIO]
    key = (session.id, idx, phone)
    if key not in cache:
        try:
            cache[key] = voice.speak(session, session.transcript[idx].text, phone_line=phone)
        except (EngineUnavailableError, TtsError) as exc:
            st.warning(f"The caller's voice is unavailable: {plain(exc)}")
            return
    st.audio(cache[key], format="audio/wav", autoplay=True)


def _speak(session: roleplay.Session) -> None:
    """Record a turn, check what was heard, send it; or how to enable voice."""
    status = _voice()
    if not status.can_hear:
        st.info(
            "**Practise out loud:** install the voice extra with "
            f"`{voice.ENABLE_VOICE}` and restart the dashboard. Typing works meanwhile.",
            icon=":material/mic_off:",
        )
        return
    heard = st.session_state[HEARD]
    if heard is None:
        records = store()
        kept = (
            f"kept {records.keep_audio_days:g} days (your trainer's setting)"
            if records.keeps_audio
            else "not kept"
        )
        st.audio_input(
            "Speak your turn (or type below)", key=_mic_key(), on_change=_heard,
            help=f"Recorded and transcribed on this machine; nothing leaves it. Recordings are "
            f"{kept}; the transcript is saved like a typed line.",
        )  # fmt: skip
        return
    if not heard["text"]:
        st.warning("Nothing was heard in that recording. Record it again, or type it.")
    st.text_area(
        f"What you said, as {heard['engine']} heard it (correct it before it is scored)",
        key=FIX, height=80,
    )  # fmt: skip
    c1, c2 = st.columns(2)
    c1.button("Send this turn", type="primary", on_click=_send_spoken, key="rp.send")
    c2.button("Record again", on_click=_discard_take, key="rp.retake")


def _how(turn: roleplay.Turn) -> str:
    if not turn.engine:
        return "typed"
    return "spoken, corrected" if turn.corrected else "spoken"


def _scorecard(session: roleplay.Session) -> None:
    card = session.scorecard
    assert card is not None
    records = store()
    cert = scorecard_view.certification_for(card, records)
    ready = cert is not None and cert.ready
    st.divider()
    st.subheader("Scorecard")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Score",
        f"{card.score:g} / 100",
        border=True,
        delta=f"pass mark {card.pass_mark:g}",
        delta_color="off",
        delta_arrow="off",
    )
    result = (
        "ready for live transfers"
        if ready
        else "counts towards certification"
        if card.passed
        else "practise again"
    )
    c2.metric(
        "Result",
        "PASS" if card.passed else "FAIL",
        border=True,
        delta=result,
        delta_color="green" if card.passed else "red",
        delta_arrow="off",
    )
    c3.metric(
        "Repeat-explains",
        card.repeat_explain_count,
        border=True,
        delta=", ".join(label(f) for f in card.repeat_explain_fields) or "none (target 0)",
        delta_color="red" if card.repeat_explain_count else "green",
        delta_arrow="off",
    )
    chosen = REASON_LABELS.get(card.disposition, card.disposition)
    c4.metric(
        "Reason code",
        "right" if card.disposition_correct else "wrong",
        border=True,
        delta=chosen
        if card.disposition_correct
        else f"{chosen}; real need: {REASON_LABELS.get(card.real_need, card.real_need)}",
        delta_color="green" if card.disposition_correct else "red",
        delta_arrow="off",
    )
    for reason in card.fail_reasons:
        st.error(plain(reason))
    (st.success if ready else st.info)(scorecard_view.readiness(cert),
                                       icon=":material/verified:" if ready else
                                       ":material/pending:")  # fmt: skip
    st.markdown("**How the score adds up**")
    st.dataframe(
        practice_charts.score_parts_frame(card), hide_index=True,
        column_config={"Points": st.column_config.NumberColumn("Points", format="%g"),
                       "Out of": st.column_config.NumberColumn("Out of", format="%g")},
    )  # fmt: skip
    st.caption(f"Sum: {scorecard_view.sum_line(card)}")
    st.markdown("**Turn by turn**")
    st.dataframe(
        pd.DataFrame({
            "Turn": [t.turn for t in card.turns],
            "You said": [t.producer for t in card.turns],
            "How": [_how(t) for t in session.transcript if t.speaker == "producer"],
            "Re-asked": [", ".join(label(f) for f in t.repeat_explains) for t in card.turns],
            "Checklist": [", ".join(roleplay.CHECKLIST[k] for k in t.checklist)
                          for t in card.turns],
            "Fields touched": ["; ".join(f"{label(h['field'])} ({h['kind']}: “{h['words']}”)"
                                         for h in t.hits) for t in card.turns],
            "Caller replied": [t.caller for t in card.turns],
        }),
        hide_index=True,
    )  # fmt: skip
    st.caption(
        f"Saved to the practice records as session {session.id} (in {plain(records.location)}); "
        f"caller seed {session.seed}."
    )
    st.button("Practise another call", type="primary", on_click=_new_call, key="rp.again")


def main() -> None:
    _init()
    st.title("Role-play")
    st.caption(
        "Practise receiving a warm transfer from the voice AI. Your calls are saved to "
        "the practice records your trainer sees."
    )
    state = st.session_state
    if state[NOTICE]:
        st.error(state[NOTICE])
    session: roleplay.Session | None = state[SESSION]
    if session is None:
        _setup()
        return
    left, right = st.columns([2, 3], gap="large")
    with left:
        _packet(session)
    with right:
        _call(session)
        if session.scorecard is None:
            st.button("Hang up without scoring", on_click=_new_call, key="rp.leave")
    if session.scorecard is not None:
        _scorecard(session)


main()
