"""Calibration: an agency's own call log turned into a scenario, with the evidence for each value.

``calibrate(log)`` fits, from the usable calls of a :class:`sim.calllog.CallLog` (or a raw
DataFrame / CSV path, read with :func:`sim.calllog.read_call_log`):

- **open hours** and the **intraday arrival profile** (calls per minute in each interval of the
  open day, as ``inbound.profile`` weights; chi-square fit of the named profiles reported);
- **calls per open day** (mean of daily counts with a t interval; the dispersion index shows
  whether days vary more than Poisson) and a **weekday profile** (report only: a scenario has no
  weekday key, so ``calls_per_day`` is the average open day);
- **call-type mix**, **AI rollout**, **containment by type** and **trigger mix by type**
  (proportions with Wilson 95% intervals);
- **AI talk time** and each producer group's **handle** and **wrap-up** times: lognormal or gamma,
  whichever has the higher likelihood (both have two parameters), with the standard error of the
  mean and a Kolmogorov–Smirnov distance; a constant becomes ``fixed``;
- **producers per group**: the most calls a group had in service at once (a lower bound);
- **caller patience**, from censored data: a caller who was answered after waiting *w* did not
  reveal their patience, only that it exceeded *w* (right-censored); a caller who hung up after
  *w* revealed it. The exponential maximum-likelihood estimate is ``mean = total waiting time of
  all offered callers / number who hung up``, with a chi-square interval; a Kaplan–Meier curve
  (statsmodels ``SurvfuncRight``) checks the exponential shape. The mean wait of the callers who
  hung up (the naive estimate) is reported too, as a warning: it is biased low, because callers
  with long patience are answered before they would hang up;
- the **bridge failure rate**.

Everything the log cannot show (money, outcomes, intake, ring and whisper times, the outbound
campaign) comes from ``base`` or the lab's defaults. ``misroutes`` reads producers' reason codes
for transfers the AI could have finished, and ``recapture`` re-simulates with them contained.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from sim._api import callable_module
from sim.calllog import (
    CalibrationError,
    CallLog,
    RowProblem,
    from_frame,
    lab_zone,
    normalise_name,
    read_call_log,
)
from sim.loader import ScenarioError, load_scenario, scenario_from_dict, scenario_to_toml
from sim.scenario import DEFAULT_TRIGGERS, Scenario

__all__ = [
    "DEFAULT_CONTAINABLE",
    "MIN_CALLS",
    "Calibration",
    "CalibrationError",
    "DurationFit",
    "Misroutes",
    "Recapture",
    "Report",
    "calibrate",
    "calibrate_file",
    "fit_duration",
    "misroutes",
    "patience_km",
    "patience_mle",
    "recapture",
]

MIN_CALLS = 100
"""Fewest usable inbound calls ``calibrate`` accepts."""
MIN_DURATIONS = 20
"""Fewest observations to fit a duration; with fewer, the base (or default) value is kept."""
MIN_TYPE_CALLS = 20
"""Fewest AI-handled calls of a type to fit its own containment and trigger mix."""
_Z = float(special.ndtri(0.975))
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NAMED_PROFILES = ("business_day", "flat", "morning_peak", "afternoon_peak")
_OFFERED = ("connected", "failed", "abandoned", "no_producer", "voicemail")


# ---------------------------------------------------------------------------------------------
# Estimators


def wilson(successes: float, n: float, z: float = _Z) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n <= 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def patience_mle(waits: np.ndarray, abandoned: np.ndarray, level: float = 0.95) -> dict:
    """Exponential patience from right-censored waits: the maximum-likelihood mean is the total
    time offered callers waited (exposure) over the number who hung up (events).

    ``waits``: minutes each offered caller waited (until answered, hung up, or the queue
    closed); ``abandoned``: whether they hung up (True) or were censored (False). The interval
    is exact for the exposure/events ratio (chi-square with 2·events and 2·events + 2 degrees
    of freedom). With no hang-ups the mean is unbounded: only a lower confidence bound is given.
    """
    waits = np.asarray(waits, dtype=float)
    events_mask = np.asarray(abandoned, dtype=bool)
    exposure, events = float(waits.sum()), int(events_mask.sum())
    alpha = 1 - level
    lower = 2 * exposure / stats.chi2.ppf(1 - alpha / 2, 2 * events + 2)
    if events == 0:
        return {"mean": math.inf, "se": math.nan, "ci_low": lower, "ci_high": math.inf,
                "events": 0, "exposure": exposure, "n": len(waits)}
    mean = exposure / events
    upper = 2 * exposure / stats.chi2.ppf(alpha / 2, 2 * events)
    return {"mean": mean, "se": mean / math.sqrt(events), "ci_low": lower, "ci_high": upper,
            "events": events, "exposure": exposure, "n": len(waits)}


def patience_km(waits: np.ndarray, abandoned: np.ndarray) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share of callers still willing to wait after *t* minutes
    (statsmodels ``SurvfuncRight``), at each time a caller hung up."""
    from statsmodels.duration.survfunc import SurvfuncRight

    waits = np.asarray(waits, dtype=float)
    status = np.asarray(abandoned, dtype=int)
    if status.sum() == 0:
        return pd.DataFrame(columns=["minutes", "still_waiting", "se", "at_risk"])
    sf = SurvfuncRight(waits, status)
    return pd.DataFrame(
        {
            "minutes": sf.surv_times,
            "still_waiting": sf.surv_prob,
            "se": sf.surv_prob_se,
            "at_risk": sf.n_risk,
        }
    )


