"""Number words said by a producer, written as digits.

Speech-to-text engines and people typing quickly write numbers as words: phone digits ("five
five five, oh one four two"), amounts ("five hundred thousand", "half a million", "two fifty
thousand"), years ("nineteen eighty four"), dates ("march twelfth eighty four") and liability
limits ("a hundred three hundred a hundred"). :func:`words_to_digits` turns them into the
digits a typed line would carry, so :mod:`roleplay.values` can compare like with like. Words that
only look like numbers stay words: a lone "one" ("the one ending in"), "oh" as an interjection,
"first off".
"""

from __future__ import annotations

import re

__all__ = ["words_to_digits"]

# --------------------------------------------------------------------------------------------
# Number words
# --------------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1000, "grand": 1000, "k": 1000, "million": 1_000_000,
    "mil": 1_000_000,
}  # fmt: skip
_BIG = ("thousand", "grand", "k", "million", "mil")
_NUMBER_WORDS = set(_UNITS) | set(_TEENS) | set(_TENS)
_MONTH_WORDS = set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def _ordinal(n: int) -> str:
    return f"{n}{_SUFFIX.get(n, 'th')}"


def _cardinal(words: list[str]) -> int | None:
    """Value of a cardinal with scale words ("five hundred thousand", "one point five
    million", "two fifty k" = 250,000); None when the words are not one number."""
    total, current, frac = 0, 0, None
    i = 0
    # Colloquial hundreds: "two fifty (k|thousand)" = 250 thousand.
    if (
        len(words) >= 3
        and words[0] in _UNITS
        and words[0] not in ("zero", "oh")
        and words[1] in _TENS
        and words[-1] in ("thousand", "k", "grand")
    ):
        tail = words[2:-1]
        unit = _UNITS[tail[0]] if tail and tail[0] in _UNITS else 0
        if len(tail) <= 1:
            return (_UNITS[words[0]] * 100 + _TENS[words[1]] + unit) * 1000
    while i < len(words):
        w = words[i]
        if w in ("a", "and"):
            current = current or (1 if w == "a" else 0)
        elif w == "point" and i + 1 < len(words) and words[i + 1] in _UNITS:
            frac = _UNITS[words[i + 1]] / 10
            i += 1
        elif w in _UNITS:
            current += _UNITS[w]
        elif w in _TEENS:
            current += _TEENS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in ("half", "quarter"):
            part = 0.5 if w == "half" else 0.25
            if i + 1 < len(words) and words[i + 1] == "a":
                i += 1
            if i + 1 < len(words) and words[i + 1] == "million":
                return int(part * 1_000_000)
            return None
        elif w in _SCALES:
            scale = _SCALES[w]
            value = (current or 1) + (frac or 0)
            frac = None
            if scale == 1_000_000:
                total = int((total + value) * scale)
            else:
                total += int(value * scale)
            current = 0
        else:
            return None
        i += 1
    return total + current


