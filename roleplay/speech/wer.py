"""Word error rate between what a producer said and what the recogniser heard.

Both sides are normalised first, the way speech-to-text scoring usually is (Whisper's English
normaliser is the reference practice): lower case, no punctuation, contractions and titles
written out as that normaliser does ("I'll" → "i will", "won't" → "will not", "Mr" →
"mister"), capitals spelt out joined ("D-O-B" → "dob"), "$" and "%" as words, fillers and
"slash" dropped, number words as digits ("four hundred thousand" → 400000; "two fifty" → 2
50), and every number then spelt digit
by digit, so "614-555-0142" and "six one four five five five ...", "400,000" and "four
hundred thousand" compare equal.
The error rate is a word-level Levenshtein distance over the reference's length (summed over
all lines for a corpus figure, as jiwer does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["corpus_wer", "edit_distance", "normalise", "wer"]

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_UNITS["oh"] = 0
_TENS = {
    w: 10 * i
    for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if w != "_"
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ORDINAL = {"first": "1", "second": "2", "third": "3"}
_FILLERS = frozenset({"uh", "um", "er", "hmm", "mm", "mhm", "mmm", "slash"})
_REPLACERS = (
    # Whisper's EnglishTextNormalizer (openai/whisper, MIT): common contractions, then titles,
    # then perfect tenses, then the general contractions, in that order
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\blet's\b", "let us"),
    (r"\bain't\b", "aint"), (r"\by'all\b", "you all"), (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"), (r"\bgonna\b", "going to"), (r"\bi'ma\b", "i am going to"),
    (r"\bimma\b", "i am going to"), (r"\bwoulda\b", "would have"),
    (r"\bcoulda\b", "could have"), (r"\bshoulda\b", "should have"),
    (r"\bma'am\b", "madam"), (r"\bmr\b", "mister "), (r"\bmrs\b", "missus "),
    (r"\bdr\b", "doctor "), (r"\bjr\b", "junior "), (r"\bsr\b", "senior "),
    (r"'d been\b", " had been"), (r"'s been\b", " has been"), (r"'d gone\b", " had gone"),
    (r"'s gone\b", " has gone"), (r"'d done\b", " had done"), (r"'s got\b", " has got"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'s\b", " is"), (r"'d\b", " would"),
    (r"'ll\b", " will"), (r"'t\b", " not"), (r"'ve\b", " have"), (r"'m\b", " am"),
)  # fmt: skip


def _words_to_numbers(words: list[str]) -> list[str]:
    out: list[str] = []
    total = current = 0
    in_number = False

    def flush() -> None:
        nonlocal total, current, in_number
        if in_number:
            out.append(str(total + current))
        total = current = 0
        in_number = False

    for w in words:
        if w == "oh" and not in_number:
            out.append(w)
        elif w in _UNITS or w in _TENS:
            v = _UNITS.get(w, _TENS.get(w, 0))
            # "two fifty", "six one four": a new small number after a complete one
            if in_number and (current % 10 != 0 or (current and v >= 10) or current == total == 0):
                flush()
            current += v
            in_number = True
        elif w in _SCALES and in_number:
            scale = _SCALES[w]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        elif w == "and" and in_number:
            continue
        else:
            flush()
            out.append(w)
    flush()
    return out


_SPELT = re.compile(r"\b[A-Z](?:[-.][A-Z]\b)+|\b[A-Z](?: [A-Z]\b){2,}")
"""Capitals spelt out ("D-O-B", "D O B"; with spaces only from three letters, so "I A" and
"plan B" stay words): scored as the one word they spell ("DOB")."""


def _dollars(m: re.Match[str]) -> str:
    return f" {m.group(1)} {m.group(2) or ''} dollars "


def normalise(text: str) -> list[str]:
    """The words of ``text`` for scoring (see the module docstring)."""
    t = _SPELT.sub(lambda m: re.sub(r"[-. ]", "", m.group(0)), text).lower().replace("’", "'")
    t = re.sub(r"\s+'", "'", t)
    for pattern, replacement in _REPLACERS:
        t = re.sub(pattern, replacement, t)
    t = re.sub(r"\$\s?([\d,.]+)\s*(k|thousand|million)?", _dollars, t)
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = re.sub(r"(\d),(\d{3})", r"\1\2", t)
    t = t.replace("%", " percent ").replace("&", " and ").replace("e-mail", "email")
    t = re.sub(r"(\d+)(st|nd|rd|th)\b", r"\1", t)
    t = re.sub(r"[^a-z0-9' ]+", " ", t)
    words = [w.strip("'") for w in t.split()]
    words = [_ORDINAL.get(w, w) for w in words if w]
    words = _words_to_numbers([w for w in words if w not in _FILLERS])
    spelt: list[str] = []
    for w in words:
        if w.isdigit():
            spelt.extend(w)
        else:
            spelt.append(w.replace("'", ""))
    return spelt


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Word-level Levenshtein distance (substitutions, insertions, deletions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of one line."""
    ref = normalise(reference)
    return edit_distance(ref, normalise(hypothesis)) / max(1, len(ref))


def corpus_wer(references: Sequence[str], hypotheses: Sequence[str]) -> float:
    """Total edits over total reference words."""
    edits = words = 0
    for r, h in zip(references, hypotheses, strict=True):
        ref = normalise(r)
        edits += edit_distance(ref, normalise(h))
        words += len(ref)
    return edits / max(1, words)
