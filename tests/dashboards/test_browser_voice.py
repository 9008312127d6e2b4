"""A spoken practice call in a real headless Chromium with a fake microphone.

The server starts the way ``handoff-lab dashboard --port N --db URL`` starts it (as in
``test_browser.py``). Chromium gets a fake capture device that plays a WAV made by flite of
a re-ask ("what's a good number to reach you at"; ``--use-fake-device-for-media-stream
--use-file-for-fake-audio-capture``) and grants the microphone without asking. The test types a
greeting (text stays available), records the spoken re-ask with the page's recorder, checks
the transcript it is shown, sends it, and sees the re-ask flagged exactly as a typed one; the
caller's reply plays in an audio element; a reason code ends the call and the scorecard is
saved, with the turn stored as heard by the recogniser. Screenshots go to
``test-artifacts/browser-voice/`` (gitignored).

Skips, with the reason, without Chromium or Playwright (``.ci/install-browser``), or without
the voice extra and flite.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import roleplay
from roleplay.speech.audio import read_wav, resample, write_wav
from roleplay.speech.tts import FliteEngine
from roleplay.speech.turns import voice_status
from tests.dashboards.server_helpers import (
    dashboard_command,
    free_port,
    idle,
    running_server,
    take_a_call,
)

CHROMIUM = Path(os.environ.get("HANDOFF_LAB_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser-voice"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
]  # fmt: skip
REASK = "What's a good number to reach you at?"

if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
    pytest.skip(
        f"no Chromium at {CHROMIUM} (run .ci/install-browser, or set HANDOFF_LAB_CHROMIUM)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (.ci/install-browser)"
)
_status = voice_status()
if not (_status.can_hear and _status.can_speak and FliteEngine().available()):
    pytest.skip(
        'voice practice needs pip install "warm-handoff-lab[voice]" and apt-get install flite '
        "espeak-ng",
        allow_module_level=True,
    )
expect = sync_api.expect
expect.set_options(timeout=60_000)


def fake_microphone_wav(text: str, path: Path) -> float:
    """``text`` spoken by flite (rms), 48 kHz 16-bit mono with silence either side, as a
    capture device plays it; returns its length in seconds."""
    samples, rate = read_wav(FliteEngine().synthesize(text, "rms"))
    speech = resample(samples, rate, 48000)
    silence = np.zeros(24000, np.float32)
    audio = np.concatenate([silence, 0.8 * speech / max(1e-6, float(np.abs(speech).max())),
                            silence, silence])  # fmt: skip
    path.write_bytes(write_wav(audio, 48000))
    return len(audio) / 48000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``handoff-lab dashboard`` on a free port with a temporary store; (url, db)."""
    tmp = tmp_path_factory.mktemp("browser-voice")
    port = free_port()
    db = f"sqlite:///{tmp / 'practice.sqlite3'}"
    env = {
        k: v for k, v in os.environ.items() if k not in ("HANDOFF_LAB_DB", "HANDOFF_LAB_AUDIO_DAYS")
    }
    with running_server(dashboard_command(port, db), port, tmp / "server.log", env):
        yield f"http://127.0.0.1:{port}", db


@pytest.fixture(scope="module")
def spoken_page(tmp_path_factory):
    """A headless Chromium tab whose microphone plays the re-ask once; (page, its seconds)."""
    tmp = tmp_path_factory.mktemp("fake-mic")
    wav = tmp / "reask.wav"
    seconds = fake_microphone_wav(REASK, wav)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    args = [*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}%noloop"]
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp / "profile"), executable_path=str(CHROMIUM), headless=True, args=args,
            viewport={"width": 1440, "height": 1000}, permissions=["microphone"],
        )  # fmt: skip
        context.set_default_timeout(60_000)
        page = context.new_page()
        try:
            yield page, seconds
        finally:
            context.close()


def _no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def _shot(page, name: str, at=None) -> None:
    if at is not None:  # Streamlit's main area scrolls inside the viewport
        at.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


PLAYED = """() => [...document.querySelectorAll('[data-testid="stAudio"]')]
    .map(a => ({paused: a.paused, time: a.currentTime, duration: a.duration}))"""


def test_a_spoken_practice_call_end_to_end(server, spoken_page):
    url, db = server
    page, seconds = spoken_page
    page.goto(f"{url}/roleplay")
    expect(page.locator("h1").first).to_have_text("Role-play")
    idle(page)
    take_a_call(page, expect, "Voice Trainee")  # typing still works beside the recorder
    _shot(page, "01-call-with-recorder")

    # Speak the re-ask: record for as long as the fake microphone plays, then stop.
    recorder = page.locator('[data-testid="stAudioInput"]')
    expect(recorder).to_be_visible()
    recorder.get_by_role("button", name="Record").click()
    page.wait_for_timeout(int(1000 * seconds) + 500)
    recorder.get_by_role("button", name="Stop recording").click()
    transcript = page.get_by_label(
        "What you said, as faster-whisper heard it (correct it before it is scored)"
    )
    expect(transcript).to_be_visible(timeout=90_000)  # upload, then the first transcription
    idle(page)
    heard = transcript.input_value()
    assert "number" in heard.lower(), heard
    _shot(page, "02-transcript-to-check", transcript)
    page.get_by_role("button", name="Send this turn").click()
    idle(page)
    _no_exception(page)

    # Flagged as in text mode, marked as spoken, and the caller answers aloud.
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(5)
    flag = page.get_by_text("Re-ask: Contact number.")
    expect(flag).to_be_visible()
    expect(page.get_by_text("spoken · heard by faster-whisper")).to_be_visible()
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stAudio"]')]
            .some(a => a.currentTime > 0.2)""",
        timeout=30_000,
    )
    played = page.evaluate(PLAYED)
    _shot(page, "03-reask-flagged-caller-speaking", flag)

    # A reason code, end: the scorecard is saved.
    end = page.get_by_role("button", name="End the call and score it")
    page.locator('[data-testid="stSelectbox"]', has_text="Reason code").locator("input").click()
    trigger = roleplay.available_triggers()[0]  # the page's default
    session_need = roleplay.Session.start(trigger, seed=1).persona.real_need
    label = roleplay.disposition.REASON_LABELS[session_need]
    page.get_by_role("option", name=label).click()
    idle(page)
    end.click()
    idle(page)
    expect(page.get_by_role("heading", name="Scorecard")).to_be_visible()
    expect(page.get_by_text("Saved to the practice records as session")).to_be_visible()
    _no_exception(page)
    _shot(page, "04-scorecard", page.get_by_role("heading", name="Scorecard"))

    store = roleplay.Store(db)
    try:
        sessions = store.sessions_frame()
        (sid,) = sessions["session_id"]
        producer = [t for t in store.turns(sid) if t["speaker"] == "producer"]
        kept = store.turn_audio(sid, 3)
    finally:
        store.close()
    assert list(sessions["status"]) == ["scored"]
    assert list(sessions["repeat_explain_count"]) == [1]
    assert [t["engine"] for t in producer] == [None, "faster-whisper"]
    assert producer[1]["repeat_explains"] == ["contact_number"]
    assert kept is None  # the trainer did not turn on keeping recordings
    print("\nheard:", heard, "| caller audio:", played)
