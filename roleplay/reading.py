"""How the caller reads a producer's words: normalising, splitting into clauses, and telling
questions from statements.

The words are lower-cased, contractions and chat shorthand expanded ("whats ur" → "what is
your", "isnt" → "is not") and "um"/"uh" dropped. Sentences split at ".", "?" and "!"; a
sentence splits again where a new question starts after "and", "also" or a comma ("what year
is the car and who drives it" is two clauses; "how many cars and drivers" is one clause
naming two things). Only the last clause of a sentence inherits its "?", so "Sorry, what was
your name?" is one question, not two. A clause is a question when it ends in "?", opens like
one ("what", "do you", "any", "tell me", "i'll need"), or carries a check tag ("..., right?",
"isn't it?"); typed and transcript style (no capitals, no "?") read the same. Clauses with
nothing in them but fillers ("sorry", "before we start", "thanks for holding") are dropped.

The patterns here are for reading only; what the caller *answers* is in ``data/topics.toml``.
"""

from __future__ import annotations

import re

__all__ = [
    "ABOUT_PROPOSAL",
    "ADDITIONS",
    "CHECK",
    "ELLIPSIS",
    "FIELD_TOPICS",
    "Q_START",
    "SMALLTALK",
    "TAG_ONLY",
    "clauses",
    "is_question",
    "normalise",
    "rx",
]


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# fmt: off
_REPLACE = (
    (r"[’‘`]", "'"), (r"\be-mail", "email"), (r"\b(mrs?|ms|dr)\.", r"\1"),
    (r"\bwhat'?s\b", "what is"), (r"\bwho'?s\b", "who is"), (r"\bwho'?re\b", "who are"),
    (r"\bhow'?s\b", "how is"),
    (r"\bwhere'?s\b", "where is"), (r"\bthat'?s\b", "that is"), (r"\bit's\b", "it is"),
    (r"\byou'?re\b", "you are"), (r"\bi'?m\b", "i am"), (r"\bi'll\b", "i will"),
    (r"\bi'd\b", "i would"), (r"\byou'?ve\b", "you have"), (r"\bi'?ve\b", "i have"),
    (r"\bwe'?re\b", "we are"), (r"\bdidn'?t\b", "did not"), (r"\bdon'?t\b", "do not"),
    (r"\bdoesn'?t\b", "does not"), (r"\bisn'?t\b", "is not"), (r"\baren'?t\b", "are not"),
    (r"\bwasn'?t\b", "was not"), (r"\b(have|has|can|could|would|were)n'?t\b", r"\1 not"),
    (r"\bu\b", "you"), (r"\bur\b", "your"), (r"\br\b", "are"), (r"\by'?all\b", "you"),
    (r"\bpls\b|\bplz\b", "please"), (r"\bhow'd\b", "how did"), (r"\bd\.?o\.?b\.?\b", "dob"),
    (r"\b(?:um+|uh+|er+|erm|hmm+|you know|i mean)\b,?", " "), (r"\s+", " "),
)
_COMPILED = [(re.compile(p, re.I), r) for p, r in _REPLACE]
LEAD = (r"(?:(?:and|so|ok|okay|alright|right|well|now|great|perfect|thanks|thank you|got it|"
        r"yeah|yes|sure|oh|also|just|first|next|lastly|sorry|quick question|one more thing|"
        r"real quick|then|hi|hello|hey|out of curiosity|before we (?:start|begin|get going))"
        r"[,\s]+)*")
