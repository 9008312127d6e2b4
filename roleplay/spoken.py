"""Normalising what a producer *said* (or typed) into one canonical text for the detector.

Speech-to-text transcripts and chat lines differ from tidy typed sentences in ways that have
nothing to do with meaning: no capitals or punctuation, fillers ("um", "so yeah", "like"),
false starts ("can i get your uh your best number"), contractions without apostrophes
("whats", "youve", "dont", "im"), and numbers, phone digits and dates said as words ("five five
five, oh one four two", "march twelfth eighty four", "five hundred thousand"). This module
removes those differences:

* :func:`normalise` expands contractions (with or without apostrophes) and chat shorthand,
  keeping case and digits as they are (the checklist recognisers use it too);
* :func:`canonical` also drops fillers and false starts and turns number words into digits
  (:func:`words_to_digits`), spoken e-mail addresses into addresses, so the rules and the
  typed value matcher (:mod:`roleplay.values`) see one form.

Case is kept (a capitalised word after "is this" is a name); all rules match case-blind.
"""

from __future__ import annotations

import re

from roleplay.numbers import words_to_digits

__all__ = ["canonical", "normalise", "words_to_digits"]

# --------------------------------------------------------------------------------------------
# Contractions and shorthand
# --------------------------------------------------------------------------------------------

_APOS = r"['’]?"
_VERBISH = (
    r"(?:like|love|need|be|just|say|rather|prefer|have|want|get|grab|take|ask|put|go|send|"
    r"make|call|read|give|check|also|quickly|really|first|probably|definitely|suggest|"
    r"recommend|start|confirm|note|mark|email|text|only|still|never|pull|set|book|let|"
    r"double|gonna|jot|write|run|see|look|verify|use|try|walk|guess|imagine|assume|think)"
)
_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (r"[’‘`´]", "'"),
    (r"[“”]", '"'),
    (r"[—–]", ","),
    (r"\s-\s", ", "),
    (r"\.\.\.+|…", ", "),
    (rf"\bwhat{_APOS}s\b", "what is"),
    (rf"\bwho{_APOS}s\b", "who is"),
    (rf"\bhow{_APOS}s\b", "how is"),
    (rf"\bwhere{_APOS}s\b", "where is"),
    (rf"\bwhen{_APOS}s\b", "when is"),
    (rf"\bwhy{_APOS}s\b", "why is"),
    (rf"\bthere{_APOS}s\b", "there is"),
    (rf"\bhere{_APOS}s\b", "here is"),
    (rf"\bthat{_APOS}s\b", "that is"),
    (
        r"\bit's\b|\bits\b(?= (?:a|an|the|still|not|just|for|about|your|on|in|that|this|been|"
        r"going|okay|ok|fine|correct|right|true|all|only|really|gonna|me|my)\b)",
        "it is",
    ),
    (rf"\bshe{_APOS}s\b", "she is"),
    (r"\bhe's\b|\bhes\b", "he is"),
    (rf"\bname{_APOS}s\b(?= (?:\w+)$)", "name is"),
    (r"\b(\w+)'s (?=(?:what|how|why|who|where|when|the one|still|about|for|due|up)\b)", r"\1 is "),
    (rf"\b(?:how|what|where|who|why|when){_APOS}d\b(?= you\b)", r"\g<0>_did"),
    (r"\b(how|what|where|who|why|when)'?d_did\b", r"\1 did"),
    (rf"\byou{_APOS}re\b", "you are"),
    (rf"\bthey{_APOS}re\b", "they are"),
    (r"\bwe're\b", "we are"),
    (rf"\bi{_APOS}m\b", "i am"),
    (r"\bi'll\b", "i will"),
    (rf"\bill\b(?= {_VERBISH}\b)", "i will"),
    (r"\bi'd\b", "i would"),
    (rf"\bid\b(?= {_VERBISH}\b)", "i would"),
    (rf"\byou{_APOS}d\b", "you would"),
    (rf"\bwe{_APOS}d\b(?= {_VERBISH}\b)", "we would"),
    (rf"\bi{_APOS}ve\b", "i have"),
    (rf"\byou{_APOS}ve\b", "you have"),
    (rf"\bwe{_APOS}ve\b", "we have"),
    (rf"\bthey{_APOS}ve\b", "they have"),
    (rf"\bwho{_APOS}ve\b", "who have"),
    (rf"\bwho{_APOS}d\b", "who would"),
    (rf"\byou{_APOS}ll\b", "you will"),
    (r"\bwe'll\b", "we will"),
    (rf"\bthey{_APOS}ll\b", "they will"),
    (rf"\b(?:that|it){_APOS}ll\b", "that will"),
    (rf"\blet{_APOS}s\b", "let us"),
    (rf"\bcan{_APOS}t\b", "can not"),
    (rf"\bwon{_APOS}t\b", "will not"),
    (r"\bain't\b|\baint\b", "is not"),
    (
        rf"\b(do|does|did|is|are|was|were|could|would|should|have|has|had|must|need)n{_APOS}t\b",
        r"\1 not",
    ),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"),
    (r"\blemme\b", "let me"),
    (r"\bgimme\b", "give me"),
    (r"\bkinda\b", "kind of"),
    (r"\bsorta\b", "sort of"),
    (r"\bd'?you\b", "do you"),
    (r"\bwhatcha\b", "what are you"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\by'?all\b", "you"),
    (r"\bya\b(?! know)", "you"),
    (r"\br\b", "are"),
    (r"\b(?:pls|plz)\b", "please"),
    (r"\be-mail\b", "email"),
    (r"\bd([.-])o\1b\b\.?", "dob"),  # "D.O.B.", "D-O-B" (as a recogniser writes it)
    (r"\bcall-back\b", "callback"),
    (r"\bnon[- ]smok", "nonsmok"),
    (r"#", " number "),
    (r"\s+", " "),
)
_COMPILED = [(re.compile(p, re.I), r) for p, r in _REPLACEMENTS]


