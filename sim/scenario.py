"""The scenario: an agency described as data.

An operations lead writes their agency into a TOML file (see ``sim/scenarios/``): when it is open,
how many calls arrive and when, what the voice AI costs and resolves, which triggers send a
caller to a producer, the up-to-three producer groups the AI can hand off to, and what a sale
is worth. These pydantic models are the single definition of that file: every key, its unit,
default and allowed values are the field docstrings below, and the README's scenario reference
is generated from them (``python -m sim.reference``).

All models forbid unknown keys and are frozen, so a typo is an error, not a silently ignored
setting, and a loaded scenario cannot be changed behind the simulation's back.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.distributions import Distribution, Exponential, Fixed, LogNormal
from sim.scenario_base import (
    TIME_ZONES,
    WEEKDAYS,
    DayHours,
    Hours,
    Probability,
    TimeZone,
    Weekday,
    Window,
    check_shares,
    check_weekday_keys,
    clock_minutes,
    unwrap_annotation,
)
from sim.segments import Segment, check_segments
from sim.targets import ServiceTargets
from sim.weekdays import check_weekdays

__all__ = [
    "AI",
    "DEFAULT_TRIGGERS",
    "INTAKE_FIELDS",
    "TIME_ZONES",
    "WEEKDAYS",
    "CallType",
    "Costs",
    "DayHours",
    "Destination",
    "Hours",
    "Inbound",
    "Intake",
    "Outbound",
    "Outcomes",
    "Roster",
    "Scenario",
    "Segment",
    "ServiceTargets",
    "Transfer",
    "TriggerOutcomes",
    "Window",
    "clock_minutes",
    "unwrap_annotation",
]

DEFAULT_TRIGGERS = ("qualified_interest", "coverage_mismatch", "complex_pricing", "human_request")
"""The four escalation triggers every scenario knows."""

INTAKE_FIELDS = (
    "caller_name",
    "contact_number",
    "urgency",
    "referral_source",
    "preferred_next_action",
)
"""The minimum viable intake the AI should capture before a transfer."""

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Model(BaseModel):
    # the same configuration as sim.scenario_base.ScenarioModel (repeated here so that linters
    # see these tables are pydantic models)
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


NamedProfile = Literal["business_day", "flat", "morning_peak", "afternoon_peak"]


class Inbound(_Model):
    """Calls that callers place to the agency: a non-homogeneous Poisson process over open hours."""

    calls_per_day: float = Field(ge=0)
    """Expected inbound calls per open day (required)."""
    profile: NamedProfile | list[Annotated[float, Field(ge=0)]] = "business_day"
    """Intraday shape of arrivals: "business_day" (late-morning and mid-afternoon peaks, lunch
    dip), "flat", "morning_peak", "afternoon_peak", or a list of relative weights, one per
    interval of the open day (its length must equal the number of intervals)."""
    interval_minutes: Literal[5, 10, 15, 20, 30, 60] = 30
    """Length of one profile interval, in minutes."""


class Outbound(_Model):
    """An AI-dialled campaign. Leads without verified consent are never dialled, numbers on the
    do-not-call list are suppressed before dialling, and a lead is dialled only inside its own
    calling window (in the lead's time zone) while the agency is open. Every lead is recorded
    with its control outcome."""

    contacts_per_week: float = Field(default=0, ge=0)
    """Leads on the campaign list per week (spread evenly over `days_per_week` working days)."""
    days_per_week: int = Field(default=5, ge=1, le=7)
    """Working days per week that the campaign dials."""
    answer_rate: Probability = 0.35
    """Chance a dialled lead answers."""
    consent_rate: Probability = 0.97
    """Share of leads with verified prior express written consent; the rest are never dialled."""
    dnc_rate: Probability = 0.04
    """Share of consented leads on a do-not-call list; suppressed before dial."""
    window: Window = Window(start="09:00", end="20:00")
    """Calling window in the lead's local time."""
    lead_timezones: dict[TimeZone, Probability] = {"ET": 0.47, "CT": 0.29, "MT": 0.07, "PT": 0.17}
    """Share of leads in each US time zone (ET, CT, MT, PT, AKT, HT); shares sum to 1."""
    no_answer_minutes: float = Field(default=0.5, ge=0)
    """AI line minutes billed for a dial that nobody answers."""
    containment: Probability = 0.6
    """Chance the AI ends an answered outbound call itself (not interested, wrong number, or a
    question it answers) instead of transferring."""
    triggers: dict[str, Probability] = {
        "qualified_interest": 0.7,
        "complex_pricing": 0.15,
        "human_request": 0.15,
    }
    """Trigger mix when an answered outbound call escalates; shares sum to 1."""

    @field_validator("lead_timezones", "triggers")
    @classmethod
    def _sums_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        check_shares(value)
        return value


class AI(_Model):
    """The voice AI intake layer. Without an `[ai]` section the AI is off: every call goes
    straight to producers (the all-human baseline)."""

    enabled: bool = True
    """Whether the AI handles calls at all; false gives the all-human baseline."""
    rollout: Probability = 1.0
    """Share of calls the AI handles (a 10–20% pilot is 0.1–0.2); the rest follow the human path."""
    cost_per_minute: float = Field(default=0.10, ge=0)
    """AI price per connected minute, in dollars (field range $0.05–1.00+). Billed for talk time,
    hold while a transfer rings, and the whisper."""
    lines: int = Field(default=50, ge=1)
    """Concurrent calls the AI can hold. An inbound call finding every line busy overflows to the
    human path; an outbound dial waits for a free line."""
    talk_minutes: Distribution = LogNormal(dist="lognormal", mean=3.0, sd=1.2)
    """AI conversation time before it resolves the call or a trigger fires, in minutes."""


class CallType(_Model):
    """One kind of inbound call (billing, new quote, claim…), with its own AI containment and
    escalation-trigger mix."""

    share: Probability
    """Share of inbound calls of this type; shares over all types sum to 1."""
    containment: Probability = 0.5
    """Chance the AI resolves this type without a producer (insurance inquiries ≈ 0.5;
    billing/policy service 0.5–0.7 after three months)."""
    triggers: dict[str, Probability] = {name: 0.25 for name in DEFAULT_TRIGGERS}
    """Trigger mix when this type escalates (or, on the human path, the caller's need used for
    routing); shares sum to 1."""

    @field_validator("triggers")
    @classmethod
    def _sums_to_one(cls, value: dict[str, float]) -> dict[str, float]:
        check_shares(value)
        return value


class Intake(_Model):
    """The minimum viable intake the AI captures before a transfer."""

    fields: list[str] = list(INTAKE_FIELDS)
    """Intake fields the AI tries to capture (at most 30)."""
    capture_rate: Probability = 0.95
    """Per field: chance the AI captured it before the transfer."""

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: list[str]) -> list[str]:
        if len(value) > 30:
            raise ValueError("at most 30 intake fields")
        if len(set(value)) != len(value):
            raise ValueError("intake fields must not repeat")
        return value


