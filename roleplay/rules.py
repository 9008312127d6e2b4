"""The rule tables behind :mod:`roleplay.detect`: how each intake field is asked for and
what a read-back of it looks like.

Each field has *cues* (named patterns; a cue counts only inside an ask about the caller, see
:mod:`roleplay.asks`), *values* (a phone number, a state name, "non-smoker", or a reference
to the value on file), *disqualifiers* (a policy number is not a phone number) and
*alternatives* ("smoker or non-smoker?"). Rule names appear in every
:class:`~roleplay.detect.Hit`, so a trainer can see why a line counted. To teach the detector
a new phrasing, add a cue here and a labelled example to
``tests/roleplay/data/labelled_utterances.txt``.

This module holds the intake fields (name, number, e-mail, urgency, referral source, next
action, reason for calling); :mod:`roleplay.rules_quote` the fields a quote needs.
"""

from __future__ import annotations

from roleplay.rules_base import DURATION, FieldRules, cue, rx
from roleplay.rules_quote import QUOTE_RULES

# A channel named as a way to follow up ("by email", "call or text") is a next action, not a
# request for the e-mail address or the phone number (see CHANNEL_CONTEXT).
_CHANNEL = (
    r"(?:call|phone call|callback|call back|email|e-mail|text|texts|mail|letter|zoom|video|fax|"
    r"meeting|appointment|visit|in person|face to face|sit down|portal|app)"
)
CHANNEL_BEFORE = rx(
    rf"(?:\b(?:by|via|over|per|through|in an?|on the|over the|by the)|\b(?:{_CHANNEL}|phone)\b"
    r"(?:\s+\w+){0,2}\s+(?:or|and/or)(?:\s+(?:an?|by|maybe|just))?|\b(?:want|prefer|like|rather|"
    r"through)(?: an?)?|\b(?:follow up|call|text|mail)\s*,?(?: or)?)\s+$"
)
CHANNEL_AFTER = rx(
    rf"^\s+(?:or|and/or)\s+(?:an?\s+|by\s+|maybe\s+|just\s+)?(?:{_CHANNEL}|in person|mail|phone)\b"
    r"(?! number)"
    r"|^(?:ed|ing)\b|^\s+(?:call|calls)\b|^\s*,?\s*(?:or\s+)?(?:mail|text|call)\b"
)

_SOURCES = (
    r"(?:facebook|instagram|google|tiktok|youtube|social media|online|the internet|tv|radio|"
    r"billboard|mailer|postcard|the website|our website|an ad|a search|yelp|nextdoor)"
)

