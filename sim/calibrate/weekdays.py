"""Open hours and weekdays as the producers kept them: ``hours`` and ``hours.weekdays``.

A front end (an IVR or the voice AI) may answer around the clock while producers work only part
of it, so the open hours written are the **producers'**: the intervals of the day in which
callers asked for a producer and were answered, on at least :data:`MIN_DAY_SHARE` of the open
days (a stray late answer on one evening does not open the hours). Calls arriving outside them
met only the front end; they are counted and left out of the day's volume and profile.

When the log spans at least :data:`MIN_WEEKS` of each weekday, each weekday gets its own:

- **hours** (the producers' hours of that weekday's days), written only where they differ from
  the default day (the hours most weekdays keep);
- **closed**: a weekday that occurred in the log's span that often with no producer answering;
- **volume**: inbound calls inside that weekday's hours per such day, over ``calls_per_day`` (the
  average open day), with a Student t interval across its days; and its own **profile** where
  its hours differ.

With a shorter log, one average day is written (as before) and the weekday index is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.groups import Day
from sim.calibrate.report import Parameter

__all__ = [
    "MIN_DAY_SHARE",
    "MIN_WEEKS",
    "WEEKDAY_KEYS",
    "WeekdaysFit",
    "fit_weekdays",
    "in_producer_hours",
    "producer_hours",
]

MIN_WEEKS = 3
"""Occurrences of every weekday the log's span needs before weekdays are fitted."""
MIN_DAY_SHARE = 0.1
"""Share of open days on which producers answered in an interval for it to be open hours."""
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _answers(df: pd.DataFrame) -> pd.DataFrame:
    """Answered transfers: the date of the call and the minute of that day the caller asked
    for a producer (a caller who asked at 16:59 and was answered at 17:00 shows producers at
    16:59; a request after midnight counts in the day's last minute)."""
    calls = df[df["outcome"].isin(["connected", "failed"])]
    minute = calls["minute_of_day"].to_numpy(float) + calls["transfer_minutes"].fillna(0).to_numpy(
        float
    )
    return pd.DataFrame({"date": calls["date"].to_numpy(), "minute": np.minimum(minute, 1439.5)})