class Roster(_Model):
    """Producers on duty interval by interval through the day (what a staffing plan gives)."""

    interval_minutes: Literal[15, 30, 60] = 30
    """Length of one roster interval, in minutes, counted from the agency's opening time."""
    producers: list[Annotated[int, Field(ge=0, le=10_000)]] = Field(min_length=1)
    """Producers on duty in each interval of the open day; its length must equal the number of
    intervals in open hours."""
    weekdays: dict[Weekday, list[Annotated[int, Field(ge=0, le=10_000)]]] = {}
    """Per-weekday counts, e.g. `{ sat = [2, 2, 3, 3] }`, one per interval of that weekday's
    open hours (needs `[hours.weekdays]`; required for a weekday with its own hours). A weekday
    not listed uses `producers`."""

    _weekday_keys = field_validator("weekdays", mode="before")(check_weekday_keys)


class Destination(_Model):
    """A producer group the AI can hand off to. Groups are tried in order; a group that does not
    accept the call's trigger, or is off shift, is skipped."""

    name: str
    """Group name, e.g. "Term team" (required, unique)."""
    producers: int = Field(ge=0, le=10_000)
    """Licensed producers on shift in this group (required)."""
    triggers: list[str] | None = None
    """Triggers this group accepts; omitted means all."""
    handle_minutes: Distribution = LogNormal(dist="lognormal", mean=12.0, sd=6.0)
    """Producer talk time with the caller after the bridge, in minutes."""
    wrap_up_minutes: Distribution = Fixed(dist="fixed", value=0.0)
    """After-call work (notes, reason code) before the producer is free again, in minutes."""
    ring_seconds: float = Field(default=20, ge=0)
    """A waiting transfer rolls over to the next accepting group after this long unanswered
    (the last group keeps it until answered or the caller hangs up)."""
    shift: Window | None = None
    """Daily shift of this group; omitted means the agency's open hours. At shift end, callers
    still waiting roll over to the next open group or get the fallback."""
    repeat_explain_rate: Probability | None = None
    """Override of `outcomes.repeat_explain_rate` for this group (e.g. from its role-play
    records)."""
    roster: Roster | None = None
    """Producers per interval of the open day, replacing `producers` while open (still only
    within the shift). Omitted means `producers` all shift."""


