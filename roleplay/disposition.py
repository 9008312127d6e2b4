"""Dispositions: the reason code a producer tags a call with when it ends.

Reason codes feed reporting (conversion by trigger, where calls really come from). The
taxonomy follows the seed articles: new business / qualified lead, coverage question, pricing
question, escalation request, billing dispute, cancellation, claim, technical issue. A
role-play disposition is scored against the caller's real need, which is not always what the
trigger suggests (a caller who "just wants a person" may have a billing dispute).
"""

from __future__ import annotations

REASON_CODES: tuple[str, ...] = (
    "new_business",
    "coverage_question",
    "pricing_question",
    "escalation_request",
    "billing_dispute",
    "cancellation",
    "claim",
    "technical_issue",
)
"""Allowed disposition codes."""

REASON_LABELS: dict[str, str] = {
    "new_business": "New business / qualified lead",
    "coverage_question": "Coverage question",
    "pricing_question": "Pricing question",
    "escalation_request": "Escalation request",
    "billing_dispute": "Billing dispute",
    "cancellation": "Cancellation",
    "claim": "Claim",
    "technical_issue": "Technical issue",
}

_ALIASES: dict[str, str] = {
    "qualified_lead": "new_business",
    "new": "new_business",
    "coverage": "coverage_question",
    "pricing": "pricing_question",
    "price": "pricing_question",
    "escalation": "escalation_request",
    "billing": "billing_dispute",
    "cancel": "cancellation",
    "technical": "technical_issue",
}


class UnknownDispositionError(ValueError):
    """Raised for a disposition outside the taxonomy; the message lists the allowed codes."""

    def __init__(self, given: str) -> None:
        self.given = given
        super().__init__(
            f"Unknown disposition {given!r}. Choose one of: {', '.join(REASON_CODES)}."
        )


def parse_disposition(text: str) -> str:
    """Normalise a typed disposition ("Billing dispute", "billing-dispute", "billing")."""
    key = "_".join(text.strip().lower().replace("-", " ").replace("/", " ").split())
    key = _ALIASES.get(key, key)
    if key not in REASON_CODES:
        raise UnknownDispositionError(text)
    return key
