"""Check the writers' labelled lines and freeze the held-out third.

``python tests/roleplay/corpus/split.py --check FILE...`` validates files against the corpus
format (README.md beside this file) and prints their make-up. ``python
tests/roleplay/corpus/split.py --brief x`` (or ``--brief ab`` once the letters have run out)
prints what a new writer reads. ``python tests/roleplay/corpus/split.py --freeze`` reads the
listed ``writer_*.jsonl`` files and writes ``heldout.jsonl`` (the lines whose id hashes to 0
mod 3) and ``dev.jsonl`` (the rest). The split depends only on each line's id, so it is the
same on every machine and cannot be moved by tuning. Only the first three writers' files
(``SPLIT_WRITERS``) are split; lines written later (``writer_d.jsonl`` onwards, the files
listed in ``TUNING_WRITERS``) were commissioned as extra tuning material after the held-out
third was frozen, so they go to ``dev.jsonl`` whole (a writer's file not listed is left out,
unread) and the held-out third never changes
(``HELDOUT_IDS_SHA256`` pins its ids; the corpus test checks it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = (
    "caller_name", "contact_number", "email", "urgency", "referral_source",
    "preferred_next_action", "reason_for_call", "product_interest", "date_of_birth", "state",
    "coverage_amount", "current_coverage", "tobacco_use",
)  # fmt: skip
SPLIT_WRITERS = ("writer_a.jsonl", "writer_b.jsonl", "writer_c.jsonl")
"""The files the held-out third was drawn from when it was frozen."""
TUNING_WRITERS = tuple(f"writer_{w}.jsonl" for w in (*"defghijlmn", "aq", "ar", "as", "at"))
"""The later writers' files that go to ``dev.jsonl`` whole (AQ to AT, 4 December, were focused
on the outside writers' misses). A new writer's file is measured on arrival first (unseen
wording) and joins this list by hand afterwards, so a file that lands while others are still
writing it never enters the tuning part by a freeze."""
HELDOUT_IDS_SHA256 = "0adc711c976f7fab359e5a611dcf296ae5a58d474c46ba013292be982087a46a"
"""``ids_digest`` of ``heldout.jsonl`` as frozen (517 lines) before any tuning."""
VOICES = ("new_producer", "veteran", "non_native", "transcript")
STYLES = ("typed", "transcript")


def problems(line: dict) -> list[str]:
    """What is wrong with one corpus line (empty when it is well formed)."""
    out = []
    keys = {"id", "voice", "style", "kind", "captured", "text", "labels"}
    if set(line) != keys:
        out.append(f"keys must be exactly {sorted(keys)}")
        return out
    if line["voice"] not in VOICES:
        out.append(f"voice must be one of {VOICES}")
    if line["style"] not in STYLES:
        out.append(f"style must be one of {STYLES}")
    if not isinstance(line["text"], str) or not line["text"].strip():
        out.append("text must be a non-empty string")
    if not isinstance(line["captured"], dict) or any(
        f not in FIELDS or not isinstance(v, str) for f, v in line["captured"].items()
    ):
        out.append("captured must map known fields to strings")
    if not isinstance(line["labels"], dict) or any(
        f not in FIELDS or k not in ("request", "confirm") for f, k in line["labels"].items()
    ):
        out.append("labels must map known fields to 'request' or 'confirm'")
    return out


def read(path: Path) -> list[dict]:
    """Every line of one JSONL file, validated (exits with a message on the first bad line)."""
    rows = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as err:
            sys.exit(f"{path.name}:{number}: not JSON ({err.msg})")
        bad = problems(row)
        if bad:
            sys.exit(f"{path.name}:{number}: " + "; ".join(bad))
        rows.append(row)
    return rows


def is_heldout(line_id: str) -> bool:
    """The frozen held-out third: a line's id hashes to 0 mod 3."""
    return int(hashlib.sha256(line_id.encode()).hexdigest(), 16) % 3 == 0


def ids_digest(rows: list[dict]) -> str:
    """SHA-256 of the sorted ids: pins which lines the held-out third holds."""
    return hashlib.sha256("\n".join(sorted(r["id"] for r in rows)).encode()).hexdigest()


