"""The urgency field's rules (how soon the caller needs cover, the date it must be in place),
split from :mod:`roleplay.rules` to keep the tables readable; :data:`roleplay.rules.RULES`
holds them with the others.

Besides asks about the timeline itself ("how soon do you need this", "any deadline"), the date
of the event that sets it is asked for in the caller's own words ("when exactly do you get the
keys", "what day are you moving in", "when is the baby due"): a question about a coming event
of the caller's story, in the present or future tense (a past event, "when did you move", is
history, outside the fields).
"""

from __future__ import annotations

from roleplay.rules_base import FieldRules, cue, rx

__all__ = ["DAY_SAID", "TIME_RULES"]

DAY_SAID = (
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|next "
    r"(?:week|month|year)|this (?:week|month|weekend)|end of (?:the )?(?:week|month)|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december) \d|the \d{1,2}(?:st|nd|rd|th)\b|in \d+ (?:days|weeks))"
)
"""A day or date said: a statement of one is about the urgency ("Lease signing next Monday.")."""
TIME_RULES: dict[str, FieldRules] = {
    "urgency": FieldRules(
        cues=(
            cue(
                "how-soon",
                r"\bhow (?:soon|quick|quickly|fast|urgently) (?:do |did |would |will "
                r"|are |were )?(?:you|we)(?: are| were| would| will| might| must|"
                r" have to)?"
                r" (?:need|want|like|hope|hoping|decide|moving|going|"
                r"looking|thinking|talking|have to|planning|wanting|wanted|needed|"
                r"expecting)\b|\bhow soon (?:is|does|should|would) (?:this|it|that|"
                r"the \w+)\b|\bhow soon are we\b|\bhow (?:soon|quick|fast) (?:is|are) "
                r"(?:this|it|that|we)\b",
            ),
            cue(
                "how-urgent",
                r"\bhow (?:urgent|pressing|time.sensitive|important is the timing|"
                r"much time (?:do|have) you)\b",
            ),
            cue(
                "timeline",
                r"\b(?:timeline|time ?frame|time ?line|deadline|deadlines|timing|"
                r"wiggle room|(?:your|the) window|"
                r"rush|hurry|urgency|time pressure|time.sensitive|urgent|how long do "
                r"you have)\b(?! (?:on my|from my) (?:end|side)\b)(?<!\bno rush)"
                r"(?<!\bno hurry)(?<!\bnot in a rush)(?<!\bnot in a hurry)"
                r"(?<!\bno big rush)"
                r"(?! (?:on|for|of|with) (?:(?:getting|sending|the|those|that|your) )*"
                r"(?:\w+'s )?(?:photos|pictures|contractor|work|inspection|repairs?|"
                r"roof|"
                r"documents|paperwork|forms|payment|refund|adjuster|claim|check|"
                r"estimate|appointment|exam|visit|cancellation|notice|other \w+|offer|"
                r"quote|bill|letter|signature|inspector)\b)",
            ),
            cue(
                "date-need",
                r"\b(?:is there |do you have |you have )?(?:a |any )?(?:particular |"
                r"specific |"
                r"target )?date (?:you|that you|we) (?:need|are working|have to|"
                r"must)\b|\btarget date\b|\buntil when\b|\bwhen (?:are|is) (?:you|the "
                r"\w+) closing\b|\bwhen (?:will|is) the closing\b|\bclosing of the "
                r"(?:house|sale)\b.{0,20}\bwhen\b|\b(?:urgent|rush|hurry) or (?:we|"
                r"you|"
                r"can|could|is there) (?:have|got|it)? ?(?:time|wait)\b",
            ),
            cue(
                "when-need",
                r"\bwhen (?:exactly |roughly |about |realistically )?(?:do |would |"
                r"will |"
                r"did |are |were )?you(?: are| were)? "
                r"(?:ideally |really |actually |probably |roughly |realistically )?"
                r"(?:need|want|like|hope|hoping|plan|planning|looking|have to|expect|"
                r"thinking|wanting|needing|wanted|needed|would like|must)\b"
                r"(?! (?:me|us) to\b)"
                r"(?! to (?:meet|talk|chat|pay|hear back|hear from))",
            ),
            cue(
                "by-when",
                r"\bby when\b|\bwhen\b.{0,40}\b(?:in place|start|effective|sorted|done|"
                r"resolved|wrapped up|buttoned up|handled|finished|switch|decide|"
                r"decision|active|bound)\b(?=.*\b(?:you|your|we)\b)",
            ),
            cue(
                "till-renewal",
                r"\bhow long (?:till|until|before|til) (?:your|the|that) (?:\w+ )?"
                r"(?:renewals?|policy|term)\b",
            ),
            cue(
                "policy-ends",
                r"\bwhen (?:is |does |will )?(?:your|the|that|this) (?:\w+ )"
                r"?(?:current )?"
                r"(?:policy|coverage|plan|term|renewal|auto|car|home|house|lease|"
                r"renters|umbrella) (?:renew|renews|end|ends|start|starts|begins|"
                r"expire|expires|run out|runs out|is up|come up|comes up|lapse|"
                r"lapses|kicks? in|hits|up for renewal|due for renewal|is due)\b",
            ),
            cue(
                "date-starts",
                r"\bthe date (?:your|the) (?:\w+ )?(?:lease|policy|coverage|"
                r"renewal|closing|loan|plan) (?:starts|begins|renews|ends|expires|"
                r"closes|kicks in)\b",
            ),
            cue("how-much-time", r"\bhow much time (?:do|have|did) (?:we|you|i) (?:have|got)\b"),
            cue(
                "renewal",
                r"\bwhen (?:is|does|will) (?:your|the|that|this) (?:current )?(?:policy|"
                r"renewal|coverage|plan|other offer|offer|quote|term) (?:renew|come up|"
                r"expire|end|due|kick|start|lapse|up)\b|\bwhen is (?:your|the) "
                r"(?:renewal|renewal date|expiration|expiry)\b|\bhow long (?:till|until|"
                r"before) (?:your|the) (?:renewal|policy|current)\b|\bwhen (?:your|the) "
                r"(?:current )?policy renews\b|\bwhen does (?:your|the|that) "
                r"(?:current )?(?:policy|coverage|plan) renew\b|\bis the renewal "
                r"(?:close|soon|coming)\b",
            ),
            cue(
                "before-then",
                r"\b(?:want|need|like) (?:this|it|that|everything) (?:wrapped up|"
                r"done|in place|sorted|handled|finished|settled|bound|active) "
                r"(?:before|by)\b",
            ),
            cue(
                "need-it-now",
                r"\b(?:do|will|would) you need (?:this|it|coverage|the coverage|the "
                r"policy|that|something|cover)\b.{0,30}\b(?:today|now|this week|"
                r"right "
                r"away|asap|immediately|soon|tomorrow|quickly|by)\b",
            ),
            cue(
                "need-handled",
                r"\byou need (?:this |it |that |something |coverage )?(?:handled|"
                r"done|sorted|in place|finished|bound|fixed|resolved|wrapped up|"
                r"taken care of)\b.{0,20}\b(?:today|now|this week|soon|right away|"
                r"asap|tomorrow|by)\b",
            ),
            cue(
                "event-when",
                r"\b(?:when|what day|what date|which day)(?! (?:exactly |roughly )?"
                r"(?:did|was|were|had|have you)\b) (?:exactly |roughly |about )?"
                r"(?:is |are |does |do |will |would )?(?:your |the |that |you |she "
                r"|he |they |we )?(?:\w+ ){0,2}?(?:closing|close on|closes|get the "
                r"keys|get your keys|getting the keys|move in|moving in|moving|move|"
                r"due|start date|effective date|tak(?:e|ing) possession|first "
                r"day|first job)\b",
            ),
            cue(
                "today-or-wait",
                r"\b(?:today|now|this week)\b.{0,20}\bor (?:can|could) (?:it|this)"
                r" wait\b|\bcan (?:it|this) wait\b",
            ),
        ),
        values=(
            rx(
                r"\b(?:by|before) (?:the |your |this |next )?(?:\d+(?:st|nd|rd|th)?|monday|"
                r"tuesday|wednesday|thursday|friday|saturday|sunday|renewal|end of|weekend)\b"
            ),
            rx(
                r"\btime.sensitive\b|\b(?:no|not in a|in a) (?:big )?(?:rush|hurry)\b|"
                r"\burgent(?:ly)?\b|\basap\b|\bin place by\b"
            ),
            rx(
                r"\byou (?:need|want) (?:this|it|coverage|an answer|answer)\b.*\b(?:this week|"
                r"today|this month|soon|tomorrow)\b"
            ),
            rx(
                r"\b(?:renewal|policy) is (?:due|up) in\b|\bdue in \d+ days\b|\b\d+ days\b.*"
                r"\brenewal\b"
            ),
        ),
        disqualify=(
            rx(r"\bwhen (?:did|was|were|is the last|had)\b(?!.*\b(?:need|want)\b)"),
            rx(r"\bno rush on my (?:end|side)\b|\btake your time\b"),
        ),
        question_confirms=False,
    ),
}