def _group(words: list[str]) -> list[str]:
    """Digit groups of a run without scale words: single digits, teens, tens(+unit)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("double", "triple") and i + 1 < len(words) and words[i + 1] in _UNITS:
            out.append(str(_UNITS[words[i + 1]]) * (2 if w == "double" else 3))
            i += 2
            continue
        if w in _TENS:
            if i + 1 < len(words) and words[i + 1] in _UNITS and words[i + 1] not in ("zero", "oh"):
                out.append(str(_TENS[w] + _UNITS[words[i + 1]]))
                i += 2
                continue
            out.append(str(_TENS[w]))
        elif w in _TEENS:
            out.append(str(_TEENS[w]))
        elif w in _UNITS:
            out.append(str(_UNITS[w]))
        i += 1
    return out


def _run_to_digits(words: list[str]) -> str | None:
    """Digits for a run of number words (None to leave the words as they are)."""
    if any(w in _SCALES or w in ("half", "quarter", "point") for w in words):
        value = _cardinal(words)
        if value is None:
            return None
        return f"{value:,}" if value >= 10_000 else str(value)
    groups = _group(words)
    if not groups:
        return None
    if len(groups) == 1:
        return groups[0]
    if all(len(g) == 1 for g in groups):
        return "".join(groups)
    # Years said in pairs: "nineteen eighty four", "twenty twenty".
    if len(groups) == 2 and groups[0] in ("19", "20") and len(groups[1]) == 2:
        return groups[0] + groups[1]
    if len(groups) == 2 and groups[0] in ("19", "20") and groups[1] in "0123456789":
        return groups[0] + "0" + groups[1]
    return " ".join(groups)


_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d[\d,.]*|[^\sA-Za-z\d]+")


_NUMBER_WORD_RX = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fourty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth)"
)
_NUMBER_HYPHEN_RX = re.compile(rf"\b({_NUMBER_WORD_RX})-(?={_NUMBER_WORD_RX}\b)", re.I)
_UNITS_OF_TIME = {
    "year",
    "years",
    "yr",
    "month",
    "months",
    "day",
    "days",
    "percent",
    "week",
    "weeks",
}


# Liability limits said as words: "a hundred three hundred a hundred" → 100/300/100.
_LIMIT_WORDS = {
    "fifteen": "15", "twenty": "20", "twenty five": "25", "thirty": "30", "forty": "40",
    "fifty": "50", "a hundred": "100", "one hundred": "100", "hundred": "100",
    "two fifty": "250", "two hundred fifty": "250", "three hundred": "300",
    "five hundred": "500", "two hundred": "200",
}  # fmt: skip
_LIMIT_ALT = "|".join(sorted(_LIMIT_WORDS, key=len, reverse=True))
_SPOKEN_LIMITS = re.compile(
    rf"\b({_LIMIT_ALT})(?:,? |\s*/\s*| slash | by )({_LIMIT_ALT})(?:(?:,? |\s*/\s*| slash | by )"
    rf"({_LIMIT_ALT}))?\b(?= (?:on|for|limits?|liability|is|are|was|right|correct|with|that|"
    r"now|yes|yeah|no|or|and|but|so|then|still|today|currently)\b|\s*[,.?]|\s*$)",
    re.I,
)


def _limits(m: re.Match[str]) -> str:
    parts = [_LIMIT_WORDS[g.lower()] for g in m.groups() if g]
    values = [int(p) for p in parts]
    if len(values) == 3 and values[0] <= values[1] and values[2] <= values[1]:
        return "/".join(parts)
    if len(values) == 2 and values[0] < values[1]:
        return "/".join(parts)
    return m.group(0)


def words_to_digits(text: str) -> str:
    """Number words as digits: "five five five, oh one four two" → "555, 0142"; "five
    hundred thousand" → "500,000"; "march twelfth eighty four" → "march 12th 84";
    "nineteen eighty four" → "1984". A lone "one", "oh" or an ordinal away from a date
    ("first off") stays a word; everything else is kept as written."""
    text = _NUMBER_HYPHEN_RX.sub(r"\1 ", text)  # "seven-fifty" → "seven fifty"
    text = _SPOKEN_LIMITS.sub(_limits, text)  # "hundred three hundred hundred" → 100/300/100
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    tokens = [text[a:b] for a, b in spans]
    low = [t.lower() for t in tokens]
    pieces: list[tuple[int, int, str]] = []  # (first token, last token + 1, replacement)
    i = 0
    n = len(tokens)
    while i < n:
        w = low[i]
        starts = (
            w in _NUMBER_WORDS
            or (w in ("double", "triple") and i + 1 < n and (low[i + 1] in _UNITS))
            or (w in ("a", "half", "quarter") and _scale_follows(low, i))
        )
        if not starts or (w == "oh" and not (i + 1 < n and low[i + 1] in _NUMBER_WORDS)):
            if w in _ORDINALS and _date_context(low, i):
                pieces.append((i, i + 1, _ordinal(_ORDINALS[w])))
            i += 1
            continue
        j = i
        while j < n:
            x = low[j]
            if j > i and low[j - 1] in _BIG and j + 1 < n and low[j + 1] in _UNITS_OF_TIME:
                break  # "five hundred thousand | twenty year term"
            if j > i and low[j - 1] in _BIG and _next_scale(low, j) >= _SCALES[low[j - 1]]:
                break  # "twenty five k | thirty k": two amounts offered, not one sum
            if x in _NUMBER_WORDS or x in _SCALES or x in ("double", "triple", "half", "quarter"):
                j += 1
            elif (
                x in ("a", "and", "point")
                and not (x == "and" and low[j - 1] not in ("hundred",))
                and j + 1 < n
                and (
                    low[j + 1] in _NUMBER_WORDS
                    or low[j + 1] in _SCALES
                    or low[j + 1] in ("half", "quarter", "million")
                )
                and j > i
            ):
                j += 1
            elif x == "a" and j == i:
                j += 1
            else:
                break
        while j > i + 1 and low[j - 1] in ("a", "and", "point"):
            j -= 1
        run = low[i:j]
        # A trailing ordinal: "twenty first" → 21st.
        if j < n and low[j] in _ORDINALS and run[-1] in _TENS and _date_context(low, j):
            value = _TENS[run[-1]] + _ORDINALS[low[j]]
            head = _run_to_digits(run[:-1]) if len(run) > 1 else None
            pieces.append((i, j + 1, (head + " " if head else "") + _ordinal(value)))
            i = j + 1
            continue
        lone = len(run) == 1 and run[0] in ("one", "oh", "a")
        digits = None if lone else _run_to_digits(run)
        if digits is not None:
            pieces.append((i, j, digits))
        i = max(j, i + 1)
    out, pos = [], 0
    for a, b, repl in pieces:
        out.append(text[pos : spans[a][0]])
        out.append(repl)
        pos = spans[b - 1][1]
    out.append(text[pos:])
    return "".join(out)


def _next_scale(low: list[str], j: int) -> int:
    """The size of the next big scale word of the number run from ``j`` (0 when none)."""
    while j < len(low) and (low[j] in _NUMBER_WORDS or low[j] in _SCALES or low[j] == "a"):
        if low[j] in _BIG:
            return _SCALES[low[j]]
        j += 1
    return 0


def _scale_follows(low: list[str], i: int) -> bool:
    nxt = low[i + 1 : i + 3]
    return bool(nxt) and (
        nxt[0] in ("million", "mil", "hundred", "thousand")
        or nxt[:2] == ["a", "million"]
        or (low[i] == "a" and nxt[0] in ("half", "quarter") and "million" in low[i + 1 : i + 4])
    )


def _date_context(low: list[str], i: int) -> bool:
    """An ordinal belongs to a date: next to a month, or "the twelfth" ending a phrase."""
    near = low[max(0, i - 3) : i] + low[i + 1 : i + 3]
    if any(w in _MONTH_WORDS for w in near):
        return True
    return (
        i > 0
        and low[i - 1] in ("the", "on", "by")
        and (
            i + 1 >= len(low)
            or not low[i + 1].isalpha()
            or low[i + 1]
            in (
                "of",
                "so",
                "right",
                "correct",
                "yes",
                "is",
                "or",
                "no",
                "yeah",
                "okay",
                "ok",
            )
        )
    )