_FILLER_ONLY = rx(
    rf"^{LEAD}(?:and|so|ok|okay|alright|right|well|now|great|perfect|thanks|thank you|got it|"
    r"sure|oh|sorry|hi|hello|hey|out of curiosity|before we (?:start|begin|get going)|thanks "
    r"for (?:holding|waiting|your patience)|one (?:moment|second|sec)|let me see|hmm)?$"
)
Q_START = rx(
    rf"^{LEAD}(?:what|which|who|whom|whose|where|when|why|how|do(?! not)|does(?! not)|did|is|"
    r"are|was|were|can|could|would|will|have|has|had|any|anything|tell me|walk me through|"
    r"talk me through|describe|give me(?! (?:a|one|just a) (?:second|sec|moment|minute))|"
    r"i (?:will |would |also |just )?need|need to know|"
    r"let me (?:get|have)|may i|mind (?:telling|sharing)|remind me)\b"
)
_SPLIT = rx(
    r"\s*(?:,|;)\s*(?:and |also |plus |or )?(?=(?:what|which|who|where|when|why|how|do you|"
    r"does|did you|is|are|was|were|can you|could you|have you|has|any|tell me)\b)"
    r"|\s+(?:and|also|plus|then|but)\s+(?=(?:what|which|who|where|when|why|how|do you|does|"
    r"did you|is (?:it|the|your|that|she|he)|are (?:you|they|the)|was|were|can you|could you|"
    r"have you|has|any|tell me)\b)"
)
CHECK = rx(
    r"(?:,|\s)(?:right|correct|yes|yeah|yep|ok|okay|true|no)\s*\??\s*$|\bis (?:that|this|it) "
    r"(?:still )?(?:right|correct|accurate|true|the gist|about right)\b|\b(?:is|are|do|does|"
    r"did|was|were|have|has) not (?:it|that|you|she|he|they|i|we)\s*\??$|\bisnt it\s*$|"
    r"\bdidnt (?:she|he|they|you)\s*$|,\s*(?:are|do|did|is|have|were|was) (?:you|it|they|she|he)"
    r"\s*$|\bthis is (?:right|correct)\s*$"
)
TAG_ONLY = rx(
    rf"^{LEAD}(?:did i (?:get|have) (?:that|it|all that|this|everything) right|is (?:that|this) "
    r"(?:still )?(?:right|correct|accurate|the gist|about right|it|what you (?:need|want|mean))|"
    r"(?:have|did) i got (?:that|it) right|does that sound right|am i right|sound right|right|"
    r"correct|yes|yeah|ok|okay|no|this is (?:right|correct)|did i get all that|(?:are|is|do|does|"
    r"did|have|has|was|were)(?: not)? (?:you|it|they|she|he|that|we|i)|that still (?:good|right|"
    r"the plan)|sound about right|i say it correct|i have it correct|everything is good|anything "
    r"there need fixing)$"
)
ADDITIONS = rx(r"\banything else\b|\bis there anything\b|\banything (?:more|to add)\b|"
               r"\bwhat else can (?:i|we) (?:help|do)\b")
ABOUT_PROPOSAL = rx(
    r"\b(?:does (?:that|this|it) (?:work|sound)|how does (?:that|this) sound|would (?:that|this) "
    r"work|is (?:that|this) (?:ok|okay|alright|good|fine)|sound good|works for you|would you "
    r"like (?:that|me to)|do you want me to|shall i|should i)\b"
)
ELLIPSIS = rx(
    rf"^{LEAD}(?:what about|how about|and)?\s*(?:the|your|on the|for the)?\s*"
    r"(?P<what>auto|car|home|house|homeowners|life|other one|other)(?: one| policy| insurance)?"
    r"\s*\??$"
)
SMALLTALK: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hear", rx(r"\bcan you hear me\b|\bam i coming through\b")),
    ("repeat", rx(r"\b(say that (last part )?again|repeat that|you broke up|did not catch that|"
                  r"come again|you cut out)\b")),
    ("still_there", rx(r"\b(are you )?still (there|with me)\b")),
    ("how_are_you", rx(r"\bhow are (you|things)( doing)?( today| this (morning|afternoon|"
                       r"evening))?$|\bhow is (your day|it going)\b")),
    ("good_time", rx(r"\b(is (now|this) (still )?a good time|do you have a (few |couple )?"
                     r"minutes?|got a (minute|moment))\b")),
    ("may_ask", rx(r"\b(mind if i ask|can i ask you (a few|some|a couple)|okay if i ask|"
                   r"ask you (a few|some) questions)\b")),
    ("hold", rx(r"\b(put you on (a )?(brief |quick )?hold|can you hold|hold (on|for)|bear with "
                r"me|give me (a|one|just a) (second|sec|moment|minute)|pull (that|it) up)\b")),
    ("pen", rx(r"\b(a pen|something to write)\b")),
    ("makes_sense", rx(r"\b(does (that|this) make sense|does that sound (good|ok|okay|fair)|"
                       r"how does (that|this) sound|are you with me|following me)\b")),
    ("questions_back", rx(r"\b(do you have any (other )?questions|any questions for me|what "
                          r"(kind of )?questions do you have|what other questions)\b")),
)

