"""The intake fields a voice AI captures before a warm transfer.

The AI must capture the *minimum viable intake* (caller name, contact number, urgency,
referral source, preferred next action) before escalating; the packet also carries the reason
for calling. Quoting a policy usually needs more (date of birth, state, coverage amount,
current coverage, tobacco use), which the AI may or may not have collected. A producer who asks
the caller for any field the AI already captured makes the caller repeat themselves.
"""

from __future__ import annotations

FIELDS: tuple[str, ...] = (
    "caller_name",
    "contact_number",
    "email",
    "urgency",
    "referral_source",
    "preferred_next_action",
    "reason_for_call",
    "product_interest",
    "date_of_birth",
    "state",
    "coverage_amount",
    "current_coverage",
    "tobacco_use",
)
"""Every field the detector knows about, in packet display order."""

MINIMUM_FIELDS: tuple[str, ...] = (
    "caller_name",
    "contact_number",
    "urgency",
    "referral_source",
    "preferred_next_action",
)
"""The minimum viable intake the AI must capture before any escalation."""

ALWAYS_CAPTURED: tuple[str, ...] = ("caller_name", "reason_for_call")
"""Fields the AI captures at every difficulty: a transfer without them is not a transfer."""

LABELS: dict[str, str] = {
    "caller_name": "Caller name",
    "contact_number": "Contact number",
    "email": "Email",
    "urgency": "Urgency",
    "referral_source": "Referral source",
    "preferred_next_action": "Preferred next action",
    "reason_for_call": "Reason for calling",
    "product_interest": "Product interest",
    "date_of_birth": "Date of birth",
    "state": "State",
    "coverage_amount": "Coverage amount",
    "current_coverage": "Current coverage",
    "tobacco_use": "Tobacco use",
}
"""Human-readable label per field."""
