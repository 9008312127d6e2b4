"""A fallback for asks the rules miss: labelled producer lines that read the same way.

The rule tables cover the phrasings seen so far; a new phrasing of a familiar ask ("you got
renters anywhere now") can slip through. This module keeps the labelled lines shipped with the
package (:mod:`roleplay.labelled`: the tuning part of the writers' corpus and the hand-labelled
utterances; never a held-out file) as TF-IDF vectors of word
one- to three-grams over canonical text (:func:`roleplay.spoken.canonical`, the caller's name
and "sir"/"ma'am" removed, digits folded). When an utterance that asks something names no field
the rules recognise, and its nearest labelled lines agree that a field was requested, the
detector reports that request with the ids of the lines it resembled as evidence.

Only additions, never removals: a field the rules already saw (asked or read back) is left
alone, and nothing is added to a turn that checks a read-back or states a value. A line
identical to a labelled one (cosine ≥ 0.98) is not its own neighbour, so figures measured on
the labelled lines stay honest. Without the data file the fallback is off.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import pairwise

import numpy as np
from scipy import sparse

from roleplay.asks import strip_vocatives
from roleplay.labelled import shipped
from roleplay.rules import RULES
from roleplay.spoken import canonical

__all__ = [
    "TOPIC",
    "Resemblance",
    "requesting_neighbours",
    "resembled_requests",
    "without",
]

NEIGHBOURS = 3
"""How many nearest lines must all agree."""
MIN_SIMILARITY = 0.35
"""Cosine similarity every one of the nearest lines must reach (chosen by cross-validation on
the tuning lines: there the fallback added recall and no false request)."""
SAME_LINE = 0.98
"""Neighbours at least this similar are the line itself and are skipped."""

Resemblance = tuple[str, float, tuple[str, ...]]
"""A field, the best similarity, and the ids of the labelled lines it resembled."""


def _features(text: str, caller_name: str | None) -> list[str]:
    words = re.findall(
        r"[a-z0]+", re.sub(r"\d", "0", strip_vocatives(canonical(text), caller_name).lower())
    )
    return (
        words
        + [f"{a}_{b}" for a, b in pairwise(words)]
        + [f"{a}_{b}_{c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)]
    )


def _examples() -> list[tuple[str, str, str | None, dict[str, str]]]:
    """(id, text, caller name, labels) for every shipped labelled line."""
    return [(x.id, x.text, x.captured.get("caller_name"), x.labels) for x in shipped()]


class _Index:
    """TF-IDF vectors of the labelled lines, and which fields each one requests."""

    def __init__(self, skip: str | None = None) -> None:
        rows = [r for r in _examples() if skip is None or not r[0].startswith(skip)]
        self.ids = [r[0] for r in rows]
        self.requests = [frozenset(f for f, k in r[3].items() if k == "request") for r in rows]
        docs = [_features(r[1], r[2]) for r in rows]
        df = Counter(f for d in docs for f in set(d))
        self.vocab = {f: i for i, f in enumerate(df)}
        n = len(docs)
        self.idf = np.array([math.log((n + 1) / (df[f] + 1)) + 1 for f in self.vocab])
        self.matrix = self._matrix(docs) if docs else None

    def _matrix(self, docs: list[list[str]]) -> sparse.csr_matrix:
        data, cols, ptr = [], [], [0]
        for d in docs:
            vec = self._vector(d)
            cols.extend(vec.indices)
            data.extend(vec.data)
            ptr.append(len(cols))
        return sparse.csr_matrix((data, cols, ptr), shape=(len(docs), len(self.vocab)))

    def _vector(self, feats: list[str]) -> sparse.csr_matrix:
        counts = Counter(self.vocab[f] for f in feats if f in self.vocab)
        idx = np.array(sorted(counts), dtype=np.int64)
        vals = np.array([(1 + math.log(counts[i])) * self.idf[i] for i in idx], dtype=float)
        norm = float(np.sqrt((vals**2).sum())) if len(vals) else 0.0
        if norm:
            vals /= norm
        return sparse.csr_matrix((vals, idx, [0, len(idx)]), shape=(1, len(self.vocab)))

    def nearest(
        self, text: str, caller_name: str | None, field: str | None = None
    ) -> list[tuple[float, int]]:
        """The nearest labelled lines (similarity, index), not the line itself; with ``field``,
        only lines that request it."""
        if self.matrix is None:
            return []
        sims = (self.matrix @ self._vector(_features(text, caller_name)).T).toarray().ravel()
        order = np.argsort(-sims)
        out = []
        for i in order:
            if sims[i] >= SAME_LINE or (field is not None and field not in self.requests[i]):
                continue
            out.append((float(sims[i]), int(i)))
            if len(out) == NEIGHBOURS:
                break
        return out


_SKIP: list[str | None] = [None]
"""Ids starting with this are left out of the index (leave-one-writer-out, :func:`without`)."""


@lru_cache(maxsize=2)
def _index(skip: str | None = None) -> _Index:
    return _Index(skip)


@contextmanager
def without(prefix: str) -> Iterator[None]:
    """Inside the block, the labelled lines whose id starts with ``prefix`` ("k-", one writer's
    lines) are not neighbours: how ``python -m roleplay.retrain --by-writer`` scores a writer
    by lines that are not theirs."""
    _SKIP[0] = prefix
    try:
        yield
    finally:
        _SKIP[0] = None


# A resemblance counts only if the utterance names the field's topic at all, and none of the
# field's disqualifiers apply ("what else can I do for you" is not the reason for calling).
TOPIC = {
    "caller_name": r"\bname\b|\bspell|\bwho\b|\bcall you\b",
    "contact_number": r"\bnumber|\bphone|\bcell|\bmobile|\bline\b|\breach|\bcall\b|\bdigits",
    "email": r"\bmail|\bmale\b|\binbox|\baddress",
    "urgency": r"\bsoon|\bquick|\bfast|\burgen|\brush|\bhurry|\btim(?:e|ing|eline)|\bdeadline|"
    r"\bwhen\b|\bdate|\brenew|\bexpire|\bwait|\bby\b",
    "referral_source": r"\bus\b|\bour\b|\bagency|\brefer|\bsent you|\btold you|\brecommend|"
    r"\bradar",
    "preferred_next_action": r"\bfollow|\bnext|\bproceed|\bcall ?back|\bemail|\btext|\breach|"
    r"\bcontact|\bprefer|\bappointment|\bmeet|\bhear back|\bget back|\bupdate|\bfrom here|"
    r"\bhappen|\bafter\b|\bsend\b|\bquote",
    "reason_for_call": r"\bhelp|\bgoing on|\bbring|\bbrought|\bhappen|\breason|\bwhy\b|\bissue|"
    r"\bproblem|\bconcern|\bneed|\bwant|\blooking|\bhoping|\bcall(?:ed|ing)?\b|\bmade you|"
    r"\bgot you|\bstory|\bsituation",
    "product_interest": r"\bkind|\btype|\bsort|\bpolic|\bterm\b|\bwhole|\bauto|\bhome|\bcar\b|"
    r"\blife|\brenters|\bbundl|\bumbrella|\bcoverage|\binsurance|\bor\b",
    "date_of_birth": r"\bbirth|\bborn|\bdob\b|\bage\b|\bold\b|\bbday",
    "state": r"\bstate|\blive|\bliving|\blocated|\bbased|\bwhere|\breside",
    "coverage_amount": r"\bhow much|\bamount|\blimit|\bdwelling|\bcover|\bmillion|\bbenefit|"
    r"\binsured for|\bface\b",
    "current_coverage": r"\binsur|\bcover|\bcarrier|\bpolic|\bcompany|\bwith\b|\bthrough|"
    r"\bprovider",
    "tobacco_use": r"\bsmok|\btobacco|\bnicotine|\bvap|\bcigar|\bchew|\bdip\b",
}
_TOPIC = {field: re.compile(p, re.I) for field, p in TOPIC.items()}


def resembled_requests(text: str, caller_name: str | None) -> list[Resemblance]:
    """Fields that every one of the nearest labelled lines requests, if they are close enough
    and the utterance is about the field at all."""
    near = _index(_SKIP[0]).nearest(text, caller_name)
    if len(near) < NEIGHBOURS or near[-1][0] < MIN_SIMILARITY:
        return []
    index = _index(_SKIP[0])
    agreed = frozenset.intersection(*(index.requests[i] for _, i in near))
    ids = tuple(index.ids[i] for _, i in near)
    said = canonical(text)
    return [
        (field, near[0][0], ids)
        for field in sorted(agreed)
        if _TOPIC[field].search(said) and not any(p.search(said) for p in RULES[field].disqualify)
    ]


def requesting_neighbours(text: str, caller_name: str | None, field: str) -> tuple[str, ...]:
    """Ids of the labelled lines nearest ``text`` that request ``field`` (evidence for a
    request the learned model added)."""
    index = _index(_SKIP[0])
    return tuple(index.ids[i] for _, i in index.nearest(text, caller_name, field))
