"""Rule tables for the fields a producer needs to quote: product interest, date of birth,
state, coverage amount, current coverage and tobacco use (see :mod:`roleplay.rules` for the
intake fields and what each part of a :class:`~roleplay.rules_base.FieldRules` means).
"""

from __future__ import annotations

from roleplay.rules_base import DURATION, MONTHS, US_STATES, FieldRules, cue, rx

_PRODUCTS = (
    r"(?:term(?: life)?|whole(?: life)?|universal(?: life)?|auto|car|cars|home|homeowners?|"
    r"renters?|life|umbrella|medicare|condo|landlord|both|just one|just the \w+|the \w+ only|"
    r"house|vehicle|vehicles|truck|boat|motorcycle|business|"
    r"the bundle|bundle|bundling|separate)"
)
# Things whose worth is not the amount to insure asked here (a vehicle's value, a premium).
_NOT_THE_AMOUNT = (
    r"(?:car|cars|truck|vehicle|boat|jewelry|ring|roof|business|premium|policy|plan|job|work|"
    r"square|rent)"
)
# A state's licence, plates or title is not where the caller lives.
_NOT_HOME = r"(?:license|licence|plates?|tags?|registration|title|one)\b"
_AMOUNT_WORDS = (
    r"(?:coverage|cover|covered|insured|insure|insurance|dwelling|death benefit|face amount|"
    r"benefit|"
    r"protection|for the family|to leave|in coverage|policy size|limits?|liability|umbrella|"
    r"general liability|for the coverage|on the form|on the policy|life)"
)