def normalise(text: str) -> str:
    """Expand contractions (also written without apostrophes) and chat shorthand; keep case."""
    out = text.strip()
    for pattern, repl in _COMPILED:
        out = pattern.sub(repl, out)
    return out.strip()


# --------------------------------------------------------------------------------------------
# Fillers, false starts, spoken e-mail
# --------------------------------------------------------------------------------------------

_FILLERS = (
    r"\b(?:u+m+|u+h+m*|e+r+m*|h+m+|m+h*m+|a+h+|uh-huh)\b,?",
    r"(?<!\bdo )(?<!\bdid )(?<!\bif )(?<!\bwould )\byou know\b,?(?! (?:what|how|who|if|when|"
    r"where|which|your|the|about|whether|that)\b)",
    r"\bi mean\b,?",
    r"\bso yeah\b,?|\byeah so\b",
    r"(?<=[,.]) like,|^like,? |(?<= )like,(?= )",
    r"(?<!would )(?<!\bd )(?<!sounds )(?<!looks )(?<!feel )(?<!feels )(?<!seems )"
    r"(?<!something )(?<!just )(?<!anything )(?<!not )(?<!you )(?<!i )(?<!we )(?<!they )"
    r"(?<!it )(?<!is )(?<!are )(?<!was )(?<!were )(?<!be )(?<!look )(?<!sound )(?<!things )"
    r"(?<!thing )(?<!more )(?<!less )(?<!much )\blike(?=\s+(?:um|uh|the|a|your|you|what|how|"
    r"when|where|which|who|is|are|do|did|any|some|maybe|roughly|around|about|just|i)\b)",
    r"\b(?:basically|actually|literally|honestly)\b,?",
    r"\blet me see\b,?|\blet us see\b,?",
    # a start abandoned for a question: "let me just uh what was your birthday"
    r"\blet me just\b,?(?=\s+(?:what|how|when|who|where|which)\b)",
)
_FILLER_RX = [re.compile(p, re.I) for p in _FILLERS]
_CONTENT = re.compile(
    r"^(?:name|number|phone|cell|email|birthday|birth|age|state|coverage|policy|smoke|"
    r"smoker|tobacco|insurance|carrier|address|amount|date)$",
    re.I,
)
_NUMBERISH = re.compile(
    r"^(?:\d[\d,.]*|zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|double|"
    r"triple|very|no|bye|okay|ok|yeah|yes|really|so|that|had|ha|now)$",
    re.I,
)


