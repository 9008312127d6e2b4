"""Call volume: open hours, the intraday arrival profile, calls per open day and the weekday
profile.

Open hours are the intervals holding at least 0.1% of inbound calls. The profile is calls per
minute in each interval of the open day (``inbound.profile`` weights); a Pearson chi-square
test compares it with each named profile. Calls per open day is calls over open days, the
export's cut first and last days counted by the share of the profile they can hold, with a
Student t interval from the full days; the dispersion index (variance / mean of daily counts)
is 1 for Poisson days. Weekday indices and a chi-square test of equal weekdays are reported
only: a scenario has no weekday key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.common import Z95
from sim.calibrate.report import Parameter
from sim.calibrate.zones import set_zone
from sim.loader import scenario_from_dict
from sim.scenario import Scenario

__all__ = ["VolumeFit", "fit_volume"]

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NAMED_PROFILES = ("business_day", "flat", "morning_peak", "afternoon_peak")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class _Intraday:
    """The open day cut into intervals, and the inbound calls of the whole log in each."""

    open_minute: int
    close_minute: int
    starts: np.ndarray
    lengths: np.ndarray
    """Minutes in each interval (the last may be cut by the close)."""
    counts: np.ndarray
    rate: np.ndarray
    """Calls per minute in each interval."""
    weights: np.ndarray
    """``rate`` relative to its mean: the ``inbound.profile`` weights."""
    notes: tuple[str, ...]


def _intraday(inbound: pd.DataFrame, step: int, base: Scenario | None,
              producers: tuple[int, int] | None = None) -> _Intraday:  # fmt: skip
    """Open hours (the producers' hours when given, else the base's if it has rosters, else
    the intervals holding calls) and the calls in each interval of them."""
    minute = inbound["minute_of_day"].to_numpy()
    bins = np.bincount((minute // step).astype(int), minlength=1440 // step)
    notes = []
    if producers is not None:
        open_m, close_m = producers
        outside = int(((minute < open_m) | (minute >= close_m)).sum())
        if outside:
            notes.append(
                f"Open hours are the producers' ({_clock(open_m)}–{_clock(close_m)}): "
                f"{outside} inbound calls arrived outside them and met only the front end; "
                "they are left out of calls_per_day, the profile and the call mix."
            )
    elif base is not None and any(d.roster is not None for d in base.destinations):
        open_m, close_m = base.hours.open_minute, base.hours.close_minute
        notes.append("The base scenario has rosters, so its open hours are kept.")
    else:
        busy = np.flatnonzero(bins >= max(1.0, 0.001 * len(inbound)))
        open_m, close_m = int(busy[0] * step), int(min((busy[-1] + 1) * step, 1440))
    outside = int(((minute < open_m) | (minute >= close_m)).sum())
    if outside and producers is None:
        notes.append(
            f"{outside} inbound calls arrived outside the fitted open hours "
            f"{_clock(open_m)}–{_clock(close_m)}; they count in calls_per_day but not "
            "in the profile."
        )
    starts = np.arange(open_m, close_m, step)
    lengths = np.minimum(starts + step, close_m) - starts
    counts = bins[starts // step].astype(float)
    rate = counts / lengths
    weights = rate / rate.mean() if rate.sum() > 0 else np.ones_like(rate)
    return _Intraday(open_m, close_m, starts, lengths, counts, rate, weights, tuple(notes))


def _day_coverage(inbound: pd.DataFrame, daily: pd.Series, day: _Intraday) -> pd.Series:
    """Share of an open day's expected calls that each day of the export can hold: 1 for
    days in the middle; for the first and last day, the share of the intraday profile's mass
    after its first call or before its last call (an export cut at 13:00 holds only the
    morning of that day). Shares below 1% of a day count as 1% to stay finite."""
    starts, lengths, rate = day.starts, day.lengths, day.rate
    coverage = pd.Series(1.0, index=daily.index)
    total = (rate * lengths).sum()
    if len(daily) < 2 or total <= 0:
        return coverage

    def mass_before(minute: float) -> float:
        inside = np.clip(minute - starts, 0, lengths)
        return float((rate * inside).sum())

    first, last = daily.index[0], daily.index[-1]
    minutes = inbound["minute_of_day"]
    start_first = float(minutes[inbound["date"] == first].min())
    end_last = float(minutes[inbound["date"] == last].max())
    coverage[first] = max(0.01, 1 - mass_before(start_first) / total)
    coverage[last] = max(0.01, mass_before(min(end_last, float((starts + lengths)[-1]))) / total)
    return coverage


@dataclass(frozen=True)
class _Daily:
    counts: pd.Series
    """Inbound calls per date."""
    coverage: pd.Series
    calls_per_day: float
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]


def _daily(inbound: pd.DataFrame, day: _Intraday) -> _Daily:
    """Calls per open day with partial days counted by their coverage, and the dispersion."""
    daily = inbound.groupby("date").size()
    n_days = len(daily)
    coverage = _day_coverage(inbound, daily, day)
    partial = coverage < 0.9
    full = daily[~partial]
    calls_per_day = len(inbound) / float(coverage.sum())
    k = len(full)
    sd_day = float(full.std(ddof=1)) if k > 1 else math.nan
    se_day = sd_day / math.sqrt(k) if k > 1 else math.sqrt(calls_per_day / max(coverage.sum(), 1))
    t = float(stats.t.ppf(0.975, k - 1)) if k > 1 else Z95
    method = "calls / open days, partial days counted by their share of the day's calls; "
    method += "t interval from full days" if k > 1 else "Poisson se"
    low, high = calls_per_day - t * se_day, calls_per_day + t * se_day
    per_day = Parameter(
        "inbound calls per open day", "inbound.calls_per_day", calls_per_day, se_day, low, high,
        n_days, method,
    )  # fmt: skip
    notes = [
        f"{d:%Y-%m-%d} looks like a partial day in the export (its calls cover "
        f"{coverage[d]:.0%} of an open day's expected calls); it counts as that share of a day."
        for d in daily.index[partial]
    ]
    dispersion = Parameter(
        "daily count dispersion (variance / mean)", "",
        sd_day**2 / calls_per_day if k > 1 else math.nan, n=n_days,
        method="1 for Poisson days; above 1 means some days are busier",
    )  # fmt: skip
    if n_days < 5:
        notes.append(
            f"Only {n_days} open day(s) in the log: the day-to-day spread is poorly known."
        )
    return _Daily(daily, coverage, calls_per_day, (per_day, dispersion), tuple(notes))


def _weekdays(inbound: pd.DataFrame, daily: _Daily) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Calls per open day of each weekday, as an index on the average open day."""
    wk = inbound.groupby("weekday").agg(calls=("line", "size"))
    wk["days"] = daily.coverage.groupby(pd.DatetimeIndex(daily.coverage.index).day_of_week).sum()
    wk["calls_per_day"] = wk["calls"] / wk["days"]
    wk["index"] = wk["calls_per_day"] / daily.calls_per_day
    wk.insert(0, "weekday", [_WEEKDAYS[d] for d in wk.index])
    if len(wk) <= 1:
        return wk.reset_index(drop=True), ()
    expected = wk["days"] / wk["days"].sum() * wk["calls"].sum()
    chi = stats.chisquare(wk["calls"], expected)
    note = (
        f"Weekday profile: equal weekdays chi-square p = {chi.pvalue:.3g} (with weeks enough, "
        "each weekday's own volume is fitted as hours.weekdays.<day>.volume)."
    )
    return wk.reset_index(drop=True), (note,)


