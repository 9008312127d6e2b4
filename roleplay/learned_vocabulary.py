"""Words by field for the learned second opinion (:mod:`roleplay.learned`).

:data:`roleplay.resemble.TOPIC` names each field's topic narrowly, since the resemblance
fallback and the rules rely on it; the learned model reads more widely. :data:`CONCEPTS` is a
broader vocabulary of what each field is about, in the words people use for it ("is anybody
covering the house", "anything on yourself outside of work", "what are the barns worth", "who
do I thank for the referral"), so a new wording of a familiar ask still lands near the field's
topic and the model's shared features (how the clause asks, whose detail it is, whether it
asks about the present) apply to it. A concept word is evidence for nothing by itself: the
weights are learned from the labelled tuning lines. :data:`PRESENT` marks a question about the
caller's present state ("at this point", "right now", "these days").
"""

from __future__ import annotations

import re

__all__ = ["CONCEPTS", "PRESENT"]

CONCEPTS: dict[str, str] = {
    "caller_name": r"\bname[ds]?\b|\bspell|\bpolicyholder|\bnamed insured|\bregistered|"
    r"\bwho (?:am i|is this|owns|is on)\b|\bwhose name\b|\bgo by\b|\bsurname|\binitial",
    "contact_number": r"\bnumber|\bphone|\bcell|\bmobile|\bdigits|\bring you|\btext you|"
    r"\bcall you\b|\breach you\b|\bget hold of you|\bget ahold of you",
    "email": r"\be-?mail|\binbox|\bemail address|\bsend (?:it|that|them|this|the \w+) to\b",
    "urgency": r"\bsoon|\bdeadline|\bdue\b|\bby when|\bhow long|\btimeline|\btime ?frame|"
    r"\bcutoff|\bcut-off|\bclos(?:e|es|ing)\b|\bkeys\b|\bstart date|\bstarts?\b|\bexpir|"
    r"\brun out|\bruns out|\blapse|\brenew|\bhow much time|\blittle time|\bneed (?:it|this) by|"
    r"\bin place by|\bbefore (?:she|he|you|it|they|the)\b|\bwhen (?:do|does|is|are|will|would)\b",
    "referral_source": r"\brefer|\bheard (?:of|about)|\bhear (?:of|about)|\bfind us|\bfound us|"
    r"\bcome across|\bcame across|\bsent you|\bpointed you|\bthank|\brecommend|\bour way|"
    r"\bto us\b|\bmailer|\bpostcard|\bad\b|\badvert|\bsearch",
    "preferred_next_action": r"\bfollow|\bnext|\bcall ?back|\bhear back|\bget back|\bprefer|"
    r"\bappointment|\bmeet|\bbook|\bschedule|\bset (?:up|a time)|\bfrom here|\bafter this|"
    r"\bhow (?:should|would you like|do you want) (?:me|us|i|we)\b|\bbest way",
    "reason_for_call": r"\breason|\bbring|\bbrought|\bprompt|\bmade you|\bwhat(?:'s| is) (?:it|"
    r"this|that|the \w+(?: \w+)?) for\b|\bgoing on|\bsituation|\bhelp you|\blooking for|"
    r"\bhoping|\bwhy\b|\bcall(?:ed|ing)? (?:in|us|today|about)\b|\bpick up the phone",
    "product_interest": r"\bkind of (?:policy|coverage|insurance|plan)|\btype of|\bline of|"
    r"\bterm\b|\bwhole life|\bauto|\bhome(?:owners)?\b|\blife\b|\brenters|\bumbrella|\bcondo|"
    r"\blandlord policy|\bbusiness policy|\bwhich policy|\bwhat policy",
    "date_of_birth": r"\bbirth|\bborn\b|\bbirthday|\bdob\b|\bage\b|\bhow old|\byear (?:were "
    r"you|you were)",
    "state": r"\bstate\b|\blive|\bliving|\blocated|\bbased\b|\breside|\bwhere(?:'s| is| are)\b|"
    r"\bmoved|\bmoving",
    "coverage_amount": r"\bhow much|\bamount|\blimits?\b|\bdwelling|\bworth|\bvalue|\breplace|"
    r"\bpay(?:s)? out|\bpayout|\bin mind|\bface\b|\bbenefit|\bmillion|\bthousand|\bgrand\b|"
    r"\boccurrence|\baggregate|\bfigure|\bsum\b|\bnumber (?:for|on|in)\b",
    "current_coverage": r"\bcover(?:ed|ing|age)?\b|\bcarr(?:y|ies|ying|ier)|\binsur|\bpolic|"
    r"\bplan\b|\bcompany|\bprovider|\banything (?:on|in place|now|already|currently|else on)\b|"
    r"\bsomething (?:on|in place)\b|\bbinder|\bbare\b|\bwith (?:anyone|anybody|someone|who)\b|"
    r"\bthrough (?:work|your job|your employer|the job)|\bat work\b|\bparent'?s policy|"
    r"\bprotected|\bin force|\bactive\b",
    "tobacco_use": r"\bsmok|\btobacco|\bnicotine|\bvap|\bcigar|\bchew|\bdip\b|\bpouch|\bzyn|"
    r"\blight up|\bpack a day|\bjuul",
}
"""Per field, a regular expression of the words its asks use (case-insensitive)."""

PRESENT = re.compile(
    r"\b(?:right now|at this point|at the moment|currently|these days|today|as of now|"
    r"nowadays|at present|now|already|still|presently)\b",
    re.I,
)
"""Words that ask about the caller's present state."""