def describe(rows: list[dict]) -> str:
    n = len(rows)
    hard = sum(not any(k == "request" for k in r["labels"].values()) for r in rows)
    transcript = sum(r["style"] == "transcript" for r in rows)
    missing = sum(len(r["captured"]) < len(FIELDS) for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    voices = Counter(r["voice"] for r in rows)
    return (
        f"{n} lines; transcript style {transcript / n:.0%}; hard negatives {hard / n:.0%}; "
        f"packets with uncaptured fields {missing / n:.0%}\n"
        f"voices: {dict(voices)}\nkinds: {dict(kinds.most_common())}"
    )


BRIEF_HEAD = """# Brief: write 300 labelled producer lines for a repeat-explain corpus

A voice AI answers an insurance agency's phone, captures an intake packet (the caller's name,
number, needs ...) and warm-transfers the live caller to a licensed producer. A good producer
never makes the caller repeat what the AI already captured. We measure a detector that reads a
producer's turn and says which caller fields the producer *asks the caller to supply*
(`request`) or *reads back for a yes/no check* (`confirm`). You write test material: what
producers really say right after the transfer (and during the next few turns), labelled by
meaning. Nobody on the team will read your lines before measuring on them. Do not look at any
code or at other writers' files. Write from your own experience of how people talk.

## Deliverable
- Exactly 300 lines, one JSON object per line (UTF-8), in `writer_{letter}.jsonl`.
- At least 40% `style: "transcript"` (as a speech-to-text engine writes speech), the rest typed.
- At least 35% hard negatives (lines with no `request` label at all).
- Spread over all the kinds below (at least 8 lines of each kind), over all 13 fields, and over
  packets where some fields were NOT captured (then asking for them is `missing_field_request`).
- Vary packets: names, states, products, carriers (invented; phone numbers 555-01xx), dates.
- All people synthetic. Ids: `{letter}-0001` to `{letter}-0300`.
- Write in the voice(s) of the persona you are given. Make it natural: real producers ramble,
  hedge, stack questions, ask in roundabout ways, use regional wording and idioms.
- Validate with `python split.py --check writer_{letter}.jsonl` until it reports no problem.

"""


def brief(letter: str) -> str:
    """What a new writer reads: the deliverable, then the README's format, fields, label
    meanings, kinds and judgement rules, and nothing else (not the paragraphs that record each
    round, which quote wordings the detector was taught)."""
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    rules_at = readme.index("Judgement rules applied")
    rules = readme[rules_at:].split("\n", 1)[1]
    format_to_kinds = readme[readme.index("## One line per JSON object") : readme.index("## Audit")]
    return (
        BRIEF_HEAD.format(letter=letter)
        + format_to_kinds
        + "## Judgement rules (apply them consistently)\n"
        + rules
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", nargs="*", type=Path, default=None)
    parser.add_argument("--freeze", action="store_true")
    parser.add_argument(
        "--brief", metavar="CODE", help="print a new writer's brief (their code: 1 or 2 letters)"
    )
    args = parser.parse_args()
    if args.brief:
        if not (len(args.brief) in (1, 2) and args.brief.isalpha() and args.brief.islower()):
            parser.error("--brief takes the new writer's code: one or two lower-case letters")
        print(brief(args.brief), end="")
    if args.check:
        for path in args.check:
            rows = read(path)
            ids = Counter(r["id"] for r in rows)
            dup = [i for i, c in ids.items() if c > 1]
            if dup:
                sys.exit(f"{path.name}: duplicate ids {dup[:5]}")
            print(f"{path.name}: {describe(rows)}")
    if args.freeze:
        files = sorted(HERE.glob("writer_*.jsonl"))
        split = [r for p in files if p.name in SPLIT_WRITERS for r in read(p)]
        extra = [r for p in files if p.name in TUNING_WRITERS for r in read(p)]
        left = [p.name for p in files if p.name not in SPLIT_WRITERS + TUNING_WRITERS]
        if left:
            print(f"not in the tuning part (not read): {', '.join(left)}")
        held = [r for r in split if is_heldout(r["id"])]
        dev = [r for r in split if not is_heldout(r["id"])] + extra
        for name, part in (("heldout.jsonl", held), ("dev.jsonl", dev)):
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
            (HERE / name).write_text(text, encoding="utf-8")
            print(f"{name}: {describe(part)}")
        print(f"held-out ids sha256: {ids_digest(held)}")


if __name__ == "__main__":
    main()