def producer_hours(df: pd.DataFrame, step: int) -> tuple[int, int] | None:
    """Open and close minute of the producers' day: the first and last interval in which
    producers answered on at least :data:`MIN_DAY_SHARE` of the days they answered at all
    (None: nobody answered)."""
    answers = _answers(df)
    if answers.empty:
        return None
    cell = (answers["minute"] // step).astype(int)
    days_with = answers.assign(cell=cell).groupby("cell")["date"].nunique()
    n_days = answers["date"].nunique()
    busy = days_with.index[days_with >= max(1, MIN_DAY_SHARE * n_days)]
    if not len(busy):
        return None
    return int(busy.min() * step), int(min((busy.max() + 1) * step, 1440))


@dataclass(frozen=True)
class WeekdaysFit:
    """The fitted weekday pattern (empty ``weekdays`` when the log is too short)."""

    weekdays: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``hours.weekdays`` as a scenario writes it."""
    days: dict[str, Day] = field(default_factory=dict)
    """Open weekdays with hours of their own (their rosters are fitted on those hours)."""
    default: Day | None = None
    """The default day and the weekdays that keep it."""
    parameters: tuple[Parameter, ...] = ()
    notes: tuple[str, ...] = ()
    open_weekdays: int = 0
    days_seen: dict[str, int] = field(default_factory=dict)
    """Open days of each weekday in the log."""


def _weeks_seen(dates: pd.Series) -> pd.Series:
    """How often each weekday (0 = Monday) occurs in the log's calendar span."""
    span = pd.date_range(dates.min(), dates.max(), freq="D")
    return pd.Series(span.day_of_week).value_counts().reindex(range(7), fill_value=0)


def _volume(inbound: pd.DataFrame, dates: pd.Index, day: Day, calls_per_day: float,
            key: str) -> tuple[float, Parameter]:  # fmt: skip
    """Calls inside ``day``'s hours per open day of the weekday, over ``calls_per_day``."""
    m = inbound["minute_of_day"].to_numpy()
    inside = inbound[(m >= day.open_minute) & (m < day.close_minute)]
    counts = inside.groupby("date").size().reindex(dates, fill_value=0).to_numpy(float)
    ratio = counts / calls_per_day
    mean = float(ratio.mean())
    if len(ratio) > 1:
        se = float(ratio.std(ddof=1) / math.sqrt(len(ratio)))
        half = float(stats.t.ppf(0.975, len(ratio) - 1)) * se
    else:
        se = half = math.nan
    param = Parameter(
        f"{key} volume (calls / average open day; hours.weekdays.{key}.volume)", "", mean, se,
        mean - half, mean + half, len(ratio), "mean over its days, t interval across days",
    )  # fmt: skip
    return mean, param


def _profile(inbound: pd.DataFrame, day: Day, step: int) -> list[float]:
    """The weekday's own intraday weights (calls per minute per interval, relative to the
    mean), on its own hours."""
    starts = np.arange(day.open_minute, day.close_minute, step)
    lengths = np.minimum(starts + step, day.close_minute) - starts
    m = inbound["minute_of_day"].to_numpy()
    cell = ((m - day.open_minute) // step).astype(int)
    ok = (m >= day.open_minute) & (m < day.close_minute)
    counts = np.bincount(cell[ok], minlength=len(starts))[: len(starts)].astype(float)
    rate = counts / lengths
    weights = rate / rate.mean() if rate.sum() > 0 else np.ones_like(rate)
    return [float(w) for w in np.round(weights, 4)]


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def fit_weekdays(inbound: pd.DataFrame, df: pd.DataFrame, step: int,
                 calls_per_day: float) -> WeekdaysFit:  # fmt: skip
    """Each weekday's producer hours, volume (relative to ``calls_per_day``) and, where its
    hours differ from the default day's, its own profile (see the module docstring)."""
    seen = _weeks_seen(df["date"])
    if seen.min() < MIN_WEEKS:
        note = (
            f"Weekdays: the log spans {int(seen.min())} of some weekday (need {MIN_WEEKS} of "
            "each to fit a weekday pattern): one average day is written."
        )
        return WeekdaysFit(notes=(note,))
    hours: dict[int, tuple[int, int] | None] = {}
    for wd in range(7):
        hours[wd] = producer_hours(df[df["weekday"] == wd], step)
    open_days = [wd for wd in range(7) if hours[wd] is not None]
    if not open_days:
        return WeekdaysFit(notes=("Weekdays: no producer answered a call; none fitted.",))
    common = pd.Series([hours[wd] for wd in open_days]).value_counts().index[0]
    default = Day(int(common[0]), int(common[1]),
                  tuple(wd for wd in open_days if hours[wd] == common))  # fmt: skip
    weekdays: dict[str, dict[str, Any]] = {}
    days: dict[str, Day] = {}
    seen_days: dict[str, int] = {}
    params: list[Parameter] = []
    for wd in range(7):
        key = WEEKDAY_KEYS[wd]
        if hours[wd] is None:
            weekdays[key] = {"closed": True}
            continue
        own = hours[wd]
        assert own is not None
        day = Day(own[0], own[1], (wd,))
        dates = pd.Index(sorted(df.loc[df["weekday"] == wd, "date"].unique()))
        volume, param = _volume(inbound[inbound["weekday"] == wd], dates, day, calls_per_day,
                                key)  # fmt: skip
        entry: dict[str, Any] = {"volume": round(volume, 4)}
        if own != common:
            profile = _profile(inbound[inbound["weekday"] == wd], day, step)
            entry.update(open=_clock(own[0]), close=_clock(own[1]), profile=profile)
        days[key] = day
        seen_days[key] = len(dates)
        weekdays[key] = entry
        params.append(param)
    closed = [WEEKDAY_KEYS[wd] for wd in range(7) if hours[wd] is None]
    notes = [
        f"Weekdays fitted from {int(seen.min())}+ weeks: default day "
        f"{_clock(default.open_minute)}–{_clock(default.close_minute)} (the producers' hours "
        f"on {', '.join(WEEKDAY_KEYS[w] for w in default.weekdays)})"
        + (f"; closed: {', '.join(closed)}" if closed else "")
        + "; per-weekday volume relative to calls_per_day, and rosters per weekday."
    ]
    return WeekdaysFit(weekdays, days, default, tuple(params), tuple(notes), len(open_days),
                       seen_days)  # fmt: skip


def in_producer_hours(calls: pd.DataFrame, fit: WeekdaysFit) -> pd.DataFrame:
    """The calls that arrived inside their own weekday's producer hours (none on a closed
    weekday): the calls producers could be asked for, the only ones in the volume and mix."""
    keep = np.zeros(len(calls), dtype=bool)
    weekday = calls["weekday"].to_numpy()
    minute = calls["minute_of_day"].to_numpy()
    for key, day in fit.days.items():
        wd = WEEKDAY_KEYS.index(key)
        keep |= (weekday == wd) & (minute >= day.open_minute) & (minute < day.close_minute)
    return calls[keep]