class Transfer(_Model):
    """The warm transfer: the AI keeps the caller on the line, briefs the producer (the whisper)
    and bridges the call."""

    patience_minutes: Distribution | None = None
    """How long a caller waits for a producer before hanging up; omitted means callers never hang
    up."""
    whisper_seconds: float = Field(default=15, ge=0)
    """AI-to-producer briefing after the producer answers and before the bridge (AI path only);
    the producer is busy and the AI is billed."""
    failure_rate: Probability = 0.0
    """Chance the bridge fails technically after the producer answers."""
    fallback: Literal["callback", "voicemail", "drop"] = "callback"
    """What happens when no producer connects (hang-up, failure, nobody on shift): "callback"
    (a producer calls back later), "voicemail" (the caller may leave a message a producer
    returns later), or "drop"."""
    callback_delay_minutes: float = Field(default=30, ge=0)
    """Delay before a producer makes a booked callback, in minutes (callbacks wait for a producer
    who has no live caller waiting)."""
    voicemail_delay_minutes: float = Field(default=120, ge=0)
    """Delay before a producer returns a voicemail, in minutes."""
    voicemail_message_rate: Probability = 0.4
    """Chance a caller sent to voicemail leaves a message."""
    callback_reach_rate: Probability = 0.6
    """Chance a callback (or returned voicemail) reaches the caller."""
    callback_attempt_minutes: float = Field(default=1.0, ge=0)
    """Producer time spent on a callback that does not reach the caller, in minutes."""


class TriggerOutcomes(_Model):
    """Outcome rates for one trigger, overriding the `[outcomes]` defaults."""

    conversion_warm: Probability | None = None
    """Conversion after a connected warm transfer for this trigger."""
    conversion_cold: Probability | None = None
    """Conversion after a cold contact for this trigger."""
    first_call_resolution: Probability | None = None
    """First-call resolution for this trigger."""


class Outcomes(_Model):
    """What happens after a producer connects."""

    conversion_warm: Probability = 0.30
    """Chance of an appointment/application (counted as a policy sold) after a connected warm
    transfer from the AI."""
    conversion_cold: Probability = 0.20
    """Chance of a sale after a cold contact: a human-path transfer, a callback, or a warm
    transfer where the producer made the caller repeat themselves."""
    first_call_resolution: Probability = 0.70
    """Chance the producer closes or advances the caller's need within the same call."""
    repeat_explain_rate: Probability = 0.10
    """Chance a producer re-asks something the AI already captured on a warm transfer (0 is the
    target; take it from the role-play records). A repeat-explain loses the warm advantage."""
    routine_conversion: Probability = 0.02
    """Chance of a sale (a cross-sell) when a producer handles a routine call, one the AI would
    have resolved on its own (billing, simple service), on the human path."""
    missing_field_penalty: Probability = 0.05
    """Relative drop in conversion for each intake field the AI failed to capture and the
    producer had to ask for."""
    by_trigger: dict[str, TriggerOutcomes] = {}
    """Per-trigger overrides, e.g. `[outcomes.by_trigger.human_request] conversion_warm = 0.05`."""


class Costs(_Model):
    """Money, in dollars."""

    human_cost_per_call: float = Field(default=10.0, ge=0)
    """Cost of a human-answered intake call ($7–15 in the field), charged to every answered call
    on the human path."""
    producer_hourly: float = Field(default=35.0, ge=0)
    """Loaded hourly cost of a producer, charged for every rostered shift hour."""
    revenue_per_policy: float = Field(default=900.0, ge=0)
    """Revenue (first-year commission) per policy sold."""
    platform_monthly: float = Field(default=0.0, ge=0)
    """AI platform subscription per month (used by ROI payback)."""
    setup: float = Field(default=0.0, ge=0)
    """One-off AI set-up cost (used by ROI payback)."""