def _profile_fit(hours: dict, inbound: dict, counts: np.ndarray) -> pd.DataFrame:
    """Pearson chi-square of the observed interval counts against each named profile."""
    from sim.arrivals import interval_rates

    rows = []
    total = counts.sum()
    for profile in _NAMED_PROFILES:
        trial = {"name": "profile check", "hours": hours,
                 "inbound": {**inbound, "profile": profile},
                 "destinations": [{"name": "x", "producers": 1}]}  # fmt: skip
        _, _, expected = interval_rates(scenario_from_dict(trial))
        expected = expected / expected.sum() * total
        chi2 = float(((counts - expected) ** 2 / np.maximum(expected, 1e-12)).sum())
        dof = max(len(counts) - 1, 1)
        rows.append(
            {
                "profile": profile,
                "chi2": chi2,
                "dof": dof,
                "p_value": float(stats.chi2.sf(chi2, dof)),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class VolumeFit:
    """The fitted ``hours`` and ``inbound`` sections, with their evidence."""

    hours: dict[str, Any]
    inbound: dict[str, Any]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    tables: dict[str, pd.DataFrame]
    """``daily``, ``weekday``, ``intraday`` and ``profile_fit``."""
    n_days: int
    first: pd.Timestamp
    last: pd.Timestamp


def _days_per_week(n_days: int, first, last, base: Scenario | None) -> int:
    """Open days a week, from the calendar when the log spans two weeks or more."""
    span_days = (last - first).days + 1
    if span_days >= 14:
        return int(np.clip(round(n_days / (span_days / 7)), 1, 7))
    return base.hours.days_per_week if base is not None else 5


def fit_volume(
    inbound: pd.DataFrame,
    step: int,
    base: Scenario | None,
    base_hours: dict,
    timezone: str | None,
    producers: tuple[int, int] | None = None,
) -> VolumeFit:
    """Hours, profile and calls per day from the inbound calls (``base_hours``: the base
    scenario's ``hours`` section; ``timezone``: the log's zone, if known; ``producers``: the
    producers' open and close minute, whose hours are then the open hours and the only calls
    counted)."""
    first, last = inbound["date"].min(), inbound["date"].max()
    day = _intraday(inbound, step, base, producers)
    if producers is not None:
        m = inbound["minute_of_day"].to_numpy()
        inbound = inbound[(m >= producers[0]) & (m < producers[1])]
    daily = _daily(inbound, day)
    n_days = len(daily.counts)
    weekday, weekday_notes = _weekdays(inbound, daily)
    hours = dict(base_hours)
    hours.update({"open": _clock(day.open_minute), "close": _clock(day.close_minute),
                  "days_per_week": _days_per_week(n_days, first, last, base)})  # fmt: skip
    zone_notes = set_zone(hours, timezone)
    inbound_section = {"calls_per_day": round(daily.calls_per_day, 3),
                       "profile": [float(w) for w in np.round(day.weights, 4)],
                       "interval_minutes": step}  # fmt: skip
    days = daily.coverage.sum()
    tables = {
        "daily": pd.DataFrame({"date": daily.counts.index, "calls": daily.counts.to_numpy(),
                               "share_of_day_covered": daily.coverage.to_numpy()}),
        "weekday": weekday,
        "intraday": pd.DataFrame(
            {"interval": [_clock(int(s)) for s in day.starts], "calls": day.counts.astype(int),
             "calls_per_day": day.counts / days, "se": np.sqrt(day.counts) / days,
             "weight": np.round(day.weights, 4)}
        ),
        "profile_fit": _profile_fit(hours, inbound_section, day.counts),
    }  # fmt: skip
    notes = (*day.notes, *daily.notes, *weekday_notes, *zone_notes)
    return VolumeFit(hours, inbound_section, daily.parameters, notes, tables, n_days, first, last)