# Intake fields asked in words the detector may not know: answered all the same.
FIELD_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("caller_name", rx(r"\b(your (full |first |last )?name|who (am i|are we) (speaking|"
                       r"talking)|who is this)\b")),
    ("contact_number", rx(r"\b(phone number|cell( number)?|callback number|number to reach|"
                          r"best number|reach you at)\b")),
    ("email", rx(r"\b(your email|email address|email (on file|i can use))\b")),
    ("urgency", rx(r"\b(how soon|how urgent|timeline|time ?frame|deadline|by when|in a rush|"
                   r"in a hurry)\b")),
    ("referral_source", rx(r"\b(hear about us|heard about us|find us|found us|referred|referral|"
                           r"sent you|sends? you|onto us|learn about (us|our))\b")),
    ("reason_for_call", rx(r"\b(prompt(ing|ed)? the call|what brings you|why are you calling|"
                           r"reason for (the|your) call|what can i (do|help)|how can i help)\b")),
    ("preferred_next_action", rx(r"\b(next step|like to proceed|want to happen|like to happen|"
                                 r"how should we proceed|what would you like (after|next)|best "
                                 r"way to (get|send|reach) you)\b")),
    ("product_interest", rx(r"\b(what (kind|type) of (insurance|policy|coverage)|which "
                            r"product|term life|whole life)\b")),
    ("date_of_birth", rx(r"\b(date of birth|birth ?date|your birthday|dob|how old are you|"
                         r"your age|when were you born)\b")),
    ("state", rx(r"\b(what state|which state|where do you live|where are you (located|based|"
                 r"calling from))\b")),
    ("coverage_amount", rx(r"\b(how much coverage|face amount|death benefit|coverage amount)\b")),
    ("current_coverage", rx(r"\b(do you have (any )?(coverage|insurance|a policy|life "
                            r"insurance)|currently (insured|covered)|existing (coverage|"
                            r"policy)|which policy (of yours )?(is|are) (this|we|it)|what policy "
                            r"do you have|who are you insured with|coverage you (carry|have)|"
                            r"(what|got) in place)\b")),
    ("tobacco_use", rx(r"\b(smoke|smoker|smoking|tobacco|nicotine|vape|vaping|cigar\w*)\b")),
)
# fmt: on


def normalise(text: str) -> str:
    out = text.strip().lower()
    for pattern, repl in _COMPILED:
        out = pattern.sub(repl, out)
    return out.strip()


def clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, asked with "?") pairs, in order; filler-only clauses dropped."""
    out: list[tuple[str, bool]] = []
    for m in re.finditer(r"[^.?!]+[.?!]*", normalise(text)):
        sentence = m.group(0).strip()
        asked = sentence.endswith("?")
        raw = [p.strip(" ,") for p in _SPLIT.split(sentence.rstrip(".?! "))]
        raw = [p for p in raw if p and re.search(r"[a-z0-9]", p)]
        for i, part in enumerate(raw):
            last = asked and i == len(raw) - 1
            if not _FILLER_ONLY.match(part) or (last and TAG_ONLY.match(part)):
                out.append((part, last))
    return out


def is_question(clause: str, asked: bool) -> bool:
    return asked or bool(Q_START.search(clause)) or bool(CHECK.search(clause))