@dataclass(frozen=True)
class DurationFit:
    """A fitted duration distribution and the evidence for it."""

    dist: dict[str, Any]
    """The scenario value, e.g. ``{"dist": "lognormal", "mean": 12.1, "sd": 6.0}``."""
    family: str
    mean: float
    sd: float
    se: float
    """Standard error of the mean."""
    ci_low: float
    ci_high: float
    n: int
    loglik: dict[str, float]
    """Log-likelihood of each family tried."""
    ks: float
    """Kolmogorov–Smirnov distance between the data and the chosen distribution."""
    note: str = ""


def fit_duration(values: np.ndarray) -> DurationFit:
    """Fit lognormal and gamma by maximum likelihood and keep the likelier (same number of
    parameters, so the likelihood alone decides). A constant (e.g. a scripted wrap-up) gives a
    ``fixed`` distribution. If 5% or more of the values are zero (neither family allows zero),
    the chosen family is matched to the mean and standard deviation of all values instead."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        raise CalibrationError("no durations to fit")
    mean_all, sd_all = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    se_all = sd_all / math.sqrt(n) if n > 1 else math.nan
    if sd_all <= 1e-9 * max(1.0, abs(mean_all)):
        value = round(mean_all, 4)
        return DurationFit({"dist": "fixed", "value": value}, "fixed", value, 0.0, 0.0, value,
                           value, n, {}, 0.0)
    zeros = float((x <= 0).mean())
    pos = x[x > 0]
    logs = np.log(pos)
    mu, s = float(logs.mean()), float(logs.std())
    ll_lognormal = float(stats.norm.logpdf(logs, mu, s).sum() - logs.sum())
    m, mean_log = float(pos.mean()), float(logs.mean())
    gap = math.log(m) - mean_log
    shape = optimize.brentq(lambda a: math.log(a) - special.digamma(a) - gap, 1e-6, 1e7)
    scale = m / shape
    ll_gamma = float(stats.gamma.logpdf(pos, shape, scale=scale).sum())
    loglik = {"lognormal": ll_lognormal, "gamma": ll_gamma}
    family = "lognormal" if ll_lognormal >= ll_gamma else "gamma"
    note = ""
    if zeros >= 0.05:
        mean, sd, se = mean_all, sd_all, se_all
        note = f"{zeros:.0%} of values are zero: moments of all values used"
    elif family == "lognormal":
        mean = math.exp(mu + s * s / 2)
        sd = mean * math.sqrt(math.expm1(s * s))
        se = mean * math.sqrt(s * s / len(pos) + s**4 / (2 * len(pos)))
    else:
        mean, sd = shape * scale, math.sqrt(shape) * scale
        se = sd / math.sqrt(len(pos))
    if family == "lognormal":
        s2 = math.log1p((sd / mean) ** 2)
        cdf = stats.lognorm(math.sqrt(s2), scale=math.exp(math.log(mean) - s2 / 2)).cdf
    else:
        cdf = stats.gamma((mean / sd) ** 2, scale=sd * sd / mean).cdf
    ks = float(stats.kstest(x, cdf).statistic)
    dist = {"dist": family, "mean": round(mean, 4), "sd": round(sd, 4)}
    return DurationFit(dist, family, mean, sd, se, mean * math.exp(-_Z * se / mean),
                       mean * math.exp(_Z * se / mean), n, loglik, ks, note)


def _shares(counts: pd.Series) -> dict[str, float]:
    """Shares rounded to 4 decimals that still sum to exactly 1."""
    total = float(counts.sum())
    shares = {str(k): round(float(v) / total, 4) for k, v in counts.items() if v > 0}
    biggest = max(shares, key=shares.__getitem__)
    shares[biggest] = round(1.0 - sum(v for k, v in shares.items() if k != biggest), 6)
    return shares


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _peak_concurrency(starts: np.ndarray, ends: np.ndarray, slack: float = 0.05) -> int:
    """Most intervals open at once. Each interval is shortened by ``slack`` minutes (3 s) at
    each end, so that exports rounded to whole seconds do not make a producer's next call
    overlap the one before."""
    starts, ends = starts + slack, ends - slack
    ok = ~np.isnan(starts) & ~np.isnan(ends) & (ends > starts)
    if not ok.any():
        return 0
    times = np.concatenate([starts[ok], ends[ok]])
    steps = np.concatenate([np.ones(ok.sum()), -np.ones(ok.sum())])
    order = np.lexsort((steps, times))  # an end at the same instant frees the seat first
    return int(np.cumsum(steps[order]).max())


# ---------------------------------------------------------------------------------------------
# Report and result


@dataclass
class Report:
    """What was fitted and how well: one row per scenario parameter, plus detail tables."""

    parameters: pd.DataFrame
    """Columns: parameter, key (scenario key set), estimate, se, ci_low, ci_high, n, method."""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Detail tables: ``intraday``, ``profile_fit``, ``daily``, ``weekday``, ``call_types``,
    ``triggers``, ``durations``, ``patience_km``."""
    notes: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        """The report as plain text (no personal data: it holds only counts and estimates)."""
        lines = ["Fitted parameters (95% intervals):"]
        for row in self.parameters.itertuples():
            ci = (
                f" [{row.ci_low:.4g}, {row.ci_high:.4g}]"
                if np.isfinite(row.ci_low) or np.isfinite(row.ci_high)
                else ""
            )
            se = f" ± {row.se:.3g}" if np.isfinite(row.se) else ""
            lines.append(f"  {row.parameter}: {row.estimate:.4g}{se}{ci} (n={row.n}; "
                         f"{row.method})")
        if "weekday" in self.tables and len(self.tables["weekday"]):
            wk = self.tables["weekday"]
            lines.append("Weekday index (calls on that weekday / average open day): "
                         + ", ".join(f"{r.weekday} {r.index:.2f}" for r in wk.itertuples()))
        lines.extend(self.notes)
        return "\n".join(lines)


