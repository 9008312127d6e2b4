"""Words by meaning: stems, synonym groups and number words for the hand-off checklist.

A producer restating "renewal premium went up about 30%" may say "your price jumped thirty
percent when you renewed". To compare the two, both sides become **concepts**: multi-word
phrases and single words are mapped to a synonym group ("went up", "jumped", "increase" →
``increase``), other words to a crude stem ("renewed", "renewal" → ``renew``), stop words and
words too generic to identify a reason ("insurance", "policy", "coverage") are dropped, and
number words become digits ("thirty" → 30). Speech-to-text habits are undone first ("ill",
"cant", "wont" → "i will", "can not", "will not").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

__all__ = [
    "STOPWORDS",
    "concepts",
    "content_concepts",
    "digits",
    "keyword_hits",
    "stem",
    "transcript_normalise",
]

_TRANSCRIPT = (
    (r"\bcan'?t\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bill\b", "i will"),
    (r"\bive\b", "i have"),
    (r"\byoull\b", "you will"),
    (r"\byouve\b", "you have"),
    (r"\bwell(?= (?:send|email|call|get|book|set|start|text|have|need|look|go))", "we will"),
    (r"\b(is|are|was|were|does|did|do|has|have|could|would|should)nt\b", r"\1 not"),
    (r"\bit's\b|\bits(?= (?:a|an|the|not|been|covered|going|just|on|usually|mostly)\b)", "it is"),
    (r"\bwe'll\b", "we will"),
    (r"\bwe've\b", "we have"),
    (r"\bthey're\b|\btheyre\b", "they are"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"%", " percent"),
    (r"\bmister\b", "mr"),
    (r"\s+", " "),
)
_TRANSCRIPT_RE = [(re.compile(p, re.I), r) for p, r in _TRANSCRIPT]


def transcript_normalise(text: str) -> str:
    """Lower-case and undo speech-to-text spellings of contractions."""
    out = text.lower()
    for pattern, repl in _TRANSCRIPT_RE:
        out = pattern.sub(repl, out)
    return out.strip()


_SMALL = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy "
                                        "eighty ninety".split()) if w != "_"}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORD = "|".join([*_SMALL, *_TENS, *_SCALES])
_NUMBER_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_NUMBER_WORD}))*\b", re.I
)


def _parse_number(words: list[str]) -> int:
    """Number words to an integer; prices said in pairs ("eighteen forty", "two fifty") and
    digits said one by one ("six one four") are concatenated (1840, 250, 614)."""
    if len(words) > 1 and all(_SMALL.get(w, 99) < 10 for w in words):
        return int("".join(str(_SMALL[w]) for w in words))
    total, current = 0, 0
    for w in words:
        pair = _SMALL.get(w, _TENS.get(w))
        if pair is not None and 0 < current < 100 and pair >= 10:
            if current >= 10 or w in _TENS:
                current = current * 100 + pair
                continue
        if w in _SMALL:
            current += _SMALL[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[w]
            current = 0
    return total + current


def digits(text: str) -> str:
    """Number words to digits: "five hundred thousand" → 500000, "thirty percent" → 30
    percent. A lone "one" stays a word ("one of our agents")."""

    def repl(m: re.Match[str]) -> str:
        words = [w for w in re.split(r"[\s-]+", m.group(0).lower()) if w and w != "and"]
        if words == ["one"]:
            return m.group(0)
        return str(_parse_number(words))

    return _NUMBER_RUN.sub(repl, text)


STOPWORDS = frozenset(
    """a an the and or but to of in on for with about at by from into onto over as so than
    then this that these those it its is are was were be been being am do does did done have
    has had having will would could should can may might must shall just also very really
    quite much many more most some any all each every no not nor only own same too again
    once here there when where why how what which who whom whose whether if while i me my
    mine myself we us our ours you your yours yourself he him his she her hers they them
    their theirs one ones someone somebody something anything nothing person human real
    actual ask asks asked asking want wants wanted wanting like would need needs needed
    know knows knew wondering think thinks thought sure get gets got getting gotten make
    makes made go goes went going see sees saw seen look looks looked looking say says said
    tell told call called calling insurance policy policies coverage cover covers covered
    covering plan plans information info request requests requested new now just today
    year years old percent about around roughly approximately um uh like yeah ok okay
    well so right thing things way lot bit please thanks thank hi hello hey mr mrs ms""".split()
)
"""Words that do not identify a reason for calling (function words, generic insurance nouns,
fillers)."""

# Synonym groups: concept → words and phrases that carry it. Single words are compared by
# stem, so list one form of each (inflections follow); phrases are matched as written.
_GROUPS: dict[str, tuple[str, ...]] = {
    "increase": ("went up", "gone up", "go up", "goes up", "going up", "shot up", "way up",
                 "jump", "jumped", "increase", "raise", "raised", "rose", "risen", "hike",
                 "spike", "higher", "climb", "climbed", "more expensive"),
    "price": ("premium", "price", "pricing", "rate", "cost", "expensive", "pay for"),
    "renew": ("renewal", "renew", "renewed", "renewing"),
    "charge": ("charge", "charged", "bill", "billed", "billing", "payment", "debit",
               "withdrawal", "withdrew", "took out", "paid"),
    "twice": ("twice", "double", "doubled", "two times", "2 times", "duplicate", "second time"),
    "month": ("month", "monthly"),
    "baby": ("baby", "newborn", "infant", "little one"),
    "expecting": ("on the way", "expecting", "pregnant", "due", "coming"),
    "family": ("family", "kids", "children", "wife", "husband", "spouse", "loved ones"),
    "life": ("life", "life insurance", "term life"),
    "house": ("house", "home", "homeowner", "homeowners", "property", "place"),
    "buy": ("bought", "buy", "purchase", "purchased", "closed on", "moved into"),
    "mortgage": ("mortgage", "home loan", "loan"),
    "payoff": ("pay off", "paid off", "paying off", "pays off", "cover the balance"),
    "business": ("business", "company", "shop", "self-employed", "side business", "studio"),
    "equipment": ("equipment", "gear", "tools", "computers", "inventory", "machines",
                  "machinery", "stock"),
    "unsure": ("unsure", "not sure", "not certain", "do not know if", "uncertain", "whether"),
    "worry": ("worried", "worry", "concerned", "afraid", "nervous"),
    "start": ("started", "start", "began", "begun", "launched", "opened", "run", "running"),
    "driver": ("driver", "drivers", "driving", "drive", "permit", "behind the wheel"),
    "teen": ("16", "teen", "teenager", "daughter", "son", "kid"),
    "add": ("add", "adding", "added", "put on"),
    "limit": ("limit", "limits"),
    "liability": ("liability",),
    "low": ("low", "too low", "not enough", "insufficient", "underinsured", "enough"),
    "water": ("water", "leak", "flood", "flooding", "burst pipe", "pipe"),
    "damage": ("damage", "damaged", "damages"),
    "claim": ("claim", "claims"),
    "adjuster": ("adjuster", "adjusters", "claims rep", "inspector"),
    "contact": ("contact", "called", "call back", "reached out", "heard back", "heard from",
                "got back", "in touch", "follow up", "nobody has called"),
    "login": ("log in", "login", "logon", "sign in", "signin", "get into", "access",
              "password", "locked out"),
    "app": ("app", "portal", "website", "online account"),
    "idcard": ("id card", "id cards", "insurance card", "insurance cards",
               "proof of insurance"),
    "unable": ("can not", "unable", "not able", "trouble", "will not let", "not working"),
    "car": ("car", "vehicle", "auto", "truck"),
    "sell": ("sold", "sell", "selling", "got rid of", "traded in"),
    "cancel": ("cancel", "canceled", "cancelled", "cancellation", "terminate", "end the",
               "stop the", "drop the"),
    "compare": ("compare", "comparison", "versus", "side by side", "stack up"),
    "bundle": ("bundle", "bundling", "bundled", "combine", "together", "package",
               "multi-policy", "multi policy"),
    "cheaper": ("cheaper", "lower", "less expensive", "better price", "better rate", "beat",
                "undercut", "less"),
    "quote": ("quote", "quoted", "estimate", "offer"),
    "elsewhere": ("elsewhere", "another company", "other company", "somewhere else",
                  "competitor", "another carrier", "another insurer", "other insurer"),
    "match": ("match", "matched", "beat"),
    "explain": ("explain", "explained", "why"),
    "term": ("term",),
    "basement": ("basement", "downstairs", "lower level", "finished space", "new space"),
    "finish": ("finished", "finish", "remodel", "remodeled", "renovate", "renovated",
               "fixed up", "built out"),
    "space": ("space", "room", "square footage", "addition"),
}  # fmt: skip


def stem(word: str) -> str:
    """A crude stem: plural, -ed, -ing and a final -e removed ("charged" → "charg")."""
    w = word.lower().strip("'")
    w = w.removesuffix("'s")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and not w.endswith("ss") and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def _flexible(phrase: str) -> str:
    return r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", phrase))


@cache
def _tables() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    phrases: list[tuple[str, str]] = []
    words: dict[str, str] = {}
    for concept, forms in _GROUPS.items():
        for form in forms:
            if " " in form or "-" in form:
                phrases.append((form, concept))
            else:
                words.setdefault(stem(form), concept)
    phrases.sort(key=lambda p: -len(p[0]))
    compiled = [(re.compile(r"\b" + _flexible(p) + r"\b"), c) for p, c in phrases]
    return compiled, words


_AMOUNT_COMMA = re.compile(r"(\d),(\d{3})\b")


def concepts(text: str) -> list[tuple[str, str]]:
    """(concept, the words that carry it) for each content word or phrase of ``text``, in
    order of appearance, first occurrence of each concept only."""
    phrases, words = _tables()
    low = _AMOUNT_COMMA.sub(r"\1\2", digits(text.lower())).replace("$", " ")
    found: list[tuple[int, str, str]] = []
    for pattern, concept in phrases:
        for m in pattern.finditer(low):
            found.append((m.start(), concept, m.group(0)))
            low = low[: m.start()] + " " * (m.end() - m.start()) + low[m.end() :]
    for m in re.finditer(r"[a-z0-9]+(?:[./'-][a-z0-9]+)*", low):
        token = m.group(0).strip("'-")
        if not token or token in STOPWORDS:
            continue
        for part in token.split("-"):
            if part and part not in STOPWORDS:
                s = stem(part)
                found.append((m.start(), words.get(s, s), part))
    seen: dict[str, str] = {}
    for _, concept, surface in sorted(found, key=lambda f: f[0]):
        seen.setdefault(concept, surface)
    return list(seen.items())


def content_concepts(text: str) -> set[str]:
    """The concepts that identify ``text`` (a packet's reason for calling)."""
    return {c for c, _ in concepts(transcript_normalise(text))}


def keyword_hits(text: str, keywords: Sequence[str]) -> list[str]:
    """The words of ``text`` that match any of the need ``keywords`` (by stem, or as a
    phrase), in the order the keywords are listed."""
    low = text.lower()
    hits: list[str] = []
    tokens = {stem(t): t for t in re.findall(r"[a-z0-9']+", low)}
    for k in keywords:
        k = k.lower().strip()
        if " " in k:
            m = re.search(rf"\b{re.escape(k)}\w*", low)
            if m:
                hits.append(m.group(0))
        elif stem(k) in tokens:
            hits.append(tokens[stem(k)])
    return hits