# fmt: off
_INTAKE_RULES: dict[str, FieldRules] = {
    "caller_name": FieldRules(
        cues=(
            cue("name", r"\b(?:(?:your|the) )?(?:(?:full|first|last|legal|whole|complete|middle|"
                        r"first and last|sur)\s+)*names?\b(?! of (?:whoever|whomever|the company|t"
                        r"he carrier|"
                        r"the insurer|the agency|the bank|the lender)\b)"
                        r"(?! of (?:your|the|a|an|his|her|their) "
                        r"(?!policy\b))", "no-yn"),
            cue("who-speaking", r"\bwho (?:am i|are we|i am|we are) (?:speaking|talking|chatting)"
                                r"(?: with| to)?\b"),
            cue("who-have-i", r"\bwho (?:do|did) i have\b(?! to\b)|\bwho (?:have i got|is "
                              r"(?:calling|this|"
                              r"on the line)|i am (?:speaking|talking) (?:with|to))\b"
                              r"|\bwho do i have the pleasure\b"),
            cue("call-you", r"\bwhat (?:should|can|do) i call you\b|\bhow (?:do|should) i address "
                            r"you\b"),
            cue("spell-name", r"\bspell (?:your |that |the )?(?:last |first |full |sur)?name\b|"
                              r"\bspell "
                              r"your surname\b|\bhow (?:do|would) you spell (?!(?:that|it|the|your|"
                              r"this)\b)\w+|\bhow (?:do|would) you spell (?:that|it)\b(?=.*\bname\b"
                              r")|\bhow (?:is|do you spell) your (?:last |first )?name "
                              r"spelled\b"),
        ),
        values=(),  # names are recognised by roleplay.readback
        disqualify=(
            rx(r"\bwhose name\b|\b(?:in|under) (?:your|his|her|their|whose|my|the|whichever) "
               r"(?:own )?name\b|\bname (?:is )?on the (?:card|title|deed|lease|loan|car|"
               r"registration|bank account|checking account|credit card|check)\b"
               r"(?!.*\b(?:you|your)\b)"),
            rx(r"\b(?:business|company|carrier|insurer|street|user|screen|pet|dog|cat|doctor|"
               r"employer|bank|lender|dealer|dealership|school|plan|product|brand|agent|adjuster|"
               r"buyer|owner|owners|beneficiary|beneficiaries|driver|drivers|contractor|app|"
               r"insurance|other driver|lienholder|mortgage company|person|caller|kid|kids|baby|"
               r"child|son|daughter|wife|husband|spouse|partner|maiden)'?s? names?\b"),
            rx(r"\bmy name\b"),
        ),
    ),
    "contact_number": FieldRules(
        cues=(
            cue("number", r"\b(?:(?:best|good|phone|cell|mobile|callback|"
                          r"call back|contact|home|work|daytime|direct|main|personal|primary|other|"
                          r"alternate|alternative|backup|right|evening|reachable)\s+)*"
                          r"(?:phone numbers?|number|phone|cell(?: ?phone)?|mobile(?: number)?|"
                          r"digits|(?:direct|phone|home|cell|land) ?line)\b(?! call\b)", "no-yn"),
            # "is there a better number for you": another value than the one read back
            cue("better-number-any", r"\b(?:is there|do you have|have you got|got|you got) (?:a |a"
                                     r"n )?"
                                     r"(?:better|different|another|other|second|newer)\s+"
                                     r"(?:(?:phone|cell|contact) )?(?:number|one|cell|line)\b"
                                     r"(?! (?:for|of) (?!you\b))"),
            cue("number-yn", r"\b(?:is there|do you have|have you got|got) (?:a |an |another |any )"
                             r"?"
                             r"(?:(?:best|good|cell|mobile|callback|other|better|different|direct|"
                             r"daytime|work|home)\s+)*(?:phone )?(?:number|cell|phone|mobile|line)"
                             r"\b(?! (?:for|of) (?!you\b))"),
            cue("reach-you", r"\bhow (?:can|could|should|do|will|would|shall) (?:i|we|they|the "
                             r"\w+|someone|underwriting) (?:best )?(?:reach|contact|call|get "
                             r"(?:a)?hold of|get in touch with|ring|text) you\b"),
            cue("best-way-phone", r"\bbest way to (?:reach|contact|call|get (?:a)?hold of) you\b"
                                  r"(?=.*\b(?:by phone|phone|number|cell)\b)"),
            cue("where-reach", r"\bwhere (?:can|could|should|do|will) (?:i|we|they) (?:best )?"
                               r"(?:reach|call|text|ring) you\b"),
        ),
        values=(
            rx(r"\b\d{3}[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{3}[\s.-]\d{4}\b|\b555\s?\d{4}\b"),
            rx(r"\b(?:ending|ends?) (?:in |with )?\d{2,4}\b"),
            rx(r"\bstill (?:the )?best (?:way|number|one) to reach you\b|\b(?:the one|the number|"
               r"the phone) you are calling (?:from|on)\b"),
            rx(r"\b(?:this|that|the) (?:number|cell|phone)(?: on file| you gave| we have| on "
               r"the account)?\b(?=.*\b(?:still|best|good|on file|you gave|we have|works?)\b)"),
            rx(r"\bthe (?:number|cell|phone) (?:on file|you gave|we have|the assistant)\b"),
        ),
        reject_before=(
            rx(r"\b(?:on|from|with|using) (?:your|the|my) (?:cell ?)?(?:phone|cell|mobile)$"),
            rx(r"\b(?:policy|claim|account|member|group|vin|license|licence|security|social|ssn|"
               r"id|case|confirmation|reference|quote|routing|tracking|extension|card|plate|"
               r"permit|serial|model|tax|order|ticket|invoice|loan|tag|reservation|lot|house|"
               r"unit|apartment|suite|street|flight|employee|badge|tracking|check|chassis|"
               r"registration|dec|declarations|folio|billing|payment|invoice|pin|passport|"
               r"routing|zip|postal|area code|door|room|floor|bank|bundle|price|rate|ballpark|"
               r"premium|renewal|final|rough|exact|liability|coverage|limit|limits|deductible|"
               r"dollar|budget|target|round)(?:'s)?\s+(?:numbers?|digits)$"),
            rx(r"\b(?:our|my) (?:direct |office |main |work )?(?:number|phone|line|cell)$"),
        ),
        reject_after=(
            rx(r"^[\w ]*?\bnumbers? (?:is )?on (?:your|the|her|his|that) (?!file)"),
            # "what number are we landing on", "what number did you have in mind": an amount
            rx(r"^numbers? (?:are we|were we|we are|did you have in mind|do you have in mind|you "
               r"have in mind|(?:are|were) you thinking|you thinking|for (?:all )?(?:your|the) "
               r"(?:stuff|belongings|things|contents|coverage|policy|umbrella|dwelling|family|kids|"
               r"grandkids))\b"),
            rx(r"^[\w ]*?\bnumbers? (?:for|of) (?:your|the|their) (?:old |current |other |new |"
               r"main )?"
               r"(?:carrier|insurer|company|agent|adjuster|office|bank|lender|doctor|claims|dealer|"
               r"contractor)\b(?! to (?:reach|call|contact|text|get (?:a)?hold of)\b)"),
            rx(r"^numbers? (?:one|two|of)\b"),
            rx(r"^[\w ]*?\bnumbers? (?:did|does|do|will|would|is) (?!you\b)(?:the|your|they|he|"
               r"she|it|that|this|their)\b(?! (?:best|one) to)"),
        ),
        alternatives=(
            # "still 281-555-0120 or a cell?", "... or you got a cell that's better": another
            # line offered beside the one read back
            ("other-line-or", rx(
                r"(?:\d{4}|\bnumber|\bone|\bline|\bphone)\b[^.?!]{0,30}\bor "
                r"(?:do you have |you got |have you got |is there |maybe )?(?:an?|your) "
                r"(?:cell|mobile|work|home|landline|personal|office)"
                r"(?: ?(?:number|one|line|phone))?\b"
            )),
        ),
        disqualify=(
            rx(r"\bwhat (?:number|figure) (?:are|were) you (?:thinking|looking|hoping)\b"),
            rx(r"\blast (?:four|4|six|6)(?: digits)? (?:of|on) (?:the|your|that) (?:card|social|"
               r"ssn|"
               r"account|vin|policy|license|id|claim|credit)"),
            rx(r"\bhow many\b|\bwhat number (?:did|do|would) you (?:have|want|think)\b|\b"
               r"number (?:you "
               r"have |you had )?in (?:mind|your head)\b"),
            rx(r"\bphone (?:are you on|do you (?:have|use)|model|type|app|plan)\b|\b(?:iphone|"
               r"android|samsung|pixel)\b|\bphone bill\b|\bsame phone\b"),
            rx(r"\b(?:the|those|these|some|big|round|final|new|premium|quote|rate|price) numbers\b"
               r"|\bnumbers (?:on|for) (?:the|your|a|it)\b|\brun (?:the )?numbers\b"),
        ),
    ),
    "email": FieldRules(
        cues=(
            cue("email", r"(?:(?<=\bthe )|(?<=\ban )|(?<=\ba )|(?<=\byour )|(?<=\bbest )|"
                         r"(?<=\bgood )|(?<=\bthat )|(?<=\bwhich )|(?<=\bwhat )|(?<=\bmain )|"
                         r"(?<=\bpreferred ))(?:e-?mail|e male)(?: address(?:es)?)?\b"
                         r"|(?<=\bone )(?:e-?mail|e male)(?: address)?\b"
                         r"|\b(?:e-?mail|e male)(?: address(?:es)?)?\b(?! (?:it|you|them|me|"
                         r"over|the quote|a copy)\b)"),
            cue("where-email", r"\bwhere (?:should|can|do|would|shall) (?:i|we) (?:send|email|"
                               r"forward)\b.*\b(?:email|emailed|e-?mail)\b|\bwhere (?:do|would) "
                               r"you (?:want|like) (?:it|them|this|that|the \w+(?: \w+)?) "
                               r"(?:emailed|e-?mailed)\b|\bwhere (?:should|can|do) (?:i|we) "
                               r"email\b"),
        ),
        values=(
            rx(r"[\w.+-]+@[\w-]+\.[\w.]+"),
            rx(r"\b[\w.]+ at [\w-]+ dot (?:com|net|org)\b"),
            rx(r"\b(?:address )?ending in [\w-]+\.(?:com|net|org)\b"),
            rx(r"\bthe email (?:on file|you gave|we have|the assistant|on the account)\b"),
        ),
        disqualify=(
            rx(r"\b(?:can|could|would) you (?:please )?e-?mail (?:that|this|those|these|it|them) "
               r"(?:to|over)\b"),
            rx(r"\b(?:what|which) e-?mail(?: address)? (?:did|does|do|will|would) (?!you\b)"
               r"(?:the|your|they|he|she|it|their)\b"),
            rx(r"\b(?:my|our) (?:work |office )?e-?mail\b|\bemail (?:you|me) (?:at|from)\b"
               r"|\bconfirmation email\b|\bspam\b|\bjunk\b|\binbox\b"),
        ),
    ),
    "urgency": FieldRules(
        cues=(
            cue("how-soon", r"\bhow (?:soon|quick|quickly|fast|urgently) (?:do |did |would |will "
                            r"|are |were )?(?:you|we)(?: are| were| would| will| might| must|"
                            r" have to)?"
                            r" (?:need|want|like|hope|hoping|decide|moving|going|"
                            r"looking|thinking|talking|have to|planning|wanting|wanted|needed|"
                            r"expecting)\b|\bhow soon (?:is|does|should|would) (?:this|it|that|"
                            r"the \w+)\b|\bhow soon are we\b|\bhow (?:soon|quick|fast) (?:is|are) "
                            r"(?:this|it|that|we)\b"),
            cue("how-urgent", r"\bhow (?:urgent|pressing|time.sensitive|important is the timing|"
                              r"much time (?:do|have) you)\b"),
            cue("timeline", r"\b(?:timeline|time ?frame|time ?line|deadline|deadlines|timing|"
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
                            r"quote|bill|letter|signature|inspector)\b)"),
            cue("date-need", r"\b(?:is there |do you have |you have )?(?:a |any )?(?:particular |"
                             r"specific |"
                             r"target )?date (?:you|that you|we) (?:need|are working|have to|"
                             r"must)\b|\btarget date\b|\buntil when\b|\bwhen (?:are|is) (?:you|the "
                             r"\w+) closing\b|\bwhen (?:will|is) the closing\b|\bclosing of the "
                             r"(?:house|sale)\b.{0,20}\bwhen\b|\b(?:urgent|rush|hurry) or (?:we|"
                             r"you|"
                             r"can|could|is there) (?:have|got|it)? ?(?:time|wait)\b"),
            cue("when-keys", r"\bwhen (?:exactly |roughly )?(?:(?:do|will|are|did) )?you "
                             r"(?:get(?:ting)? the "
                             r"keys|close|closing|move in|moving in|take possession|pick (?:it|her|"
                             r"him|them|the \w+) up|picking (?:it|her|him|them|the \w+) up)\b"),
            cue("when-need", r"\bwhen (?:exactly |roughly |about |realistically )?(?:do |would |"
                             r"will |"
                             r"did |are |were )?you(?: are| were)? "
                             r"(?:ideally |really |actually |probably |roughly |realistically )?"
                             r"(?:need|want|like|hope|hoping|plan|planning|looking|have to|expect|"
                             r"thinking|wanting|needing|wanted|needed|would like|must)\b"
                             r"(?! (?:me|us) to\b)"
                             r"(?! to (?:meet|talk|chat|pay|hear back|hear from))"),
            cue("by-when", r"\bby when\b|\bwhen\b.{0,40}\b(?:in place|start|effective|sorted|done|"
                           r"resolved|wrapped up|buttoned up|handled|finished|switch|decide|"
                           r"decision|active|bound)\b(?=.*\b(?:you|your|we)\b)"),
            cue("till-renewal", r"\bhow long (?:till|until|before|til) (?:your|the|that) (?:\w+ )?"
                                r"(?:renewals?|policy|term)\b"),
            cue("ends-when", r"\bwhen (?:exactly |roughly )?(?:is |does |will )?(?:your|the|that|t"
                             r"his) "
                             r"(?:[\w']+ ){0,2}?(?:one|policy|coverage|plan) (?:renew|renews|end|"
                             r"ends|expire|expires|run out|runs out|is up|lapse|lapses|cancel|"
                             r"cancels)\b"
                             r"|\b(?:exact |specific )?(?:day|date) (?:it|that|the \w+(?: \w+)?|"
                             r"your \w+(?: \w+)?) (?:cancels|ends|expires|runs out|lapses|renews|i"
                             r"s "
                             r"up|kicks in)\b"
                             r"|\bwhat is (?:the|your) (?:[\w']+ ){0,2}?(?:renewal|expiration|"
                             r"expiry|cancellation|closing|move.in|moving|start|signing|"
                             r"possession|cutoff|cut.off) date\b"
                             r"|\b(?:when|what time|what day|how soon) (?:[\w']+ ){0,3}?needs? "
                             r"(?:it|this|that|them|the \w+)(?: \w+){0,3} by\b"
                             r"|\bwhen (?:does|do|did|will) (?:[\w']+ ){1,2}need (?:it|this|that|"
                             r"them)\b"
                             r"|\b(?:anything|something) (?:pressing|time.sensitive|urgent)\b"),
            cue("policy-ends", r"\bwhen (?:is |does |will )?(?:your|the|that|this) (?:\w+ )"
                               r"?(?:current )?"
                               r"(?:policy|coverage|plan|term|renewal|auto|car|home|house|lease|"
                               r"renters|umbrella) (?:renew|renews|end|ends|start|starts|begins|"
                               r"expire|expires|run out|runs out|is up|come up|comes up|lapse|"
                               r"lapses|kicks? in|hits|up for renewal|due for renewal|is due)\b"),
            cue("date-starts", r"\bthe date (?:your|the) (?:\w+ )?(?:lease|policy|coverage|"
                               r"renewal|closing|loan|plan) (?:starts|begins|renews|ends|expires|"
                               r"closes|kicks in)\b"),
            cue("how-much-time", r"\bhow much time (?:do|have|did) (?:we|you|i) (?:have|got)\b"
                                 rf"|\bhow much {DURATION}\b(?! (?:do|would|"
                                 r"did) you (?:spend|drive|commute|work|take off)\b)"
                                 r"|\bhow long (?:have|do) (?:we|you) (?:got|have|got left) "
                                 r"(?:till|until|before|til)\b|\bhow long (?:we|you) (?:got|have) "
                                 r"(?:till|until|before)\b"),
            cue("when-in-place", r"\b(?:renewal|closing|expiration|move.in|start|effective|cutoff|"
                                 r"deadline|last|lease|renewal date|closing date|move date)"
                                 r"(?: date| day)? (?:is|was|would be|is going to be) when\b"),
            cue("renewal", r"\bwhen (?:is|does|will) (?:your|the|that|this) (?:current )?(?:policy|"
                           r"renewal|coverage|plan|other offer|offer|quote|term) (?:renew|come up|"
                           r"expire|end|due|kick|start|lapse|up)\b|\bwhen is (?:your|the) "
                           r"(?:renewal|renewal date|expiration|expiry)\b|\bhow long (?:till|until|"
                           r"before) (?:your|the) (?:renewal|policy|current)\b|\bwhen (?:your|the) "
                           r"(?:current )?policy renews\b|\bwhen does (?:your|the|that) "
                           r"(?:current )?(?:policy|coverage|plan) renew\b|\bis the renewal "
                           r"(?:close|soon|coming)\b"),
            cue("before-then", r"\b(?:want|need|like) (?:this|it|that|everything) (?:wrapped up|"
                               r"done|in place|sorted|handled|finished|settled|bound|active) "
                               r"(?:before|by)\b"),
            cue("need-it-now", r"\b(?:do|will|would) you need (?:this|it|coverage|the coverage|the "
                               r"policy|that|something|cover)\b.{0,30}\b(?:today|now|this week|"
                               r"right "
                               r"away|asap|immediately|soon|tomorrow|quickly|by)\b"),
            cue("need-handled", r"\byou need (?:this |it |that |something |coverage )?(?:handled|"
                                r"done|sorted|in place|finished|bound|fixed|resolved|wrapped up|"
                                r"taken care of)\b.{0,20}\b(?:today|now|this week|soon|right away|"
                                r"asap|tomorrow|by)\b"),
            cue("today-or-wait", r"\b(?:today|now|this week)\b.{0,20}\bor (?:can|could) (?:it|this)"
                                 r" wait\b|\bcan (?:it|this) wait\b"),
        ),
        values=(
            rx(r"\b(?:by|before) (?:the |your |this |next )?(?:\d+(?:st|nd|rd|th)?|monday|"
               r"tuesday|wednesday|thursday|friday|saturday|sunday|renewal|end of|weekend)\b"),
            rx(r"\btime.sensitive\b|\b(?:no|not in a|in a) (?:big )?(?:rush|hurry)\b|"
               r"\burgent(?:ly)?\b|\basap\b|\bin place by\b"),
            rx(r"\byou (?:need|want) (?:this|it|coverage|an answer|answer)\b.*\b(?:this week|today|"
               r"this month|soon|tomorrow)\b"),
            rx(r"\b(?:renewal|policy) is (?:due|up) in\b|\bdue in \d+ days\b|\b\d+ days\b.*"
               r"\brenewal\b"),
        ),
        disqualify=(
            # a past event's time or a speed is not the caller's deadline
            rx(r"\bhow fast (?:were|was|are|is) (?:you|they|he|she|it|the \w+) (?:going|driving)\b"
               r"|\bwhen (?:was|were) (?:the|that|your) (?:ticket|accident|claim|loss|crash|"
               r"fender bender|break.in|theft|storm)\b"
               r"|\bwhen (?:exactly )?did you (?:quit|stop smoking|give (?:it|them) up)\b"),
            rx(r"\bwhen (?:did|was|were|is the last|had)\b(?!.*\b(?:need|want)\b)"),
            rx(r"\bno rush on my (?:end|side)\b|\btake your time\b"),
        ),
        question_confirms=False,
    ),
    "referral_source": FieldRules(
        cues=(
            cue("how-hear", r"\bhow (?:did |do |had |would |have )?(?:you )?(?:first |originally |"
                            r"initially |ever |actually |end up |ended up |happen to |come to |"
                            r"get to )?(?:hear|heard|hearing|find|found|finding|learn|learned|"
                            r"come across|came across|stumble|stumbled|get|got|come|came|know|"
                            r"knew|discover|discovered|end up|ended up|wind up)(?: \w+){0,2}? "
                            r"(?:about |onto |upon |to |with |on |across )?(?:us|our|harbor|this "
                            r"agency|the agency|our agency|this office)\b"),
            cue("land-on-us", r"\bhow (?:did |do )?you (?:land|landed|stumble|stumbled|come) "
                              r"(?:on|onto|upon|across|to) us\b|\bhow (?:did |do )?you find your "
                              r"way to us\b|\bif (?:anyone|someone|somebody|a friend) (?:referred|"
                              r"sent|recommended|pointed) you\b"),
            cue("how-end-up", r"\bhow (?:did |do )?you (?:end up|wind up|come to be|happen to) "
                              r"(?:calling|with|contacting|reaching|finding|here)\b"),
            cue("kind-enough", r"\b(?:someone|somebody|anyone|a friend) (?:kind enough )?to "
                               r"(?:refer|"
                               r"send|recommend)\b|\bwhere did you get our (?:number|name|info)\b"),
            cue("who-referred", r"\bwho (?:first |originally )?(?:referred|sent|recommended|told|"
                                r"pointed|directed|steered|mentioned|passed)\b(?! (?:the|a|an|"
                                r"this|that|it)\b)(?! you (?:the|a|an|this|that|those|these)\b)"
                                r"|\bwho (?:should i|do i have to|can i|do i) "
                                r"thank\b"),
            cue("someone-referred", r"\b(?:did|has|was it|was there) (?:someone|somebody|anyone|a "
                                    r"friend|a family member|an agent|a neighbou?r|a coworker|a "
                                    r"relative) (?:who )?(?:refer|send|sent|recommend|tell|told|"
                                    r"mention|point|pass)\b"),
            cue("where-hear", r"\bwhere (?:did|do|had|would)? ?(?:you )?(?:first )?(?:see|saw|hear|"
                              r"heard|find|found|get|got|come across|learn|learned) (?:about )?"
                              r"(?:us|our|about us|harbor)\b"),
            cue("was-it", r"\bwas it (?:a |an |the |through |from |via |our )?(?:friend|referral|"
                          r"website|web|internet|online|google|search|ad|advert|mailer|postcard|"
                          r"social media|facebook|instagram|someone|somebody|tv|radio|billboard|"
                          r"event|agent|family)\b"),
            cue("radar", r"\b(?:put|got|brought) us on your radar\b|\bon your radar\b"),
            cue("choose-us", r"\bwhat (?:made|led|brought|got) you (?:to )?(?:choose|pick|go with|"
                             r"decide on|settle on) us\b|\b(?:instead of|rather than|over)"
                             r" (?:another|other|a "
                             r"different) (?:agenc|company|office|broker)"),
        ),
        values=(
            rx(r"\b(?:referred|recommended) you\b|\b(?:sent|send) you (?:our|my) way\b|"
               r"\bfound us\b|\bcame in (?:from|through)\b|\bmailer\b|\bgoogle\b|\bfacebook\b|"
               r"\bword of mouth\b|\bpostcard\b|\bonline search\b|\bsocial media\b"),
            rx(r"\b\w+ referred you\b|\b(?:told|sent) you (?:about us|over|our way)\b"
               r"|(?<!who )\b(?:sent|referred|recommended) you\b"
               r"|\bexisting (?:customer|client)\b|\balready (?:a )?(?:customer|client)\b"),
        ),
        disqualify=(rx(r"\bwho (?:referred|sent) (?:the|a|this|that)\b"),),
        alternatives=(
            (
                "source-or",
                rx(rf"\b{_SOURCES}\b.{{0,12}}\bor\b.{{0,15}}\b(?:{_SOURCES}|a friend|someone|"
                   r"somebody|a referral|word of mouth)\b"),
            ),
        ),
    ),
    "preferred_next_action": FieldRules(
        cues=(
            cue("how-want", r"\bhow (?:do |did |would |will )?you (?:would |do )?(?:like|want|"
                            r"wanna|wish|prefer|rather)\b(?! to (?:pay|split|structure|be billed|"
                            r"handle the payment|set up the payment))(?! (?:your|the) (?:name|"
                            r"business name) to\b)"),
            cue("good-time", r"\b(?:a |any )?(?:good|best|better|convenient) time(?: of (?:the )"
                             r"?day)? "
                             r"(?:for (?:me|us) )?to (?:call|reach|follow|get back|contact|"
                             r"text|telephone|phone|ring|catch)\b"),
            cue("channel-list", rf"\b(?:call|email|text)\b(?:,? (?:or )?(?:{_CHANNEL})\b)"
                                rf"{{1,3}}(?:,? "
                                r"or what(?: works)?)?"),
            cue("how-follow-up", r"\bhow (?:would|should|do|can|shall|will) (?:i|we) (?:best )?"
                                 r"(?:follow up|get back to you|update you|keep you (?:posted|"
                                 r"updated)|send (?:it|this|that|the \w+|you)|get (?:it|this|that|"
                                 r"them|the \w+(?: \w+)?) to you)\b"),
            cue("what-next", r"\bwhat (?:would|do|did) you (?:like|want|wanna)(?: (?:me|us))? to "
                             r"(?:do|happen)\b(?! (?:for|about|with) (?:you|the|your)\b(?! (?:\w+ )"
                             r"?"
                             r"(?:next|after|then|from here|now)\b))"),
            cue("next-step", r"\b(?:next steps?|way forward|from here|go from here|move forward|"
                             r"moving forward|go forward|take (?:this|it|things) forward|proceed|"
                             r"go next)\b"),
            cue("suitable-time", r"\b(?:which|what) time (?:is|would be|will be) (?:suitable|"
                                 r"convenient|good|best|better|easiest|okay|ok)\b"
                                 r"|\bwhen (?:do|would) you (?:want|like) (?:me|us) to (?:reach|"
                                 r"call|get back|follow|circle back|text|email|contact|check)\b"
                                 r"|\b(?:do|would) you (?:want|like|prefer) (?:me|us) (?:calling|"
                                 r"emailing|texting)\b"),
            cue("what-time", r"\bwhat time\b.{0,25}\b(?:is|would be|works|is it) (?:good|best|"
                             r"better|"
                             r"easiest|convenient)\b|\bwhen is (?:good|best|better|a good time|"
                             r"easiest|convenient)\b(?! for (?:the|an?) (?:inspector|adjuster|"
                             r"contractor|appraiser|technician|plumber|roofer|exam|inspection|"
                             r"nurse|paramedical)\b)|\b(?:call|email|text|letter|zoom|phone|mail)\b"
                             r".{0,15}\b(?:better|"
                             r"best|easier|preferable) for you\b|\bwhat is (?:a )?good time\b|\b"
                             r"best time\b|\bwhen (?:are|is)"
                             r" (?:you|it) (?:usually |normally |generally )?(?:free|available|"
                             r"around|home|easiest to reach|best to reach)\b|\b(?:morning|"
                             r"afternoon|"
                             r"evening|weekday|weekend)s? or (?:the )?(?:morning|afternoon|evening|"
                             r"weekday|weekend)s?\b"),
            cue("best-way", r"(?<!number )(?<!phone )(?<!still the )(?<!still )"
                            r"\b(?:best|easiest|preferred|right|good|better) way (?!.*\b"
                            r"(?:by phone|phone number|"
                            r"number|cell)\b)(?:for (?:me|us) )?(?:(?:you would like|you want|you "
                            r"would prefer|you prefer) (?:me|us) )?(?:to|for) "
                            r"(?:follow up|get back|reach|contact|send|get (?:\w+ ){0,4}to you|"
                            r"follow|"
                            r"update|keep you|share|deliver|get in touch)\b"),
            cue("best-time", r"\b(?:best|good|better|convenient|easiest) (?:time|day|days|times) "
                             r"(?:to|for (?:me|us) to|for (?:a|the)) (?:reach|call|contact|follow|"
                             r"get back|meet|call back|text|catch)\b|\bwhen is a good time "
                             r"to (?:follow up|call|reach|talk)\b|\bwhen (?:would|should|can|is "
                             r"it good for) (?:i|me) (?:to )?(?:get back to|call|follow up|"
                             r"reach)\b|\bwhen (?:would|do) you (?:like|want) (?:me|us) to\b"
                             r""),
            cue("prefer", r"\b(?:what|how|which) you (?:would )?prefer\b|\b(?:would|do) you "
                          r"(?:prefer|rather)\b"
                          r"(?! (?:to )?(?:keep|raise|lower|drop|increase|decrease|trim|stick|go "
                          r"with|leave|bump|have (?:a|the) (?:higher|lower)))(?!.*\b(?:number|"
                          r"phone|cell|email|"
                          r"address|paperless|billing|autopay|payment|pay|paper|electronic|"
                          r"statements?|monthly|annual|deductible)\b)|\bwhat (?:would )"
                          r"?you prefer\b"
                          r"|\bwhat is (?:better|best|easier) for you\b|\bwhat works (?:best|"
                          r"better) "
                          r"for you\b|\bwhat would you like to walk away with\b|\bwhich (?:do|"
                          r"would) you prefer\b"),
            cue("channel-or", rf"\b(?:{_CHANNEL}|phone|in person|appointment|meeting|meet|quote|"
                              r"apply|application|sit down|inbox|emailed|mailed)\b.{0,50}\bor\b"
                              rf".{{0,30}}\b(?:{_CHANNEL}|phone|in person|appointment|meeting|"
                              r"think it over|apply|application|inbox|emailed|mailed|over the "
                              r"phone)\b"),
        ),
        values=(
            rx(r"\b(?:you said you|you wanted|you would like|you still want|you asked for|"
               r"you prefer|you would prefer|you would rather|the assistant said you|you want)\b"
               r".*\b(?:appointment|call ?back|callback|meeting|quote|application|email|meet|"
               r"sit down|call you|text)\b"),
            rx(r"\b(?:a |the )?(?:call ?back|callback|appointment|meeting|sit.down|quote by email|"
               r"call) (?:tomorrow|today|tonight|this|next|on|at|in the|once|when|after)\b"),
            rx(rf"\b(?:{_CHANNEL}|appointment|meeting|quote by email|call back)\b.{{0,40}}\b(?:is|"
               r"are|works?|either|both)\b.{0,20}\b(?:fine|good|okay|ok|best|either|works?)\b"),
        ),
        disqualify=(
            rx(r"\b(?:which|what) (?:number|phone|email|e-mail|address|cell)\b"),
            rx(r"\bhow would you (?:feel|like to pay)\b|\bmonthly or annual\b|\b(?:monthly|annual|"
               r"annually|quarterly) (?:or|and)\b"),
        ),
        question_confirms=False,
    ),
    "reason_for_call": FieldRules(
        cues=(
            cue("how-help", r"\bhow (?:can|may|could|might|shall) (?:i|we) (?:help|assist|be of "
                            r"help|be of service)\b(?! (?:you )?(?:with anything else|further|"
                            r"else|today with anything))"),
            cue("what-can-i-do", r"\bwhat (?:can|may|could|shall) (?:i|we) (?:do for you|help "
                                 r"(?:you"
                                 r" )?with|assist (?:you )?with|help you|do to help)\b"
                                 r"|\bwhat is it (?:that )?(?:i|we) can (?:help|do)\b"),
            cue("what-brings", r"\bwhat (?:brings|brought|is bringing|prompted|prompts|made|got|"
                               r"led|"
                               r"leads|has got) you (?:to us|in|here|to call|to reach out|calling|"
                               r"to harbor|to contact|our way|to the phone)\b"
                               r"|\bwhat (?:brings|brought|prompted|prompts) (?:you|your call|the "
                               r"call)\b"),
            cue("what-was-it", r"\bwhat (?:was it|is it) that (?:that )?(?:made|got|led|prompted|b"
                               r"rought) "
                               r"you\b|\bwhat (?:is|was) (?:the|your) requirement\b"),
            cue("what-for", r"\bwhat is (?:the|this) (?:life insurance|life policy|policy|coverage"
                            r") "
                            r"for\b(?! (?:the|your) (?:house|home|car|auto|business)\b)"),
            cue("what-made", r"\bwhat (?:made|got|led|prompted|pushed|drove|inspired|has got|is "
                             r"getting|caused|makes) you (?:to )?(?:want|decide|look|looking|think|"
                             r"thinking|shop|shopping|call|fill|start|reach|interested|worried|"
                             r"consider|search|switch|come|contact|concerned|ask)\b"
                             r"|\bwhat (?:has|is) got you\b|\bwhat got you\b"),
            cue("on-your-mind", r"\bwhat is on your mind\b|\bwhat is (?:the|your) (?:concern|worry|"
                                r"question)\b(?! (?:about|with) (?:the )?(?:price|quote))|\b"
                                r"what (?:do|did)"
                                r" you need (?:the \w+ for|done|help with|us to do|me to do)\b|\b"
                                r"what "
                                r"(?:are|were) you hoping (?:we|i) (?:can|could) do\b|\b(?:may|can)"
                                r" i "
                                r"know what you (?:want|need|would like)\b|\bwhat (?:exactly )"
                                r"?(?:the|"
                                r"your) (?:mortgage company|lender|bank|carrier|underwriter|"
                                r"adjuster|"
                                r"letter) (?:told|said|says|wants|asked)\b|\bwhat you (?:want|need)"
                                r" "
                                r"to do with the policy\b"),
            cue("going-on", r"\bwhat is (?:going on|happening|up|the (?:issue|problem|matter|"
                            r"situation|story|deal|concern|trouble|question|goal))\b|\bwhat seems "
                            r"to be\b|\bwhat happened\b(?! to (?:the|your|it|that|him|her)\b| after"
                            r"\b| when\b| during\b| in the accident\b| next\b)|\bwhat (?:is|was)"
                            r" (?:wrong|the problem)\b"
                            r"|\bwhat went wrong\b|\bwhat is the (?:issue|problem) "
                            r"(?:with|exactly)"),
            cue("walk-through", r"\b(?:walk me through|tell me (?:a bit |a little |more )?about|"
                                r"explain"
                                r"(?: me)?|talk me through)\s+(?:the|your|what the|what your) "
                                r"(?:business|bakery|shop|store|problem|issue|situation|claim|"
                                r"renewal|"
                                r"charge|app|login|letter|mortgage|move|increase|bill|lender)\b"
                                r"|\bwhat is the (?:business|bakery|shop) (?:going to be|gonna be|"
                                r"about)\b"),
            cue("what-happens", r"\bwhat happens (?:when|if) you\b|\bwhat is (?:prompting|driving|"
                                r"behind|motivating)\b|\bwhat (?:has|is) happened\b|\bthe reason "
                                r"(?:you|why you)\b"),
            cue("why-change", r"\bwhy (?:do |did |would )?you (?:want|wanted|would like|are "
                              r"looking|"
                              r"are thinking about|decided) to (?:change|switch|leave|cancel|move|"
                              r"shop|drop)\b"),
            cue("why-calling", r"\b(?:what|why) (?:are|were) you calling\b|\bwhy (?:did|do) you "
                               r"(?:call|reach out|contact)\b|\bwhy you (?:called|are calling|call|"
                               r"reached out)\b|\breason (?:for|of|behind) (?:your|the|this|you) "
                               r"(?:call|calling)\b|\bthe reason you (?:called|are calling)\b"),
            cue("hoping-to", r"\bwhat (?:are|were|was|is) (?:you|we) (?:hoping|looking|trying|"
                             r"wanting|aiming|needing|wanted) (?:to|for)\b(?! (?:insure|cover|"
                             r"pay|spend|budget)\b)|\bwhat are you hoping this\b|\bwhat did you "
                             r"(?:want|need|hope) to (?:talk|ask|discuss|chat|get done|do|get "
                             r"(?:sorted|fixed|taken care of|handled|resolved|looked at))\b"),
            cue("tell-me", r"\b(?:tell me|talk to me|fill me in|walk me through|explain|hear)\b"
                           r".{0,40}\b(?:what is going on|what happened|what is up|why you|what "
                           r"you (?:need|want|are after|are looking for|wanted|needed)|the "
                           r"situation|in your own words|more about why|what is the thing|what "
                           r"is happening|what the (?:issue|problem) is|on (?:the|your) (?:renewal|"
                           r"claim|charge|bill|"
                           r"letter|situation|problem|issue|increase|premium|cancellation)|the "
                           r"whole (?:story|"
                           r"picture|thing))\b|\btalk to me\b|\bin your own words\b"),
            cue("want-to-know", r"\bwhat (?:is|was) (?:the thing|it) (?:that )?you (?:want|wanted|"
                                r"need|needed) (?:to know|to ask|help with)\b"),
        ),
        values=(
            rx(r"\byou (?:are|were) calling (?:about|because|to|regarding|for)\b|"
               r"\byou (?:want|would like|are looking|need) to\b|\bcalling about\b|"
               r"\b(?:so|and) you (?:want|need) (?:a|an|the|someone|somebody)\b|"
               r"\bsounds like you\b|\bnotes say you want\b|\bthe reason you call\b"
               r"|\bthis is (?:for|about) (?:the|your|a)\b"),
        ),
        disqualify=(
            rx(r"\banything else\b|\bwhat else\b|\bsomething else\b|\binstead of\b|\brather than "
               r"(?:another|other|a different)\b"),
            # "hey, what's up, Terrence": a greeting
            rx(r"^(?:hey|hi|hello|yo|oh)(?: there)?,? what is up\b(?! with\b)"),
        ),
        question_confirms=False,
    ),
}

RULES: dict[str, FieldRules] = {**_INTAKE_RULES, **QUOTE_RULES}
"""Every field's rules, keyed by field name."""
# fmt: on
