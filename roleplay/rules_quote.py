"""Rule tables for the fields a producer needs to quote: product interest, date of birth,
state, coverage amount, current coverage and tobacco use (see :mod:`roleplay.rules` for the
intake fields and the meaning of each part of a :class:`~roleplay.rules_base.FieldRules`).
"""

from __future__ import annotations

from roleplay.rules_base import _MONTHS, _US_STATES, FieldRules, _ask, _rx, _start

# fmt: off
_DOB_NOUN = r"date of birth|birth ?date|birthday|dob|age"

QUOTE_RULES: dict[str, FieldRules] = {
    "product_interest": FieldRules(
        requests=(
            ("what-kind", _rx(r"\b(?:what|which) (?:kinds?|types?|sorts?|lines?) of "
                              r"(?:insurance|policy|policies|plan|coverage|product|cover)\b"),
             False),
            ("which-product", _start(r"which (?:product|policy|plan|line)\b"), False),
            ("interested-insuring", _rx(r"\bwhat (?:are|were) you (?:interested in|looking to|"
                                        r"wanting to|hoping to) (?:insur\w*|cover)\b"), False),
            ("product-or", _rx(r"\b(?:term|whole life|auto|car|home|homeowners|renters|life|"
                               r"umbrella|medicare)\b.*,?\s*\bor\b\s+(?:both|term|whole|auto|"
                               r"car|home|homeowners|renters|life|umbrella|medicare)\b"), True),
        ),
        values=(
            _rx(r"\b(?:term(?: life)?|whole life|universal life|life insurance|homeowners?|"
                r"home insurance|renters|auto (?:policy|insurance)|umbrella|"
                r"medicare(?: supplement| advantage)?|final expense|disability|"
                r"long.term care)\b"),
        ),
        question_confirms=False,
        topic=_rx(r"\b(?:kinds?|types?|sorts?|lines?) of (?:insurance|coverage|policy|plan|cover|"
                  r"protection)\b"),
    ),
    "date_of_birth": FieldRules(
        requests=(
            *_ask(_DOB_NOUN),
            ("when-born", _rx(r"\b(?:when|what year|what day|what date) (?:were|was) you born\b"),
             False),
            ("how-old", _rx(r"\bhow old (?:are|will|were) you\b|\bhow old\b(?: \w+){0,4} you "
                            r"(?:were|are)\b"), False),
        ),
        values=(
            _rx(rf"\b(?:born|birthday|date of birth|dob)\b.*(?:\b(?:{_MONTHS})\b|"
                r"\d{1,2}/\d{1,2}/\d{2,4}|\b(?:19|20)\d{2}\b)"),
            _rx(r"\byou are (?:\d{2})\b(?! (?:minutes|days|percent))"),
        ),
        topic=_rx(r"\b(?:date of birth|birth ?date|birthday|dob|your age|how old (?:are|were|will|"
                  r"did|would) you)\b"),
    ),
    "state": FieldRules(
        requests=(
            ("what-state", _rx(r"\b(?:what|which) state (?:are you|do you|is your|you)\b"), False),
            ("which-state", _rx(r"\bin which state\b"), False),
            ("where-live", _start(r"where (?:do|did) you (?:live|reside|stay)\b"), False),
            ("where-located", _start(r"where are you (?:located|based|calling from|living|"
                                     r"from)\b"), False),
        ),
        values=(_rx(rf"\b(?:{_US_STATES})\b"),),
        topic=_rx(r"\b(?:what|which) state\b"),
    ),
    "coverage_amount": FieldRules(
        requests=(
            ("how-much-cover", _rx(r"\bhow much (?:life insurance|coverage|cover|insurance)\b"),
             False),
            ("what-amount", _rx(r"\bwhat (?:face amount|coverage amount|amount of coverage|"
                                r"death benefit|limits?|benefit amount)\b"), False),
            ("how-big", _rx(r"\bhow (?:big|large) (?:a|of a) (?:policy|benefit)\b"), False),
            ("leave-family", _rx(r"\bhow much (?:would|do) you (?:want|like|need) to leave\b"),
             False),
        ),
        values=(
            _rx(r"\$\s?\d{2,3}(?:,\d{3})+|\$\s?\d+\s?(?:k|thousand|million)\b"),
            _rx(r"\b\d{2,3}k\b|\b(?:half a|a|one|two|quarter) million\b|"
                r"\b\d{2,3},000\b"),
        ),
        topic=_rx(r"\bhow much\b.*\b(?:coverage|cover|insurance|death benefit|benefit|"
                  r"protection)\b|\b(?:face amount|coverage amount|amount of coverage)\b"),
    ),
    "current_coverage": FieldRules(
        requests=(
            ("have-any", _rx(r"\bdo you (?:currently |already )?have (?:any|an|a) (?:existing |"
                             r"current |other )?(?:life insurance|insurance|coverage|policy|"
                             r"policies|plan)\b"), False),
            ("who-carrier", _start(r"who (?:is|are) your (?:current )?(?:carrier|insurer|"
                                   r"insurance company|provider|company)|who are you (?:insured "
                                   r"with|covered (?:by|with|through)|with)"), False),
            ("are-insured", _rx(r"\bare you (?:currently |already )?(?:insured|covered)\b"),
             False),
            ("what-coverage-have", _rx(r"\bwhat (?:coverage|insurance|policy|policies) do you "
                                       r"(?:currently )?have\b"), False),
            ("name-of-insurer", _rx(r"\bname of your (?:current )?(?:insurance company|insurer|"
                                    r"carrier|provider)\b"), False),
            ("carrying", _rx(r"\bwhat (?:are you|do you) (?:currently )?(?:carry|carrying)\b"),
             False),
            ("have-policy", _rx(r"\bdo you (?:currently |already )?have (?:a|any) "
                                r"(?:policy|coverage) (?:somewhere|anywhere|elsewhere|with)\b"),
             False),
            ("tell-policy", _rx(r"\btell me about (?:the|your) (?:current )?(?:policy|coverage|"
                                r"insurance)\b"), False),
            ("in-force", _rx(r"\bpolicies in force\b|\bpolicy in force\b"), True),
        ),
        values=(
            _rx(r"\bgroup policy\b|\bthrough (?:work|your (?:employer|job|work))\b|"
                r"\bcurrently with\b|\bexisting coverage\b|\bno (?:existing |current )?coverage\b|"
                r"\binsured with\b|\bcovered through\b|\byou are (?:currently |still )?with\b"),
        ),
    ),
    "tobacco_use": FieldRules(
        requests=(
            ("do-you-smoke", _rx(r"\b(?:do|did) you (?:\w+ or )?(?:smoke|chew|vape|use (?:any )?"
                                 r"(?:tobacco|nicotine))\b"), False),
            ("you-smoke", _start(r"you (?:smoke|vape)\b"), True),
            ("smoker", _rx(r"\bare you a (?:\w+ )?(?:smoker|tobacco user|nicotine user|vaper)\b"),
             False),
            ("ever-smoked", _rx(r"\bhave you (?:ever )?(?:used tobacco|smoked|used nicotine|"
                                r"vaped)\b"), False),
            ("status", _rx(r"\bwhat is your (?:tobacco|smoking|nicotine) (?:status|use|"
                           r"history)\b"), False),
            ("any-tobacco", _start(r"any (?:tobacco|nicotine|vaping|cigars?|cigarettes|"
                                   r"smoking|chewing)\b"), True),
        ),
        values=(
            _rx(r"\bnon-?smoker\b|\bno tobacco\b|\bquit smoking\b|\btobacco.free\b|"
                r"\bdo not smoke\b|\bno smoking\b"),
        ),
        topic=_rx(r"\b(?:smoke|smoker|smoking|tobacco|nicotine|vape|vapes|vaping|cigarettes?|"
                  r"cigars?|chew|chewing)\b"),
    ),
}
# fmt: on