# fmt: off
QUOTE_RULES: dict[str, FieldRules] = {
    "product_interest": FieldRules(
        cues=(
            cue("what-kind", r"\b(?:what|which) (?:kinds?|types?|sorts?|lines?) of (?:life )?"
                             r"(?:insurance|policy|policies|plan|coverage|product|cover|"
                             r"protection)\b(?! (?:do|did) you (?:have|carry|currently)\b"
                             r"(?! in mind))"
                             r"(?! amount| limit)"),
            cue("which-product", r"\bwhich (?:product|policy|policies|plan|line|one|coverage)s?\b"
                                 r"(?=.*\b(?:want|interested|looking|quote|thinking|bundle|after|"
                                 r"talk|for|leaning|mind|hoping)\b)(?!.*\b(?:the car|the claim|"
                                 r"charged|card)\b)"),
            cue("what-product", r"\bwhat (?:product|products|line|kind of coverage|type of coverag"
                                r"e)"
                                r" (?:are|were) you (?:interested|looking|after|wanting)\b"
                                r"|\bwhat (?:kind|type|sort) of quote (?:are |were )?you (?:are "
                                r")?(?:looking|after|wanting|needing|hoping)\b"),
            cue("interested-in", r"\bwhat (?:are|were) you (?:interested in|looking (?:to|at) "
                                 r"(?:insure|cover|get)|wanting to insure|hoping to (?:insure|"
                                 r"cover|"
                                 r"get (?:covered|insured|a quote|coverage|insurance|a policy)))\b|"
                                 r"\bwhat (?:are|were) you (?:looking|shopping) for\b"),
            cue("policy-about", r"\bwhat (?:policy|product|coverage) are we talking about\b"),
            cue("bundle-which", r"\bwhich (?:policies|ones|lines) (?:you would|would you|you) "
                                r"(?:want|like) to bundle\b|\b(?:thinking of|looking at|want(?:ing)"
                                r"?"
                                r" to) (?:bundling|bundle)\b.{0,60}\bor\b"),
        ),
        values=(
            rx(r"\b(?:term(?: life)?|whole life|universal life|life insurance|homeowners?|"
               r"home insurance|renters|auto (?:policy|insurance)|umbrella|"
               r"medicare(?: supplement| advantage)?|final expense|disability|"
               r"long.term care)\b"),
        ),
        disqualify=(
            rx(r"\b(?:carry|carrying|have got|currently have|with us|besides|anything else|"
               r"already have|do you have now|you have now|on file)\b"),
            rx(r"\bwhat (?:kind|type|sort) of (?:home|house|building|dwelling|construction|"
               r"foundation|siding|car|vehicle|roof|business|equipment|work|heating|"
               r"questions|budget|deductible|payment)\b"),
        ),
        alternatives=(
            ("product-or", rx(rf"\b{_PRODUCTS}\b.{{0,50}}\bor\b.{{0,30}}\b{_PRODUCTS}\b"
                              r"|\b(?:term|whole|permanent|general liability|package)\b.{0,20}\bor "
                              r"(?:permanent|term|whole|the package|you not sure|not sure)\b"
                              r"|\b(?:both|all) (?:the \w+ and the \w+|lines|policies|of them)\b"
                              r".{0,30}"
                              r"\bor (?:only|just) (?:one|the)\b"
                              rf"|\b{_PRODUCTS}(?: insurance| policy| coverage)?\b.{{0,30}}\bor "
                              r"something else\b|\b(?:thinking of|looking at|want(?:ing)? to) "
                              r"(?:bundling|bundle)\b.{0,60}\bor\b")),
        ),
        question_confirms=False,
    ),
    "date_of_birth": FieldRules(
        cues=(
            cue("dob", r"\b(?:date of birth|birth ?date|birthday|dob|d o b|bday|b-day|birth "
                       r"day)\b(?! (?:party|present|gift|card|discount))"),
            cue("age", r"(?<!roof )(?<!house )(?<!home )(?<!car )\bage\b(?! (?:of|\d|group|"
                       r"limit|range|requirement|discount)\b)(?<!\bat age)(?<!\bbefore age)"
                       r"(?! (?:is|was) (?:the|your|that|this) (?:\w+ )?(?:roof|house|home|car|"
                       r"building|furnace|water heater|boiler|truck|vehicle|policy)\b)"),
            cue("when-born", r"\b(?:when|what year|what day|what date|which year|what month) "
                             r"(?:were|was|are) you born\b|\b(?:when|what year) you were born\b"
                             r"|\byear you were born\b|\byou were born when\b|\bwhere and when "
                             r"were you born\b"),
            cue("how-old", r"\bhow old (?:are|will|were|would) you\b|\bhow old you (?:are|were|"
                           r"will be)\b|\bhow old did you say\b|\byour age\b"),
        ),
        values=(
            rx(rf"\b(?:born|birthday|date of birth|dob)\b.*(?:\b(?:{MONTHS})\b|"
               r"\d{1,2}/\d{1,2}/\d{2,4}|\b(?:19|20)\d{2}\b)"),
            rx(r"\byou are (?:\d{2})\b(?! (?:minutes|days|percent|thousand|k\b))"),
        ),
        disqualify=(rx(r"\bhappy (?:early )?birthday\b"),),
    ),
    "state": FieldRules(
        cues=(
            cue("what-state", r"\b(?:what|which) state\b|\bwhereabouts (?:are|do) you\b|\bthe "
                              r"state "
                              r"of the (?:house|home|property|business|bakery|shop)\b|\bwhere are "
                              r"you (?:now|these days|at)\b"),
            cue("where-live", r"\bwhere (?:do|did|are) you (?:currently |now )?(?:live|living|"
                              r"reside|residing|stay|staying|located|based|calling from|from)\b"
                              r"|\bwhere is (?:the|your) (?:house|home|property|place|car|building)"
                              r" "
                              r"(?:located|at|registered|kept)\b"
                              r"|\bwhere you (?:currently )?(?:live|are living|reside|are "
                              r"located|are based)\b|\bwhere is home\b|\bstate.wise\b"),
            cue("and-state", r"(?:\b(?:and|or)|,) (?:your |the )?state\b(?! (?:of|farm|requires?|"
                             r"law))"),
            cue("the-state", r"\bthe state\b(?! (?:of|farm|requires?|law|minimum|says|allows|"
                             r"department|you|where|that|did|was))", "no-yn"),
            cue("your-state", r"\byour (?:home |current )?state\b(?! (?:farm|insurance|of mind|"
                              r"id\b|license|disability))|\bthe state (?:you|where you|that you)"
                              r" (?:live|are|reside|are living|are in|currently)\b|\bstate of "
                              r"residence\b"),
        ),
        alternatives=(
            # "you're in Ohio or Indiana?", "still living in South Dakota or did you move ...":
            # a choice of where the caller lives asks it
            ("states-or", rx(rf"\b(?:{US_STATES})\b(?! {_NOT_HOME})[^.?!]{{0,40}}\bor\b"
                             rf"[^.?!]{{0,40}}\b(?:{US_STATES})\b(?! (?:mutual|farm|general|"
                             rf"casualty|life)\b)(?! {_NOT_HOME})")),
            ("moving-or", rx(
                rf"\b(?:live|living|in|based|reside|residing) (?:in )?(?:{US_STATES})\b"
                r"[^.?!]{0,30}\bor (?:are you |did you |have you |you |y'?all )?(?:already )?"
                r"(?:mov\w*|coming (?:over|down|up|in) from|relocat\w*)\b"
            )),
        ),
        values=(rx(rf"\b(?:{US_STATES})\b(?! (?:mutual|farm|general|casualty|life))"),),
        disqualify=(
            rx(r"\bstate\b.{0,40}\b(?:when you (?:bought|got|purchased|sold)|did you buy|happen|"
               r"happened|occurred)\b"),
            rx(r"\bstate (?:did|does|was|is|were) (?:the |your |that |this )?(?:accident|claim|"
               r"loss|incident|crash|wedding|trip|ticket|marriage|car bought|purchase)\b"),
            rx(r"\b(?:what|which) state (?:did|was|were) (?:the|it|that|you) (?:happen|occur|"
               r"buy|bought|purchase|get married|travel|move|moved|come from|came from|grow up|"
               r"grew up|live before|used to|go to|study)\b|\blicensed in\b|\ball (?:50|fifty) "
               r"states\b|\bstate farm\b|\bstate (?:law|requires|required|minimum|minimums)\b"),
        ),
    ),
    "coverage_amount": FieldRules(
        cues=(
            cue("how-much", rf"\bhow much\b(?! {DURATION}\b)"
                            rf"(?:(?!deductible|premium|budget|monthly|a month|per "
                            rf"month|paying|cost|charg|price|quote|offer).)"
                            rf"{{0,40}}\b{_AMOUNT_WORDS}\b"
                            r"(?!.{0,25}\b(?:you (?:got|have) (?:now|through|from|with)|through "
                            r"(?:work|the job|your job)|from (?:your )?(?:work|job|employer)))|\b"
                            r"how much (?:are|were|"
                            r"did) (?:we|you) (?:thinking|talking|looking|want|wanted|need|"
                            r"leaning)\b(?!.{0,25}\b(?:monthly|a month|per month|premium|budget|"
                            r"pay|spend|afford))|\bhow much (?:do|did|would) you (?:want|need|"
                            r"like) (?:to leave|for)\b"),
            # the value of the caller's belongings is the amount to insure them for
            cue("worth", rf"\b(?:what|how much)\b(?:(?!\b{_NOT_THE_AMOUNT}\b)[^.?!])"
                         r"{0,50}\b(?:(?:is|are|was|would be|be|s) worth|cost to replace|take to "
                         r"replace|run to replace|(?:cost|take|run) you to replace|replacement "
                         r"(?:cost|value))\b"),
            cue("worth-what", rf"\bwhat (?:is|are|was|s|would be) (?:the |your |all |it |that |"
                              rf"those |these )?(?:(?!{_NOT_THE_AMOUNT}\b)[\w']+ ){{0,3}}?(?:all )?"
                              r"worth\b"
                              r"|\bwhat(?: does| do| would| is| s)? (?:it|that|they|this|"
                              r"everything|all (?:of )?(?:it|that)) (?:all )?adds? up to\b"),
            cue("want-carry", r"\bwhat (?:would|do|did) you (?:want|wanna|like) to (?:carry|go up "
                              r"to|land (?:at|on)|insure (?:it|them|the \w+|your \w+) for)\b"
                              r"|\bwhere (?:would|do|did) you (?:want|wanna|like) to land\b"
                              r"|\bwhat number feels right\b|\bdollar.wise\b"
                              r"|\bhow much (?:are )?you (?:are )?thinking\b"),
            cue("what-number", r"\b(?:what|which) (?:kind of |sort of )?number (?:are we|were we|"
                               r"we are|did you have in mind|do you have in mind|you have in mind|"
                               r"(?:are|were) you thinking|you thinking)\b|\b(?:kind|sort) of "
                               r"number\b|\b(?:rough|ballpark|round) number (?:for|on)\b"),
            cue("amount-noun", r"\b(?:dwelling|liability|coverage|auto|policy|bodily injury|"
                               r"benefit|face)(?: coverage)? (?:amounts?|limits?)\b|\b(?:face "
                               r"amount|death benefit|amount of (?:coverage|cover|insurance)|"
                               r"coverage amount|dwelling coverage|dwelling limit|limits wise|"
                               r"(?:coverage|limits?|amount)[- ]?wise)\b"
                               r"|\bwhat amount\b|\bwhat limits\b|\b(?:your|the) (?:current |"
                               r"existing |present |auto |"
                               r"liability )+limits\b|\blimits (?:on|you|for|do you|"
                               r"are you)\b|\bthe limits\b|\byour limits\b|\b(?:and )?dwelling\b"
                               r"(?! (?:is )?(?:made|built|constructed|type|style|itself))"),
            cue("insured-for", r"\b(?:home|house|dwelling|property|place|it)(?: is| are|'s)? "
                               r"insured for\b|\bwhat (?:the|your) (?:home|house) is (?:insured|"
                               r"covered) for\b"),
            cue("number-in-mind", r"\bnumber\b.{0,25}\b(?:in mind|in your head|you are thinking|"
                                  r"you were thinking)\b"),
            cue("policy-for", r"\bhow much (?:you would like|you want|do you want|would you like|"
                              r"you "
                              r"need) (?:the|your) (?:policy|coverage|benefit|death benefit)"
                              r" to be\b"),
            cue("how-big", r"\bhow (?:big|large) (?:a|of a) (?:policy|benefit)\b"),
            cue("limits-choice", r"\b(?:keep|go up on|raise|lower|increase|bump) (?:the |your )?"
                                 r"(?:same )?(?:limits|coverage|liability)\b|\b(?:keep the same "
                                 r"limits|same limits) or\b|\b(?:a |one |two )?(?:million|mil)\b"
                                 r".{0,30}"
                                 r"\bor\b.{0,20}\b(?:two|three|one|a|\d)(?: million| mil)?\b|\b"
                                 r"what "
                                 r"are we looking at for coverage\b|\bhow much did you put on the "
                                 r"form\b|\bor (?:were|are) you thinking (?:lower|higher|more|less|"
                                 r"\d|two|three|a million)\b|\bor go up\b"),
        ),
        alternatives=(
            ("limits-or", rx(r"\bor (?:do|did|would) you (?:want|like|wanna) (?:to )?(?:look at |g"
                             r"o |"
                             r"consider |bump (?:it |them )?|raise (?:it |them )?)(?:a bit |some )?"
                             r"(?:higher|lower|more|less|up|down)\b(?! (?:deductible|premium))|"
                             r"\bor (?:were|are) you thinking (?:lower|higher|more|less|\d|two|"
                             r"three|"
                             r"a million)\b|\bor (?:go|going) (?:up|down|higher|lower)\b|\b(?:keep "
                             r"the "
                             r"same limits|same limits) or\b|\b(?:a |one |two )?(?:million|mil)\b"
                             r".{0,30}\bor\b.{0,20}\b(?:two|three|one|a|\d)(?: million| mil)?\b")),
        ),
        values=(
            rx(r"\$\s?\d{2,3}(?:,\d{3})+|\$\s?\d+\s?(?:k|thousand|million)\b"),
            rx(r"\b\d{2,3}k\b|\b(?:half a|a|one|two|quarter) million\b|"
               r"\b\d{2,3},000\b"),
        ),
        disqualify=(
            rx(r"\bhow much (?:do |did |are |would )?you (?:pay|paying|spend|spending)\b"),
            rx(r"\b(?:credit card|card|deductible|budget|premium|monthly|a month|per month|"
               r"mortgage left|left on the mortgage|square f(?:ee|oo)t|of the house is)\b"
               r"(?!.*\b(?:coverage|dwelling|limits)\b)"),
            rx(r"\b(?:the other|their|that other|the competing|the cheaper|the old|the previous) "
               r"(?:quote|company|offer|carrier|policy|insurer)\b(?!.{0,30}\b(?:you|your) (?:want|"
               r"need|have|carry)\b)"),
        ),
    ),
    "current_coverage": FieldRules(
        cues=(
            cue("who-with", r"\bwho (?:are|is|were|was)(?: you| your \w+(?: \w+)?| the \w+(?: \w+)?"
                            r"| it| that| they)? (?:currently |now |right now )?(?:insured|covered|"
                            r"with|through)\b|\bwho (?:do|did) you have (?:your |the |that |it "
                            r")?(?:\w+ ){0,3}?with\b|\bwho (?:has|has got|is got|got|insures|"
                            r"covers) (?:you|your|the)\b|\bwho (?:insures|is insuring|is covering"
                            r"|covers)\b|\bwho with\b"
                            r"|\bwho you (?:have|got) (?:your |the )?(?:\w+ ){0,3}?with\b"
                            r"|\bwho (?:else )?(?:are )?you (?:are )?(?:insured|covered) (?:with|"
                            r"by|"
                            r"through)\b"
                            r"|\bwho (?:you are|your \w+(?: \w+){0,2} (?:is|are)|the \w+(?: \w+)? "
                            r"(?:is|are)|it is|they are)(?: currently| now)? (?:insured |covered )?"
                            r"(?:with|through|by)\b"),
            cue("carrier", r"\b(?:your|the) (?:current |existing |present )?(?:home |homeowners |"
                           r"auto |car |life |health )?(?:carrier|insurer|insurance company|"
                           r"insurance provider|insurance carrier)\b", "no-yn"),
            cue("which-company", r"\b(?:which|what) (?:insurance )?(?:company|carrier|insurer|"
                                 r"provider)\b(?! (?:do you work|you work|gave you|quoted))"),
            cue("have-insurance", r"(?<!\bto )\b(?:have|carry|got)(?: got)? (?:life |health |home |"
                                  r"auto "
                                  r"|group )?(?:insurance|coverage)\b(?! (?:question|questions|"
                                  r"agent|card|company)\b)"),
            cue("have-any", r"(?<!\bto )\b(?:have|carry|got|hold|had)(?: got)?(?: now| currently| "
                            r"already| right now)? (?:any|an|a|some|other|"
                            r"existing|anything)\b.{0,35}\b(?:insurance|coverage|cover|policy|"
                            r"policies|plan|in place|through (?:work|your (?:job|employer)|a job|"
                            r"the job)|from (?:work|your job|before|a job))\b"),
            cue("any-coverage", r"\bany (?:other |existing |current |life |group )?(?:insurance|"
                                r"coverage|cover|policy|policies|plan)\b(?! (?:you are|you were) "
                                r"(?:worried|concerned|unsure|thinking|interested|curious)| "
                                r"(?:question|questions|concerns?|gaps?|changes?|options?)\b)"),
            cue("anything-else", r"(?<!to have )(?<!to get )\b(?:anything|something) (?:else )"
                                 r"?(?:you (?:carry|have|got)(?! been\b)|"
                                 r"besides|through (?:work|your job|the job)|other than|in place|"
                                 r"already in place|from work)\b|\b(?:carry|have) anything (?:else|"
                                 r"besides)\b|\banything through work\b|\bthrough work (?:at all|"
                                 r"right now)\b"),
            cue("what-carry", r"\bwhat (?:are|do) you (?:currently )?(?:carry|carrying|have)\b(?= "
                              r".*\b(?:insurance|coverage|cover|polic(?:y|ies)|now|today|currently|"
                              r"right now)\b)(?!.*\bin mind\b)|\bwhat (?:coverage|insurance|policy|"
                              r"policies|cover) (?:do|did) you (?:currently )?(?:have|carry)\b"),
            cue("existing-amount", r"\bhow much\b.{0,30}\b(?:you (?:got|have) (?:now|through|from|"
                                   r"with)|through (?:work|the job|your job)|from (?:your )"
                                   r"?(?:work|"
                                   r"job|employer))\b|\bhow much life (?:you|do you) (?:got|have)\b"
                                   r"|\bwhat (?:do you|you) (?:got|have) through work\b|\bwhat is "
                                   r"yours through the job\b"),
            cue("with-us-or", r"\b(?:insured|covered) with us or\b|\b(?:with us|us) or (?:with )?"
                              r"(?:someone else|another|other|a different)\b|\bwith who\b|\b"
                              r"is with "
                              r"who\b|\bwho is your insurance\b|\bon your parents'? policy\b|\byou "
                              r"(?:got|have) (?:a |any )?(?:renters|homeowners|home|auto|life|"
                              r"umbrella)"
                              r"(?: policy| insurance| coverage)?(?: \w+)? (?:anywhere|now|"
                              r"right now|"
                              r"somewhere|already|in the old)\b"),
            cue("are-insured", r"(?<!how much )\bare you (?:currently |already )?(?:insured|"
                               r"covered)\b"),
            cue("what-you-have", r"\b(?:the |your |any )?(?:current )?(?:coverage|policy|policies|"
                                 r"insurance|cover) (?:you|that you) (?:currently )?(?:have|carry|"
                                 r"got|have got)\b(?! in mind)|\bwhat (?:you have|you have got|you "
                                 r"carry|you are carrying|you got|coverage you have|you are with)\b"
                                 r"(?!.*\blimits?\b)(?! (?:told|said|mentioned|given|shared|asked|"
                                 r"described|explained|in mind|to say|got to)\b)"
                                 r"|\bcoverage you got\b"),
            # present cover asked in open words: whether anything or anybody covers the caller
            # or a thing of theirs ("you got anything on yourself", "is anybody carrying the
            # house", "is that car insured with anybody"); "-any" asks even beside a value
            cue("open-any", r"\b(?:have|got|carry|carrying|is there|there is|there be)\b"
                            r"(?: \w+){0,3}? (?:anything|something|any coverage|any insurance)"
                            r"(?: else)?(?: out there)?(?: at all)? on (?:yourself|you|your own|"
                            r"your life|the (?:house|home|car|cars|truck|trucks|place|apartment|"
                            r"boat|vehicles?|business)|flood|renters|wind|it)\b"
                            r"|\b(?:the only (?:thing|policy|coverage|one)|all) (?:that )?you "
                            r"(?:have got|have|got|carry)(?: on yourself| on you)?\b"
                            r"(?! (?:to|in mind|left)\b)"
                            r"|\b(?:have|got|carry) anything (?:now|right now|currently|at the "
                            r"moment|today|through (?:your )?(?:work|job|employer))\b"),
            cue("anybody-any", r"\b(?:is|was|has) (?:anybody|anyone|somebody|someone)(?: else)? "
                               r"(?:carrying|covering|insuring|writing|got)\b"
                               r"|\b(?:insured|covered|written) (?:with|by|through) (?:anybody|"
                               r"anyone|somebody|someone)\b"),
            cue("who-have-you", r"\bwho (?:have|had) you (?:got )?(?:[\w']+ ){0,6}?with\b"
                                r"|\bwho is (?:the|your|that|this) (?:[\w']+ ){1,4}?with\b"
                                r"|\bwhoever (?:you are|you have been|you have|has) (?:insured |"
                                r"covered |got you |)(?:with|through|by)?\b"
                                r"|\bname of (?:the |your )?(?:insurance )?(?:company|carrier)\b"
                                r"(?! (?:you work|that quoted|who quoted))"
                                r"|\bwhat (?:do you|you) (?:have|got|carry) (?:with|through) "
                                r"(?!us\b|me\b|work\b)\w+"),
            cue("policy-about", r"\btell me (?:a (?:little|bit)|more|some)(?: more)? about (?:what "
                                r")?(?:the|your|that) (?:[\w']+ ){0,3}?(?:policy|coverage|plan)"
                                r"\b(?! (?:you want|you are (?:looking|thinking))\b)"),
            cue("policy-covers", r"\bwhat (?:does|do) (?:your|the|that) (?:[\w']+ ){0,3}?(?:policy"
                                 r"|plan|"
                                 r"one|coverage) (?:include|cover|give you|pay out)\b"
                                 r"|\bwhat (?:does|do) (?:[\w']+ ){1,3}?(?:include|cover) (?:right "
                                 r"now|today|currently|now)\b"),
            cue("besides-any", r"\bwith (?:anyone|anybody|someone|somebody) (?:else|besides|"
                               r"other than)\b"),
            cue("have-line-any", r"\b(?:have|got|carry)(?: a| any)? (?:renters|homeowners|flood|"
                                 r"umbrella)(?: policy| insurance| coverage)? (?:on|for) (?:the|"
                                 r"your|it|that)\b"),
        ),
        alternatives=(
            # "is it all with Cumberland, or have you got the cars somewhere else?": more of the
            # present cover than the packet holds (a read-back "or did you switch" only checks)
            ("elsewhere-or", rx(r"\b(?:have|got|keep|put)\b.{0,30}\b(?:somewheres?|someplace|"
                                r"somebody|someone) else\b")),
            # "are you on your parents' homeowners right now, or nothing at all?", "do you still
            # have the Desert Sun policy or did you cancel it": whether there is any cover
            ("nothing-or", rx(r"\b(?:on|under|with|have|got|carry|carrying|covered by|insured "
                              r"(?:with|through|by))\b[^.?!]{1,50}\bor (?:is there |are you |you "
                              r"|do you have |have you got )?(?:nothing|none|no (?:coverage|"
                              r"insurance|policy)|not (?:covered|insured)|uninsured)\b")),
            ("cancelled-or", rx(r"\bstill (?:have|got|with|on|carrying|carry)\b[^.?!]{1,40}\bor "
                                r"(?:did|have) (?:you|y'?all|ya) (?:already )?(?:cancel\w*|drop\w*|"
                                r"let (?:it|that|them) (?:go|lapse))\b")),
        ),
        values=(
            rx(r"\bgroup policy\b|\bthrough (?:work|your (?:employer|job|work))\b|"
               r"\bcurrently with\b|\bexisting coverage\b|\bno (?:existing |current )?coverage\b|"
               r"\binsured with\b|\bcovered through\b|\byou are (?:currently |still )?with\b"
               r"|\bno policy\b"),
        ),
        disqualify=(
            # the lender or the carrier of the new policy is not the present cover
            rx(r"\bmortgage (?:company|lender)\b|\bmortgagee\b|\blien ?holder\b|\bthe loan "
               r"with\b|\b(?:the|your new|the new) carrier (?:asks|needs|wants|requires|will (?:wa"
               r"nt|"
               r"need|ask))\b"),
            # an amount said, then "is what you have now": the amount is read back
            rx(r"\b(?:dwelling|limits?|face amount|death benefit)\b.{0,20}\bis what you (?:have|"
               r"have got|got|carry)\b"),
            rx(r"\b(?:previous|prior|used to be|former|formerly|old carrier|last carrier)"
               r"\b|\bany (?:questions|concerns|claims|tickets|accidents)\b|\bquoted\b"
               r"|\b(?:were|was) (?:you|it|they) (?:with|insured with|covered by)(?: \w+)? before\b"
               r"|\bbefore (?:us|that|this one|switching|now)\b"
               r"|\bwho (?:was|were) (?:your|the) (?:\w+ )?(?:carrier|insurer|insurance company|"
               r"company)\b|\b(?:carrier|insurer|company|with) before\b(?! (?:we|i|you|the)\b)"
               r"|\bcheaper quote\b"),
            # coverage history (a lapse, a gap) is outside the fields, like a previous carrier
            rx(r"\b(?:lapse|lapsed|gap|gaps|break|breaks) in (?:your |the |any )?(?:coverage|"
               r"insurance|cover)\b"
               r"|\bever (?:been )?(?:uninsured|without (?:coverage|insurance))\b"),
            rx(r"\b(?:your|the) (?:current |old )?(?:carrier|insurer|insurance company) "
               r"(?:send|sent|say|said|tell|told|give|gave|quote|quoted|call|called|charge|charged|"
               r"raise|raised|"
               r"deny|denied|pay|paid|cancel|cancelled|canceled|offer|offered|mail|mailed|email|"
               r"emailed|notify|notified|change|changed|drop|dropped|increase|increased|write|"
               r"wrote|explain|explained)\b"),
            rx(r"(?:^|\b(?:and|so|ok|okay) )(?:did|does|has|will|can) (?:your|the) (?:current |"
               r"old )?"
               r"(?:carrier|insurer|insurance company)\b|\bwith your (?:current )?carrier\b"),
        ),
    ),
    "tobacco_use": FieldRules(
        cues=(
            cue("quit-when", r"\bwhen (?:exactly |roughly )?did you (?:quit|stop|give (?:it|them) "
                             r"up)\b"
                             r"(?! (?:your|the|that|working|work|job|school|drinking)\b)"),
            cue("tobacco", r"\b(?:smoke|smoker|smokers|smoking|smokes|smoked|tobacco|nicotine|vape|"
                           r"vapes|vaping|vaped|vaper|cigarettes?|cigars?|chew|chewing|dip|snuff|"
                           r"juul|pipe)\b(?! (?:damage|detectors?|alarms?|smell|smoke))"),
        ),
        values=(
            rx(r"\bnon-?smoker\b|\bnonsmoker\b|\bno tobacco\b|\bquit smoking\b|\btobacco.free\b|"
               r"\bdo not smoke\b|\bno smoking\b|\byou are a smoker\b|\byou smoke\b(?=,? (?:right|"
               r"correct|yes|yeah|no|is that right|do not you)\b)"),
        ),
        disqualify=(rx(r"\bsmoke (?:damage|detector|alarm)|\bpipes?\b(?!.*\bsmok)"),),
        reject_after=(rx(r"^(?:smoke|smoker)\b(?=.{0,25}\b(?:i see|i have|noted)\b)"),),
        alternatives=(
            ("smoker-or", rx(r"\b(?:a )?smoker,? or (?:a )?nonsmoker\b|\bsmoker, (?:a )?nonsmoker\b"
                             r"|\b(?:smoke|smoking|smoker|vape|vaping|tobacco),? or (?:not|no|nah)"
                             r"\b|\bnonsmoker or (?:a )?smoker"
                             r"\b|\bsmoke or not\b|\bsmoke or\s*$|\b(?:cigarettes|cigars|vape|"
                             r"vaping|"
                             r"chew) or (?:cigars|cigarettes|vape|vaping|chew|dip)\b|\b"
                             r"how many a day"
                             r"\b")),
        ),
    ),
}
# fmt: on
