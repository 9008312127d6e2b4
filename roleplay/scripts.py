"""Caller scripts: one TOML file per escalation trigger.

A trigger is why the voice AI hands a call to a licensed producer (seed 000 lists four:
``qualified_interest``, ``coverage_mismatch``, ``complex_pricing``, ``human_request``). Each
script describes the caller behind that trigger: the needs they may have (the real reason code
behind the call and words that show a producer is addressing it), the stories behind each need
(a situation kind from ``data/situations.toml``, the product, what the AI recorded and how the
caller says it), extra next-step objections and the lines they say. Lines a script does not
define come from ``data/lines.toml``.

Scripts are data, not code: adding a trigger means adding ``data/scripts/<trigger>.toml`` (or a file
in a directory listed in the ``HANDOFF_LAB_SCRIPTS`` environment variable, ``os.pathsep``
separated).
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from roleplay.disposition import REASON_CODES

__all__ = [
    "CallerScript",
    "Need",
    "Story",
    "UnknownTriggerError",
    "available_triggers",
    "common_lines",
    "load_script",
    "situation_kinds",
]

_REQUIRED_LINES = (
    "opening",
    "need_addressed",
    "accept_next_step",
    "object_next_step",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Story(_Model):
    """One story a caller with this need may tell; one is drawn per seed.

    ``kind`` names a situation in ``data/situations.toml``, which decides what follows from
    the story: the line of business, whether the caller is already a customer, their age
    range, urgency and preferred next step. Placeholders such as ``{teen_name}`` in the texts
    are filled from the situation built for the caller."""

    kind: str
    """Situation kind (a table of ``data/situations.toml``)."""
    products: list[str] = Field(min_length=1)
    """Products this caller may be interested in (one is drawn)."""
    reason: list[str] = Field(min_length=1)
    """What the AI recorded as the reason for calling (third person); one is drawn."""
    say_reason: list[str] = Field(min_length=1)
    """How the caller says it (first person); one is drawn."""


class Need(_Model):
    """One real need a caller behind this trigger may have."""

    code: str
    """Reason code from the disposition taxonomy; the producer's disposition is scored
    against it."""
    keywords: list[str] = Field(min_length=1)
    """Words that show the producer is addressing this need."""
    stories: list[Story] = Field(min_length=1)
    """The stories behind this need."""

    @model_validator(mode="after")
    def _check(self) -> Need:
        if self.code not in REASON_CODES:
            raise ValueError(f"unknown reason code {self.code!r}; use one of {REASON_CODES}")
        kinds = situation_kinds()
        for story in self.stories:
            if story.kind not in kinds:
                raise ValueError(
                    f"unknown situation kind {story.kind!r}; use one of {sorted(kinds)}"
                )
            if kinds[story.kind]["need"] != self.code:
                raise ValueError(
                    f"situation {story.kind!r} is a {kinds[story.kind]['need']} story, "
                    f"not {self.code}"
                )
        return self


class NextStep(_Model):
    """How the caller reacts to a proposed next step, beyond what their situation implies
    (see :mod:`roleplay.proposals`)."""

    accept: list[str] = []
    """Words in a proposal the caller is glad to hear."""
    object: list[str] = []
    """Words in a proposal the caller objects to (once), with the ``object_next_step`` lines."""


class CallerScript(_Model):
    """A trigger's caller: needs, next-step reactions and lines."""

    trigger: str
    """Trigger name; must match the file name."""
    title: str
    """Short human title."""
    summary: str
    """One line on what this trigger means."""
    detected_intent: str
    """What the AI's intent detector labelled the call."""
    direction: Literal["inbound", "outbound"] = "inbound"
    """Outbound calls carry consent, DNC and calling-window checks in the packet."""
    ai_greeting: str
    """The AI's first line in the intake transcript."""
    ai_handoff: str
    """The AI's last line to the caller before the warm transfer."""
    whisper_headline: str
    """The headline of the AI's brief to the producer."""
    needs: list[Need] = Field(min_length=1)
    """Possible real needs; one is drawn per seed."""
    next_step: NextStep = NextStep()
    """Reactions to proposed next steps."""
    lines: dict[str, list[str]] = {}
    """Caller lines (merged over ``data/lines.toml``)."""

    @model_validator(mode="after")
    def _check_lines(self) -> CallerScript:
        missing = [k for k in _REQUIRED_LINES if not self.lines.get(k)]
        if missing:
            raise ValueError(f"script {self.trigger!r} lacks lines: {', '.join(missing)}")
        return self

    def line_options(self, key: str) -> list[str]:
        """Options for a caller line: the script's own, else the shared default."""
        return self.lines.get(key) or common_lines()["lines"][key]

    def has_line(self, key: str) -> bool:
        """Whether the script or the shared lines define ``key``."""
        return bool(self.lines.get(key) or common_lines()["lines"].get(key))


class UnknownTriggerError(ValueError):
    """Raised for a trigger with no script; the message lists the allowed ones."""

    def __init__(self, trigger: str, allowed: list[str]) -> None:
        self.trigger = trigger
        self.allowed = allowed
        super().__init__(f"Unknown trigger {trigger!r}. Choose one of: {', '.join(allowed)}.")


def _script_files() -> dict[str, Path | Traversable]:
    files: dict[str, Path | Traversable] = {}
    package_dir = resources.files("roleplay") / "data" / "scripts"
    for entry in sorted(package_dir.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            files[entry.name.removesuffix(".toml")] = entry
    for extra in os.environ.get("HANDOFF_LAB_SCRIPTS", "").split(os.pathsep):
        if extra and Path(extra).is_dir():
            for path in sorted(Path(extra).glob("*.toml")):
                files[path.stem] = path
    return files


def available_triggers() -> list[str]:
    """Names of all triggers with a script, sorted."""
    return sorted(_script_files())


@cache
def _parse(text: str) -> CallerScript:
    return CallerScript.model_validate(tomllib.loads(text))


def load_script(trigger: str) -> CallerScript:
    """Load and validate the script for ``trigger``; unknown → :class:`UnknownTriggerError`."""
    files = _script_files()
    if trigger not in files:
        raise UnknownTriggerError(trigger, sorted(files))
    script = _parse(files[trigger].read_text(encoding="utf-8"))
    if script.trigger != trigger:
        raise ValueError(f"script file {trigger}.toml declares trigger {script.trigger!r}")
    return script


@cache
def situation_kinds() -> dict[str, dict]:
    """The situation kinds of ``data/situations.toml`` (kind → table)."""
    text = (resources.files("roleplay") / "data" / "situations.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def common_lines() -> dict:
    """Shared caller lines, AI intake questions and per-field answer templates."""
    text = (resources.files("roleplay") / "data" / "lines.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