class Scenario(_Model):
    """An agency: its hours, callers, voice AI, producers, transfers, outcomes and money."""

    name: str = Field(min_length=1)
    """Scenario name (required)."""
    description: str = ""
    """Free text shown with the results."""
    days: int = Field(default=5, ge=1, le=3660)
    """Simulated days per replication."""
    warmup_minutes: float = Field(default=0, ge=0)
    """Calls arriving before this many minutes into the run are simulated but not counted in
    KPIs."""
    service_level_seconds: float = Field(default=20, ge=0)
    """Answer-time target for the `service_level` KPI, in seconds."""
    seed: int = Field(default=42, ge=0)
    """Seed of all random draws; the same seed gives the same numbers."""
    triggers: list[str] = list(DEFAULT_TRIGGERS)
    """Escalation triggers this scenario knows; add more (e.g. "cancel_intent",
    "disputed_claim") to use them in call types and destinations."""
    hours: Hours = Hours()
    """Open hours."""
    inbound: Inbound
    """Inbound calls (required)."""
    outbound: Outbound | None = None
    """Optional AI-dialled campaign."""
    ai: AI = AI(enabled=False)
    """Voice AI intake; absent means off (all-human)."""
    call_types: dict[str, CallType] = {"general": CallType(share=1.0)}
    """Inbound call types by name, e.g. `[call_types.billing]`; shares sum to 1."""
    intake: Intake = Intake()
    """Minimum viable intake."""
    destinations: list[Destination] = Field(min_length=1, max_length=3)
    """One to three producer groups, tried in order (required)."""
    transfer: Transfer = Transfer()
    """Warm transfer behaviour."""
    outcomes: Outcomes = Outcomes()
    """Conversion and resolution."""
    costs: Costs = Costs()
    """Money."""
    targets: ServiceTargets = ServiceTargets()
    """Service targets every plan is judged against: the Simulate page's KPI cards, the
    staffing search's defaults, the ROI's staffed baseline and the pilot's completion guard."""
    segments: list[Segment] = []
    """Caller segments (priority classes), e.g. `[[segments]]`; omitted means one
    first-come, first-served class."""

    @field_validator("triggers")
    @classmethod
    def _trigger_names(cls, value: list[str]) -> list[str]:
        for name in value:
            if not _NAME_RE.match(name):
                raise ValueError(f"trigger name {name!r} must be lower_snake_case")
        if len(set(value)) != len(value):
            raise ValueError("trigger names must not repeat")
        if len(value) > 100:
            raise ValueError("at most 100 triggers")
        return value

    @field_validator("segments")
    @classmethod
    def _segments(cls, value: list[Segment]) -> list[Segment]:
        return check_segments(value)

    @field_validator("call_types")
    @classmethod
    def _call_type_shares(cls, value: dict[str, CallType]) -> dict[str, CallType]:
        if not value:
            raise ValueError("needs at least one call type")
        total = sum(ct.share for ct in value.values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(f"call type shares must sum to 1, got {total:g}")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        known = set(self.triggers)

        def unknown(names, where):
            bad = sorted(set(names) - known)
            if bad:
                raise ValueError(
                    f"{where}: unknown trigger(s) {', '.join(bad)}; known triggers are "
                    f"{', '.join(self.triggers)} (declare more in `triggers`)"
                )

        for type_name, ct in self.call_types.items():
            unknown(ct.triggers, f"call_types.{type_name}.triggers")
        if self.outbound is not None:
            unknown(self.outbound.triggers, "outbound.triggers")
        for i, dest in enumerate(self.destinations):
            if dest.triggers is not None:
                unknown(dest.triggers, f"destinations.{i}.triggers")
        unknown(self.outcomes.by_trigger, "outcomes.by_trigger")
        names = [d.name for d in self.destinations]
        if len(set(names)) != len(names):
            raise ValueError(f"destinations: group names must be unique, got {names}")
        open_minutes = self.hours.close_minute - self.hours.open_minute
        for i, dest in enumerate(self.destinations):
            if dest.roster is not None:
                need = math.ceil(open_minutes / dest.roster.interval_minutes)
                if len(dest.roster.producers) != need:
                    raise ValueError(
                        f"destinations.{i}.roster.producers: {len(dest.roster.producers)} "
                        f"counts given, but open hours {self.hours.open}–{self.hours.close} in "
                        f"{dest.roster.interval_minutes}-minute intervals need {need}"
                    )
        if isinstance(self.inbound.profile, list):
            expected = self.intervals_per_day
            if len(self.inbound.profile) != expected:
                raise ValueError(
                    f"inbound.profile: {len(self.inbound.profile)} weights given, but open "
                    f"hours {self.hours.open}–{self.hours.close} in "
                    f"{self.inbound.interval_minutes}-minute intervals need {expected}"
                )
            if sum(self.inbound.profile) <= 0:
                raise ValueError("inbound.profile: at least one weight must be positive")
        check_weekdays(self)
        return self

    @property
    def intervals_per_day(self) -> int:
        """Profile intervals in one open day."""
        open_minutes = self.hours.close_minute - self.hours.open_minute
        return math.ceil(open_minutes / self.inbound.interval_minutes)

    def routable_gaps(self) -> list[str]:
        """Triggers that can fire but that no destination group accepts (they always get the
        fallback). Not an error, since some agencies route them elsewhere, but worth a warning."""
        fired = set()
        for ct in self.call_types.values():
            fired |= {t for t, share in ct.triggers.items() if share > 0}
        if self.outbound is not None and self.outbound.contacts_per_week > 0:
            fired |= {t for t, share in self.outbound.triggers.items() if share > 0}
        accepted = set()
        for dest in self.destinations:
            accepted |= set(self.triggers if dest.triggers is None else dest.triggers)
        return sorted(fired - accepted)


# Convenience for the theory tests and notebooks: the exponential patience of Erlang A.
def exponential(mean: float) -> Exponential:
    """An exponential distribution with the given mean (minutes)."""
    return Exponential(dist="exponential", mean=mean)