_SORRY_RESTART = re.compile(
    r"\b(your|the|a|my|and|what|how|is|are|do|can)\s+(?:sorry|i mean|or rather|rather)\s*,?\s+",
    re.I,
)


def _drop_false_starts(text: str) -> str:
    """ "can i get your your best number" → "can i get your best number"; "what is the what
    is your number" → "what is your number". Digits and number words are never dropped."""
    text = re.sub(r"\b\w+-(?=\s|$)", "", text)  # cut-off words: "num- number"
    text = _SORRY_RESTART.sub(r"\1 ", text)  # "and your sorry your date of birth"
    words = text.split()
    changed = True
    while changed:
        changed = False
        bare = [re.sub(r"[^\w']", "", w).lower() for w in words]
        for k in (4, 3, 2, 1):
            for i in range(len(words) - 2 * k + 1):
                if bare[i : i + k] == bare[i + k : i + 2 * k] and not any(
                    _NUMBERISH.match(b) or not b for b in bare[i : i + k]
                ):
                    del words[i : i + k]
                    changed = True
                    break
            if changed:
                break
        if changed:
            continue
        for i in range(len(words)):  # restart: "what is the | what is your"
            for gap in (3, 2):
                j = i + gap
                if j + 2 <= len(words) and bare[i : i + 2] == bare[j : j + 2]:
                    segment = bare[i:j]
                    if bare[i] in _RESTART_HEADS and not any(
                        _CONTENT.match(b) or _NUMBERISH.match(b) for b in segment
                    ):
                        del words[i:j]
                        changed = True
                        break
            if changed:
                break
    return " ".join(words)


_RESTART_HEADS = {
    "what", "can", "could", "do", "did", "how", "who", "where", "when", "which", "would",
    "are", "is", "let", "and", "so", "i",
}  # fmt: skip

_SPOKEN_EMAIL = re.compile(
    r"\b(?P<local>[a-z][a-z0-9]*(?:(?: dot | underscore |[._])[a-z0-9]+)*) at "
    r"(?P<domain>[a-z0-9-]+(?: dot [a-z0-9-]+)*) dot (?P<tld>com|net|org|edu|gov|io|us|co)\b",
    re.I,
)


def _email_words(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        local = re.sub(r" dot ", ".", m.group("local"), flags=re.I)
        local = re.sub(r" underscore ", "_", local, flags=re.I)
        domain = re.sub(r" dot ", ".", m.group("domain"), flags=re.I)
        return f"{local}@{domain}.{m.group('tld')}"

    return _SPOKEN_EMAIL.sub(repl, text)


def canonical(text: str) -> str:
    """The detector's view of an utterance: :func:`normalise` plus fillers and false starts
    removed, number words as digits and spoken e-mail addresses written out."""
    out = normalise(text)
    for rx in _FILLER_RX:
        out = rx.sub(" ", out)
    out = re.sub(r"\s+,", ",", out)
    out = re.sub(r",\s*,+", ",", out)
    out = re.sub(r"^\s*,\s*", "", out)
    out = _drop_false_starts(out)
    out = words_to_digits(out)
    out = _email_words(out)
    out = re.sub(r"(?<=\d) - (?=\d)", "-", out)
    return re.sub(r"\s+", " ", out).strip()
