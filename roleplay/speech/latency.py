"""How long a producer waits for the caller to answer, in a spoken practice call.

A practice call is timed turn by turn from the moment the producer stops talking: the recogniser
transcribes the turn, the scripted caller replies (:meth:`roleplay.Session.say`) and the reply's
first sentence is synthesised, when the caller's audio can start playing; the rest of the reply
is synthesised while it plays. :func:`practice_call_latency` runs one short call per trigger with
stand-in producer audio (:func:`roleplay.speech.evaluate.producer_wav`) and returns each turn's
times; the benchmarks (``benchmarks/bench_speech.py``, ``tests/roleplay/voice/bench_voice.py``)
print its :meth:`TurnTimes.summary`.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from roleplay import Session, available_triggers
from roleplay.speech import asr_engine, call_vocabulary, sentences, synthesize
from roleplay.speech.asr import AsrEngine
from roleplay.speech.audio import read_wav, resample
from roleplay.speech.evaluate import producer_wav

__all__ = ["TurnTimes", "practice_call_latency"]

PRODUCER_TURNS = (
    "Hi {first_name}, this is Dana, a licensed agent with Harbor, thanks for holding.",
    "Can you tell me a little more about what's going on?",
    "What's your date of birth, and which state are you in?",
    "Okay, I can help with that today.",
    "I'll email you a written summary and call you tomorrow morning to confirm.",
    "Is there anything else you'd like to add?",
)
"""What the stand-in producer says, turn by turn (one re-ask among them)."""


@dataclass
class TurnTimes:
    """Seconds per turn, from the end of the producer's audio."""

    engine: str
    first_audio: list[float] = field(default_factory=list)
    """To the first caller audio (the reply's first sentence synthesised)."""
    whole_reply: list[float] = field(default_factory=list)
    """To the whole reply synthesised."""
    transcription: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """This process's CPU seconds to the first audio (all threads; the synthesiser's own
    process excluded)."""

    def summary(self) -> str:
        med = statistics.median
        return (
            f"latency over {len(self.first_audio)} turns ({self.engine}), load "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: end of producer audio → first "
            f"caller audio median {med(self.first_audio):.2f} s, p90 "
            f"{float(np.percentile(self.first_audio, 90)):.2f} s; whole reply "
            f"{med(self.whole_reply):.2f} s; transcription {med(self.transcription):.2f} s; this "
            f"process's CPU seconds to the first audio {med(self.cpu):.2f} s"
        )


def practice_call_latency(
    turns_per_call: int = 6, seed: int = 7, engine: AsrEngine | None = None
) -> TurnTimes:
    """Time one spoken practice call per trigger (``turns_per_call`` producer turns each)."""
    engine = engine or asr_engine()
    beam = getattr(engine, "beam_size", None)
    model = getattr(engine, "model_dir", None)
    model = f", model {model()}" if callable(model) else ""
    times = TurnTimes(engine.name + (f", beam {beam}" if beam else "") + model)
    for t, trigger in enumerate(available_triggers()):
        session = Session.start(trigger, seed=seed + t)
        p = session.persona
        vocab = call_vocabulary(session.packet.captured, [p.first_name, p.last_name])
        voice = f"{trigger}:{seed + t}"
        for i, line in enumerate(PRODUCER_TURNS[:turns_per_call]):
            wav = producer_wav(line.format(first_name=p.first_name), t + i)
            start, cpu = time.perf_counter(), time.process_time()  # the producer stops talking
            samples, rate = read_wav(wav)  # what speech.transcribe does, with this engine
            text = engine.transcribe(resample(samples, rate, 16000), vocab)
            heard = time.perf_counter()
            reply = session.say(text or "...")
            parts = sentences(reply.text) or ["..."]
            synthesize(parts[0], voice=voice, phone_line=True)
            times.first_audio.append(time.perf_counter() - start)
            times.cpu.append(time.process_time() - cpu)
            for rest in parts[1:]:
                synthesize(rest, voice=voice, phone_line=True)
            times.whole_reply.append(time.perf_counter() - start)
            times.transcription.append(heard - start)
            if reply.ended:
                break
    return times
