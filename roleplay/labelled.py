"""The labelled producer lines the detector learns from, shipped with the package.

The detector's learned parts (the resemblance fallback, :mod:`roleplay.resemble`, and the
request model, :mod:`roleplay.learned`) need labelled lines at run time. In the repository they
come from the tuning part of the writers' corpus (``tests/roleplay/corpus/dev.jsonl``) and the
hand-labelled utterances (``tests/roleplay/data/labelled_utterances.txt``); neither is in an
installed wheel, so :func:`export` copies them into ``roleplay/data/labelled_lines.jsonl`` (one
JSON object a line: ``id``, ``text``, ``captured``, ``labels``) and :func:`shipped` reads that
file with :mod:`importlib.resources`. Held-out files are never exported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = [
    "LAURA_CHEN",
    "LINES_FILE",
    "Labelled",
    "export",
    "from_repository",
    "read_corpus",
    "read_utterances",
    "shipped",
]

LINES_FILE = "labelled_lines.jsonl"
"""The shipped file, in the ``roleplay.data`` package."""
LAURA_CHEN: dict[str, str] = {
    "caller_name": "Laura Chen",
    "contact_number": "614-555-0142",
    "email": "laura.chen@example.com",
    "urgency": "wants cover in place before the 1st",
    "referral_source": "referred by a friend, Maria Lopez",
    "preferred_next_action": "an appointment this week",
    "reason_for_call": "renewal premium went up and wants to know why",
    "product_interest": "term life insurance",
    "date_of_birth": "1981-03-14",
    "state": "Ohio",
    "coverage_amount": "$500,000",
    "current_coverage": "group policy through work",
    "tobacco_use": "non-smoker",
}
"""The packet the hand-labelled utterances' read-backs were written against (a caller named
Laura Chen, every field captured); their file carries labels only, not packets."""
_TESTS = Path(__file__).resolve().parents[1] / "tests" / "roleplay"
SOURCES = (_TESTS / "corpus" / "dev.jsonl", _TESTS / "data" / "labelled_utterances.txt")
"""The tuning sources in a repository checkout (never a held-out file)."""


@dataclass(frozen=True)
class Labelled:
    """One labelled producer line: what was said, the packet, and the fields it touches."""

    id: str
    """A corpus id ("d-0311") or ``labelled:<line>`` for labelled_utterances.txt."""
    text: str
    captured: dict[str, str]
    labels: dict[str, str]
    """Field → ``"request"`` or ``"confirm"``."""

    @property
    def requests(self) -> frozenset[str]:
        return frozenset(f for f, k in self.labels.items() if k == "request")


def _parse_labels(labels: str) -> dict[str, str]:
    if labels.strip() == "-":
        return {}
    return dict(x.split("=", 1) for x in labels.split())


def read_utterances(path: Path) -> list[tuple[int, str, dict[str, str]]]:
    """(line number, utterance, labels) of a hand-labelled file: one ``labels | utterance``
    a line, labels ``field=request`` / ``field=confirm`` separated by spaces or ``-`` for none;
    ``#`` starts a comment line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#") and "|" in line:
            labels, text = line.split("|", 1)
            out.append((number, text.strip(), _parse_labels(labels)))
    return out


def read_corpus(path: Path) -> list[Labelled]:
    """The lines of a writers' corpus file (JSON lines, tests/roleplay/corpus/README.md)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Labelled(row["id"], row["text"], row["captured"], row["labels"]))
    return out


def from_repository(sources: tuple[Path, Path] = SOURCES) -> list[Labelled]:
    """The labelled tuning lines of a repository checkout (empty where a source is absent)."""
    corpus, labelled = sources
    out = read_corpus(corpus) if corpus.exists() else []
    if labelled.exists():
        out += [Labelled(f"labelled:{n}", t, {}, g) for n, t, g in read_utterances(labelled)]
    return out


def export(lines: list[Labelled], path: Path) -> None:
    """Write ``lines`` as the shipped JSON-lines file."""
    text = "".join(
        json.dumps(
            {"id": x.id, "text": x.text, "captured": x.captured, "labels": x.labels},
            ensure_ascii=False,
            sort_keys=True,
        )
        + "\n"
        for x in lines
    )
    path.write_text(text, encoding="utf-8")


@lru_cache(maxsize=1)
def shipped() -> tuple[Labelled, ...]:
    """The labelled lines installed with the package (empty if the file is missing)."""
    resource = resources.files("roleplay") / "data" / LINES_FILE
    if not resource.is_file():
        return ()
    out = []
    for line in resource.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Labelled(row["id"], row["text"], row["captured"], row["labels"]))
    return tuple(out)