@dataclass
class Calibration:
    """A scenario fitted to a call log, the report behind it and the rows left out."""

    scenario: Scenario
    report: Report
    problems: list[RowProblem]
    log: CallLog

    def to_toml(self) -> str:
        """The scenario as TOML with a header saying where it came from (no personal data)."""
        return scenario_to_toml(self.scenario, header=self.header())

    def header(self) -> str:
        log, sc = self.log, self.scenario
        p = self.report.parameters.set_index("parameter")
        lines = [
            f"Calibrated by handoff-lab from {log.source}: {log.rows_used} of {log.rows_read} "
            f"rows used, {log.rows_with_problems} left out (see the calibration report).",
            "Fitted from the log: hours, inbound (calls_per_day, profile), call_types, ai "
            "(enabled, rollout, talk_minutes), destinations (names, producers, handle and wrap-up "
            "minutes), transfer (patience_minutes, failure_rate).",
            "Not in a call log, kept from the base scenario or defaults: costs, outcomes, intake, "
            "outbound, ring_seconds, whisper_seconds, fallback.",
        ]
        if "patience mean (minutes)" in p.index:
            r = p.loc["patience mean (minutes)"]
            lines.append(f"Patience mean {r.estimate:.3g} min (95% CI {r.ci_low:.3g}–"
                         f"{r.ci_high:.3g}) from {r.n} offered callers (censored MLE).")
        wk = self.report.tables.get("weekday")
        if wk is not None and len(wk):
            lines.append("Weekday index (no scenario key; calls_per_day is the average open "
                         "day): " + ", ".join(f"{r.weekday} {r.index:.2f}"
                                             for r in wk.itertuples()))
        lines.append(f"Simulate with: handoff-lab simulate <this file>  ({sc.name})")
        return "\n".join(lines)

    def summary(self) -> str:
        """Log summary and report, for the command line."""
        return self.log.summary() + "\n" + self.report.to_text()


# ---------------------------------------------------------------------------------------------
# Calibration


def _as_log(log_or_df: CallLog | pd.DataFrame | str | os.PathLike, timezone: str | None,
            ) -> CallLog:
    if isinstance(log_or_df, CallLog):
        return log_or_df
    if isinstance(log_or_df, pd.DataFrame):
        return from_frame(log_or_df, timezone=timezone)
    return read_call_log(log_or_df, timezone=timezone)


def calibrate(
    log_or_df: CallLog | pd.DataFrame | str | os.PathLike,
    name: str | None = None,
    base: Scenario | None = None,
    timezone: str | None = None,
    interval_minutes: Literal[5, 10, 15, 20, 30, 60] | None = None,
    min_calls: int = MIN_CALLS,
) -> Calibration:
    """Fit a scenario to a call log (see the module docstring for what is fitted and how).

    ``base`` supplies everything a log cannot show (money, outcomes, …); destination groups of
    the same name keep its ring time, shift and overrides. ``timezone`` is used only when a
    DataFrame or path is given. Raises :class:`CalibrationError` with fewer than ``min_calls``
    usable inbound calls.
    """
    log = _as_log(log_or_df, timezone)
    df = log.frame
    inbound = df[df["direction"] == "inbound"]
    if len(inbound) < min_calls:
        shown = "; ".join(str(p) for p in log.problems[:3])
        more = f" First problems: {shown}" if shown else ""
        raise CalibrationError(
            f"{log.source}: too little data to calibrate: {len(inbound)} usable inbound calls, "
            f"need at least {min_calls} ({log.rows_read} rows read, {log.rows_with_problems} "
            f"left out).{more}"
        )
    rows: list[dict] = []
    tables: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    fits: list[tuple[str, DurationFit]] = []

    def param(parameter, key, estimate, se, lo, hi, n, method):
        rows.append({"parameter": parameter, "key": key, "estimate": float(estimate),
                     "se": float(se), "ci_low": float(lo), "ci_high": float(hi), "n": int(n),
                     "method": method})

    data: dict[str, Any] = (
        base.model_dump(mode="json", exclude_none=True) if base is not None else {}
    )
    data["name"] = name or f"Calibrated from {log.source}"
    step = interval_minutes or (base.inbound.interval_minutes if base is not None else 30)

    # --- days, hours, intraday profile ---
    dates = inbound["date"]
    first, last = dates.min(), dates.max()
    minute = inbound["minute_of_day"].to_numpy()
    bins = np.bincount((minute // step).astype(int), minlength=1440 // step)
    keep_hours = base is not None and any(d.roster is not None for d in base.destinations)
    if keep_hours:
        open_m, close_m = base.hours.open_minute, base.hours.close_minute
        notes.append("The base scenario has rosters, so its open hours are kept.")
    else:
        floor = max(1.0, 0.001 * len(inbound))
        busy = np.flatnonzero(bins >= floor)
        open_m, close_m = int(busy[0] * step), int(min((busy[-1] + 1) * step, 1440))
    outside = int(((minute < open_m) | (minute >= close_m)).sum())
    if outside:
        notes.append(f"{outside} inbound calls arrived outside the fitted open hours "
                     f"{_clock(open_m)}–{_clock(close_m)}; they count in calls_per_day but not "
                     "in the profile.")
    starts = np.arange(open_m, close_m, step)
    lengths = np.minimum(starts + step, close_m) - starts
    counts = bins[starts // step].astype(float)
    rate = counts / lengths
    weights = rate / rate.mean() if rate.sum() > 0 else np.ones_like(rate)
    daily = inbound.groupby("date").size()
    n_days = len(daily)
    coverage = _day_coverage(inbound, daily, starts, lengths, rate)
    partial = coverage < 0.9
    full = daily[~partial]
    calls_per_day = len(inbound) / float(coverage.sum())
    k = len(full)
    sd_day = float(full.std(ddof=1)) if k > 1 else math.nan
    se_day = sd_day / math.sqrt(k) if k > 1 else math.sqrt(calls_per_day / max(coverage.sum(), 1))
    t = float(stats.t.ppf(0.975, k - 1)) if k > 1 else _Z
    param("inbound calls per open day", "inbound.calls_per_day", calls_per_day, se_day,
          calls_per_day - t * se_day, calls_per_day + t * se_day, n_days,
          "calls / open days, partial days counted by their share of the day's calls; "
          + ("t interval from full days" if k > 1 else "Poisson se"))
    tables["daily"] = pd.DataFrame({"date": daily.index, "calls": daily.to_numpy(),
                                    "share_of_day_covered": coverage.to_numpy()})
    for day in daily.index[partial]:
        notes.append(f"{day:%Y-%m-%d} looks like a partial day in the export (its calls cover "
                     f"{coverage[day]:.0%} of an open day's expected calls); it counts as that "
                     "share of a day.")
    dispersion = sd_day**2 / calls_per_day if k > 1 else math.nan
    param("daily count dispersion (variance / mean)", "", dispersion, math.nan, math.nan,
          math.nan, n_days, "1 for Poisson days; above 1 means some days are busier")
    if n_days < 5:
        notes.append(f"Only {n_days} open day(s) in the log: the day-to-day spread is poorly "
                     "known.")
    span_days = (last - first).days + 1
    per_week = (
        int(np.clip(round(n_days / (span_days / 7)), 1, 7)) if span_days >= 14
        else (base.hours.days_per_week if base is not None else 5)
    )
    wk = inbound.groupby("weekday").agg(calls=("line", "size"))
    wk["days"] = coverage.groupby(pd.DatetimeIndex(coverage.index).day_of_week).sum()
    wk["calls_per_day"] = wk["calls"] / wk["days"]
    wk["index"] = wk["calls_per_day"] / calls_per_day
    wk.insert(0, "weekday", [_WEEKDAYS[d] for d in wk.index])
    tables["weekday"] = wk.reset_index(drop=True)
    if len(wk) > 1:
        expected = wk["days"] / wk["days"].sum() * wk["calls"].sum()
        chi = stats.chisquare(wk["calls"], expected)
        notes.append(
            f"Weekday profile: equal weekdays chi-square p = {chi.pvalue:.3g}. A scenario has no "
            "weekday key; calls_per_day is the average open day (scale it with --set "
            "inbound.calls_per_day=… to study a busy weekday)."
        )
    tables["intraday"] = pd.DataFrame(
        {"interval": [_clock(int(s)) for s in starts], "calls": counts.astype(int),
         "calls_per_day": counts / coverage.sum(), "se": np.sqrt(counts) / coverage.sum(),
         "weight": np.round(weights, 4)}
    )
    hours = dict(data.get("hours", {}))
    hours.update({"open": _clock(open_m), "close": _clock(close_m), "days_per_week": per_week})
    zone = lab_zone(log.timezone)
    if zone is not None:
        hours["timezone"] = zone
    else:
        notes.append(f"No agency time zone given: hours.timezone is {hours.get('timezone', 'ET')} "
                     "(from the base scenario or the default); pass the time zone to set it.")
    data["hours"] = hours
    data["inbound"] = {"calls_per_day": round(calls_per_day, 3),
                       "profile": [float(w) for w in np.round(weights, 4)],
                       "interval_minutes": step}
    tables["profile_fit"] = _profile_fit(data, counts)

    # --- call types, AI, containment, triggers ---
    types = inbound["call_type"].fillna("other")
    if inbound["call_type"].isna().all():
        types = pd.Series("general", index=inbound.index)
        notes.append("The log has no call types: one type, 'general'.")
    type_counts = types.value_counts()
    is_ai = inbound["handled_by"] == "ai"
    n_ai = int(is_ai.sum())
    known = list(base.triggers if base is not None else DEFAULT_TRIGGERS)
    all_trig = df["trigger"].dropna().map(_trigger_name)
    for trig in all_trig.unique():
        if trig not in known:
            known.append(trig)
    data["triggers"] = known
    base_types = base.call_types if base is not None else {}
    default_mix = {name: 0.25 for name in DEFAULT_TRIGGERS}
    shares = _shares(type_counts)
    ct_rows, trig_rows, call_types = [], [], {}
    offered_in = inbound["outcome"].isin(_OFFERED)
    overall_cont = float((inbound["outcome"][is_ai] == "contained").mean()) if n_ai else 0.5
    for type_name, count in type_counts.items():
        mask = types == type_name
        ai_t = int((mask & is_ai).sum())
        cont_t = int((mask & is_ai & (inbound["outcome"] == "contained")).sum())
        lo, hi = wilson(count, len(inbound))
        share = count / len(inbound)
        param(f"share of {type_name} calls", f"call_types.{type_name}.share", share,
              math.sqrt(share * (1 - share) / len(inbound)), lo, hi, len(inbound), "proportion")
        if ai_t >= MIN_TYPE_CALLS:
            containment = cont_t / ai_t
            lo, hi = wilson(cont_t, ai_t)
            param(f"AI containment of {type_name}", f"call_types.{type_name}.containment",
                  containment, math.sqrt(containment * (1 - containment) / ai_t), lo, hi, ai_t,
                  "proportion of AI-handled calls the AI resolved")
        else:
            base_ct = base_types.get(type_name)
            containment = base_ct.containment if base_ct is not None else overall_cont
            if n_ai:
                notes.append(f"{type_name}: only {ai_t} AI-handled calls; containment "
                             f"{containment:.2f} taken from the base scenario or all types.")
        trig = inbound.loc[mask & offered_in, "trigger"].dropna().map(_trigger_name)
        trig_counts = trig.value_counts()
        if len(trig) >= MIN_TYPE_CALLS:
            mix = _shares(trig_counts)
            for tname, tcount in trig_counts.items():
                lo, hi = wilson(tcount, len(trig))
                p = tcount / len(trig)
                trig_rows.append({"call_type": type_name, "trigger": tname, "calls": int(tcount),
                                  "share": p, "se": math.sqrt(p * (1 - p) / len(trig)),
                                  "ci_low": lo, "ci_high": hi})
        else:
            base_ct = base_types.get(type_name)
            mix = dict(base_ct.triggers) if base_ct is not None else default_mix
            notes.append(f"{type_name}: {len(trig)} transfers with a trigger; trigger mix taken "
                         "from the base scenario or defaults.")
        ct_rows.append({"call_type": type_name, "calls": int(count), "share": share,
                        "ai_calls": ai_t, "contained": cont_t, "containment": containment,
                        "transfers_with_trigger": len(trig)})
        call_types[str(type_name)] = {"share": shares[str(type_name)],
                                      "containment": round(containment, 4), "triggers": mix}
    data["call_types"] = call_types
    tables["call_types"] = pd.DataFrame(ct_rows)
    tables["triggers"] = pd.DataFrame(
        trig_rows, columns=["call_type", "trigger", "calls", "share", "se", "ci_low", "ci_high"]
    )
    ai_section = dict(data.get("ai", {}))
    if n_ai:
        rollout = n_ai / len(inbound)
        lo, hi = wilson(n_ai, len(inbound))
        param("AI rollout (share of inbound calls the AI handled)", "ai.rollout", rollout,
              math.sqrt(rollout * (1 - rollout) / len(inbound)), lo, hi, len(inbound),
              "proportion (AI overflow to humans counts as not handled)")
        ai_section.update({"enabled": True, "rollout": round(rollout, 4)})
        talk = df.loc[df["handled_by"] == "ai", "ai_minutes"].dropna()
        if len(talk) >= MIN_DURATIONS:
            fit = fit_duration(talk.to_numpy())
            _duration_params(param, "AI talk minutes", "ai.talk_minutes", fit)
            ai_section["talk_minutes"] = fit.dist
            fits.append(("AI talk", fit))
        else:
            notes.append(f"Only {len(talk)} AI talk times in the log: talk_minutes kept from the "
                         "base scenario or defaults.")
    else:
        ai_section = {"enabled": False}
        notes.append("No AI-handled calls in the log: the scenario is the all-human baseline.")
    data["ai"] = ai_section

    # --- producer groups ---
    data["destinations"] = _groups(df, base, param, fits, notes)

    # --- transfer: patience and failures ---
    transfer = dict(data.get("transfer", {}))
    offered = df[df["outcome"].isin(_OFFERED) & df["wait_minutes"].notna()]
    if len(offered):
        waits = offered["wait_minutes"].to_numpy()
        gone = (offered["outcome"] == "abandoned").to_numpy()
        est = patience_mle(waits, gone)
        km = patience_km(waits, gone)
        tables["patience_km"] = km
        naive = float(waits[gone].mean()) if gone.any() else math.nan
        if est["events"]:
            param("patience mean (minutes)", "transfer.patience_minutes", est["mean"], est["se"],
                  est["ci_low"], est["ci_high"], est["n"],
                  f"exponential MLE from censored waits: {est['events']} hung up / "
                  f"{est['exposure']:.0f} waiting minutes")
            param("naive patience: mean wait of callers who hung up (biased, not used)", "",
                  naive, math.nan, math.nan, math.nan, est["events"],
                  "ignores censoring: too low")
            expo = np.exp(-km["minutes"].to_numpy() / est["mean"])
            gap = float(np.abs(km["still_waiting"].to_numpy() - expo).max())
            median_km = _km_median(km)
            param("Kaplan–Meier vs exponential: largest gap in survival", "", gap, math.nan,
                  math.nan, math.nan, est["n"],
                  "statsmodels SurvfuncRight; small means the exponential fits")
            if np.isfinite(median_km):
                param("patience median, Kaplan–Meier (minutes)", "", median_km, math.nan,
                      math.nan, math.nan, est["n"],
                      f"exponential median is {est['mean'] * math.log(2):.3g}")
            transfer["patience_minutes"] = {"dist": "exponential", "mean": round(est["mean"], 4)}
        else:
            notes.append(f"No offered caller hung up ({len(offered)} offered, "
                         f"{est['exposure']:.0f} waiting minutes): patience is at least "
                         f"{est['ci_low']:.3g} minutes on average (95% lower bound); callers are "
                         "modelled as never hanging up unless the base scenario says otherwise.")
        answered = df["outcome"].isin(["connected", "failed"])
        failed = int((df["outcome"] == "failed").sum())
        n_ans = int(answered.sum())
        if n_ans:
            rate = failed / n_ans
            lo, hi = wilson(failed, n_ans)
            param("transfer failure rate", "transfer.failure_rate", rate,
                  math.sqrt(rate * (1 - rate) / n_ans), lo, hi, n_ans,
                  "failed bridges / answered transfers")
            transfer["failure_rate"] = round(rate, 4)
    else:
        notes.append("The log has no waiting times (transferred_at with answered_at/ended_at, or "
                     "wait): patience and failures kept from the base scenario or defaults.")
    data["transfer"] = transfer
    conv = df.loc[df["outcome"] == "connected", "converted"].dropna()
    if len(conv):
        k = int(conv.astype(bool).sum())
        lo, hi = wilson(k, len(conv))
        p = k / len(conv)
        param("conversion after a connected transfer (report only)", "", p,
              math.sqrt(p * (1 - p) / len(conv)), lo, hi, len(conv),
              "the scenario's outcomes.* rates are kept: they also depend on repeat-explain and "
              "missing intake, which a call log does not show")
    n_out = int((df["direction"] == "outbound").sum())
    if n_out:
        notes.append(f"{n_out} outbound calls used for AI talk time, producer times and "
                     "patience; the outbound campaign itself is kept from the base scenario "
                     "(a call log does not list the leads that were never dialled).")
    data["description"] = (
        f"Calibrated from {log.source}: {len(inbound)} inbound calls over {n_days} open days "
        f"({first:%Y-%m-%d} to {last:%Y-%m-%d})."
    )
    tables["durations"] = pd.DataFrame(
        [{"what": what, "family": f.family, "mean": f.mean, "sd": f.sd, "se": f.se, "n": f.n,
          "loglik_lognormal": f.loglik.get("lognormal", math.nan),
          "loglik_gamma": f.loglik.get("gamma", math.nan), "ks_distance": f.ks, "note": f.note}
         for what, f in fits]
    )
    try:
        scenario = scenario_from_dict(data, source="<calibration>")
    except ScenarioError as exc:  # pragma: no cover - the fit builds valid values
        raise CalibrationError(f"the fitted scenario is not valid: {exc}") from None
    report = Report(pd.DataFrame(rows), tables, notes)
    return Calibration(scenario, report, list(log.problems), log)


def _trigger_name(label: str) -> str:
    name = normalise_name(label)
    return name if name[:1].isalpha() else f"t_{name}"


def _day_coverage(inbound: pd.DataFrame, daily: pd.Series, starts: np.ndarray,
                  lengths: np.ndarray, rate: np.ndarray) -> pd.Series:
    """Share of an open day's expected calls that each day of the export can hold: 1 for
    days in the middle; for the first and last day, the share of the intraday profile's mass
    after its first call or before its last call (an export cut at 13:00 holds only the
    morning of that day). Shares below 1% of a day count as 1% to stay finite."""
    coverage = pd.Series(1.0, index=daily.index)
    mass = rate * lengths
    total = mass.sum()
    if len(daily) < 2 or total <= 0:
        return coverage
    ends = starts + lengths

    def mass_before(minute: float) -> float:
        inside = np.clip(minute - starts, 0, lengths)
        return float((rate * inside).sum())

    first, last = daily.index[0], daily.index[-1]
    minutes = inbound["minute_of_day"]
    start_first = float(minutes[inbound["date"] == first].min())
    end_last = float(minutes[inbound["date"] == last].max())
    coverage[first] = max(0.01, 1 - mass_before(start_first) / total)
    coverage[last] = max(0.01, mass_before(min(end_last, float(ends[-1]))) / total)
    return coverage


def _km_median(km: pd.DataFrame) -> float:
    below = km[km["still_waiting"] <= 0.5]
    return float(below["minutes"].iloc[0]) if len(below) else math.nan


def _duration_params(param, label: str, key: str, fit: DurationFit) -> None:
    method = (f"{fit.family} (likelier than "
              f"{'gamma' if fit.family == 'lognormal' else 'lognormal'}); "
              f"KS distance {fit.ks:.3f}" if fit.family != "fixed" else "constant")
    if fit.note:
        method += f"; {fit.note}"
    param(f"{label}: mean", f"{key}.mean", fit.mean, fit.se, fit.ci_low, fit.ci_high, fit.n,
          method)
    if fit.family != "fixed":
        param(f"{label}: sd", f"{key}.sd", fit.sd, math.nan, math.nan, math.nan, fit.n, "")


def _profile_fit(data: dict, counts: np.ndarray) -> pd.DataFrame:
    """Chi-square of the observed interval counts against each named profile's shape."""
    from sim.arrivals import interval_rates

    rows = []
    total = counts.sum()
    for profile in _NAMED_PROFILES:
        trial = {"name": "profile check", "hours": data["hours"],
                 "inbound": {**data["inbound"], "profile": profile},
                 "destinations": [{"name": "x", "producers": 1}]}
        _, _, expected = interval_rates(scenario_from_dict(trial))
        expected = expected / expected.sum() * total
        chi2 = float(((counts - expected) ** 2 / np.maximum(expected, 1e-12)).sum())
        dof = max(len(counts) - 1, 1)
        rows.append({"profile": profile, "chi2": chi2, "dof": dof,
                     "p_value": float(stats.chi2.sf(chi2, dof))})
    return pd.DataFrame(rows)


def _groups(df, base, param, fits, notes) -> list[dict]:
    answered = df[df["outcome"].isin(["connected", "failed"])].copy()
    answered["producer_group"] = answered["producer_group"].fillna("Producers")
    if df["producer_group"].isna().all():
        notes.append("The log has no producer groups: one group, 'Producers'.")
    volume = answered["producer_group"].value_counts()
    names = list(volume.index)
    if len(names) > 3:
        merged = names[2:]
        notes.append(f"{len(names)} producer groups; a scenario has at most 3, so "
                     f"{', '.join(map(str, merged))} are merged into 'Other producers'.")
        answered.loc[answered["producer_group"].isin(merged), "producer_group"] = (
            "Other producers"
        )
        names = [*names[:2], "Other producers"]
    if not names:
        names = ["Producers"]
        notes.append("No answered transfers in the log: one group 'Producers' with the base "
                     "scenario's or default producers and times.")
    base_groups = {d.name: d for d in base.destinations} if base is not None else {}
    out = []
    for gname in names:
        part = answered[answered["producer_group"] == gname]
        dest: dict[str, Any] = (
            base_groups[gname].model_dump(mode="json", exclude_none=True)
            if gname in base_groups else {}
        )
        dest["name"] = str(gname)
        connected = part["outcome"] == "connected"
        for column, key, label in (("handle_minutes", "handle_minutes", "handle"),
                                   ("wrap_up_minutes", "wrap_up_minutes", "wrap-up")):  # fmt: skip
            values = part.loc[connected, column].dropna()
            if len(values) < MIN_DURATIONS:
                notes.append(f"{gname}: {len(values)} {label} times; kept from the base scenario "
                             "or defaults.")
                continue
            fit = fit_duration(values.to_numpy())
            _duration_params(param, f"{gname} {label} minutes",
                             f"destinations.{len(out)}.{key}", fit)
            dest[key] = fit.dist
            fits.append((f"{gname} {label}", fit))
        answer = (part["start_minute"] + part["transfer_minutes"].fillna(0)
                  + part["wait_minutes"]).to_numpy()
        release = answer + part["handle_minutes"].fillna(0).to_numpy() + part[
            "wrap_up_minutes"].fillna(0).to_numpy()
        has_handle = part.loc[connected, "handle_minutes"].notna().any()
        peak = _peak_concurrency(answer, release) if has_handle else 0
        if peak:
            param(f"{gname} producers (most calls in service at once)",
                  f"destinations.{len(out)}.producers", peak, math.nan, math.nan, math.nan,
                  len(part), "a lower bound: producers may also do work the log does not show")
            dest["producers"] = peak
        elif "producers" not in dest:
            dest["producers"] = 1
            notes.append(f"{gname}: producers not visible in the log; set to 1, edit it.")
        out.append(dest)
    if len(out) > 1:
        notes.append("Routing: groups are tried in order of the calls they answered; which "
                     "triggers each accepts is not inferred (all, unless the base says).")
    return out


# ---------------------------------------------------------------------------------------------
# Reason codes: misroutes and the producer time they cost

DEFAULT_CONTAINABLE = frozenset(
    {
        "billing", "billing_question", "billing_inquiry", "payment", "payment_question",
        "make_a_payment", "policy_question", "policy_service", "service_request", "id_card",
        "id_cards", "proof_of_insurance", "address_change", "document_request",
        "general_question", "faq", "hours",
    }
)
"""Reason codes (normalised: lower case, words joined by ``_``) for work the AI is set up to
finish itself: billing and payments, policy questions and simple service requests."""


@dataclass
class Misroutes:
    """AI transfers a producer tagged with a reason code the AI could have handled."""

    table: pd.DataFrame
    """Per call type and reason code: calls, calls per day, share of the type's AI transfers,
    producer minutes (handle + wrap-up) in total and per day, the most common trigger, and
    whether it is high-volume."""
    rule: str
    transfers: pd.Series
    """AI transfers per call type (the denominators)."""
    days: int

    @property
    def high_volume(self) -> pd.DataFrame:
        return self.table[self.table["high_volume"]]


def misroutes(
    log: CallLog | Calibration,
    containable: set[str] | frozenset[str] = DEFAULT_CONTAINABLE,
    min_count: int = 10,
    min_share: float = 0.02,
) -> Misroutes:
    """Transfers the AI could have finished, from the producers' reason codes.

    Rule: a **misroute** is an inbound call the AI handled and transferred to a producer (it
    was offered: answered, hung up, failed …) whose reason code, normalised, is in
    ``containable``. A call type × reason code is **high-volume** when it has at least
    ``min_count`` misroutes and they are at least ``min_share`` of that type's AI transfers.
    """
    if isinstance(log, Calibration):
        log = log.log
    df = log.frame
    ai_transfers = df[(df["direction"] == "inbound") & (df["handled_by"] == "ai")
                      & df["outcome"].isin(_OFFERED)]
    days = max(int(df.loc[df["direction"] == "inbound", "date"].nunique()), 1)
    per_type = ai_transfers["call_type"].fillna("other").value_counts()
    codes = ai_transfers["reason_code"].map(
        lambda v: normalise_name(v) if isinstance(v, str) else "")
    wanted = {normalise_name(c) for c in containable}
    hits = ai_transfers[codes.isin(wanted)].copy()
    hits["call_type"] = hits["call_type"].fillna("other")
    hits["reason"] = codes[codes.isin(wanted)]
    hits["producer_minutes"] = hits["handle_minutes"].fillna(0) + hits["wrap_up_minutes"].fillna(0)
    rows = []
    for (ctype, reason), part in hits.groupby(["call_type", "reason"]):
        calls = len(part)
        share = calls / per_type[ctype]
        trig = part["trigger"].dropna().map(_trigger_name)
        rows.append({
            "call_type": ctype, "reason_code": reason, "calls": calls,
            "calls_per_day": calls / days, "share_of_type_transfers": share,
            "producer_minutes": float(part["producer_minutes"].sum()),
            "producer_minutes_per_day": float(part["producer_minutes"].sum()) / days,
            "top_trigger": trig.mode().iloc[0] if len(trig) else "",
            "high_volume": bool(calls >= min_count and share >= min_share),
        })
    table = pd.DataFrame(rows, columns=[
        "call_type", "reason_code", "calls", "calls_per_day", "share_of_type_transfers",
        "producer_minutes", "producer_minutes_per_day", "top_trigger", "high_volume"])
    table = table.sort_values("calls", ascending=False, ignore_index=True)
    rule = (
        "A misroute is an inbound call the AI handled and transferred to a producer whose reason "
        f"code is one the AI can finish itself ({', '.join(sorted(wanted))}); high-volume means "
        f"at least {min_count} such calls and at least {min_share:.0%} of that call type's AI "
        "transfers."
    )
    return Misroutes(table, rule, per_type, days)


@dataclass
class Recapture:
    """The scenario re-run with its high-volume misroutes contained by the AI."""

    before: Scenario
    after: Scenario
    table: pd.DataFrame
    """KPI means before and after (common random numbers) and the change."""
    containment: pd.DataFrame
    """Per call type: containment before and after."""
    producer_hours_per_day: tuple[float, float]

    @property
    def hours_recaptured_per_day(self) -> float:
        """Producer busy hours per open day freed by containing the misroutes."""
        return self.producer_hours_per_day[0] - self.producer_hours_per_day[1]


def recapture(
    calibration: Calibration,
    found: Misroutes,
    replications: int = 5,
    seed: int | None = None,
    high_volume_only: bool = True,
) -> Recapture:
    """Re-run the calibrated scenario with the misroutes corrected: for each call type, the
    misrouted calls become contained (containment = (contained + misroutes) / AI-handled) and
    leave that type's trigger mix; both runs use the same seeds, so the difference is the
    correction, not noise. Producer time is busy time from the simulation (``by_group``)."""
    from sim.results import simulate

    before = calibration.scenario
    rows = found.high_volume if high_volume_only else found.table
    ct_table = calibration.report.tables["call_types"].set_index("call_type")
    trig_table = calibration.report.tables["triggers"]
    df = calibration.log.frame
    data = before.model_dump(mode="json", exclude_none=True)
    cont_rows = []
    norm_codes = df["reason_code"].map(lambda v: normalise_name(v) if isinstance(v, str) else "")
    for ctype, part in rows.groupby("call_type"):
        if ctype not in data["call_types"] or ctype not in ct_table.index:
            continue
        ai_calls = ct_table.loc[ctype, "ai_calls"]
        if ai_calls <= 0:
            continue
        ct = data["call_types"][ctype]
        old = ct["containment"]
        extra = int(part["calls"].sum())
        new = min(1.0, (ct_table.loc[ctype, "contained"] + extra) / ai_calls)
        ct["containment"] = round(new, 4)
        codes = set(part["reason_code"])
        mis = df[(df["call_type"] == ctype) & (df["handled_by"] == "ai")
                 & df["outcome"].isin(_OFFERED)
                 & norm_codes.isin(codes)]
        mis_trig = mis["trigger"].dropna().map(_trigger_name).value_counts()
        counts = trig_table[trig_table["call_type"] == ctype].set_index("trigger")["calls"]
        if len(counts):
            left = (counts - mis_trig.reindex(counts.index).fillna(0)).clip(lower=0)
            if left.sum() > 0:
                ct["triggers"] = _shares(left)
        cont_rows.append({"call_type": ctype, "misroutes": extra, "containment_before": old,
                          "containment_after": ct["containment"]})
    data["name"] = f"{before.name} (misroutes contained)"
    after = scenario_from_dict(data, source="<recapture>")
    seed = before.seed if seed is None else seed
    res = [simulate(sc, replications=replications, seed=seed) for sc in (before, after)]
    names = ["containment_rate", "transfer_rate", "producer_occupancy", "abandonment_rate",
             "mean_wait_minutes", "service_level", "total_cost"]
    hours = []
    for r in res:
        busy = r.groups["busy_minutes"].sum() / r.replications
        hours.append(busy / 60 / r.scenario.days)
    table = pd.DataFrame(
        {"metric": [*names, "producer_busy_hours_per_day"],
         "before": [*res[0].kpis[names].mean().tolist(), hours[0]],
         "after": [*res[1].kpis[names].mean().tolist(), hours[1]]}
    )
    table["change"] = table["after"] - table["before"]
    return Recapture(before, after, table, pd.DataFrame(cont_rows), (hours[0], hours[1]))


# ---------------------------------------------------------------------------------------------
# Command-line entry


def calibrate_file(
    calls: str | os.PathLike,
    output: str | os.PathLike | None = None,
    name: str | None = None,
    base: str | os.PathLike | Scenario | None = None,
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    interval_minutes: Literal[5, 10, 15, 20, 30, 60] | None = None,
) -> Calibration:
    """What ``handoff-lab calibrate CALLS.csv -o OUT.toml`` does: read, fit, write the scenario
    (when ``output`` is given). Raises :class:`CalibrationError` or
    :class:`sim.loader.ScenarioError` (a broken base scenario) for user mistakes."""
    if base is not None and not isinstance(base, Scenario):
        base = load_scenario(base)
    log = read_call_log(calls, timezone=timezone, duration_unit=duration_unit)
    result = calibrate(log, name=name, base=base, interval_minutes=interval_minutes)
    if output is not None:
        out = Path(output)
        if not out.parent.is_dir():
            raise CalibrationError(f"{out.parent}: no such folder for the scenario file")
        tmp = out.with_name(f".{out.name}.partial")
        tmp.write_text(result.to_toml(), encoding="utf-8")
        os.replace(tmp, out)  # never a half-written scenario
    return result


# `sim.calibrate(...)` calls calibrate() (see sim/_api.py).
callable_module(__name__, calibrate)
