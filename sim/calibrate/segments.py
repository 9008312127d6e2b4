"""Caller segments (priority classes) from a log with a segment column: ``[[segments]]``.

For each segment of the callers offered to a producer (a transfer was requested):

- its **share** of offered calls, with a Wilson 95% interval;
- its **queue priority**: the mapping's ``segment_order`` when given (first answered first),
  else the order of the segments' observed mean waits, the shortest first. A priority class is
  answered ahead of the others, so it waits less; the order of mean waits is the order of
  priorities whenever the classes share producers (ties keep the larger segment first). The
  priorities written are 0 to 9, the first segment highest;
- its own **patience**, from its own censored waits, the shape chosen by AIC
  (:mod:`~sim.calibrate.patience_shapes`), when it has at least :data:`MIN_SEGMENT_HANG_UPS`
  hang-ups; otherwise it keeps ``transfer.patience_minutes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.calibrate.common import OFFERED, proportion, shares
from sim.calibrate.patience import shape_parameters
from sim.calibrate.patience_shapes import fit_patience_shapes
from sim.calibrate.report import Parameter

__all__ = ["MIN_SEGMENT_HANG_UPS", "SegmentsFit", "fit_segments"]

MIN_SEGMENT_HANG_UPS = 20
"""Hang-ups a segment needs for its own patience."""


@dataclass(frozen=True)
class SegmentsFit:
    """The fitted ``segments`` table (empty: the log has no segment column)."""

    segments: list[dict[str, Any]]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    table: pd.DataFrame | None = None


def _rank(offered: pd.DataFrame, names: list[str], order: tuple[str, ...]) -> tuple[list, str]:
    if order:
        ranked = [n for n in order if n in names] + [n for n in names if n not in order]
        return ranked, "the mapping's segment_order"
    waits = offered.groupby("segment")["wait_minutes"].mean()
    sizes = offered["segment"].value_counts()
    ranked = sorted(names, key=lambda n: (float(waits.get(n, 0.0)), -int(sizes.get(n, 0))))
    return ranked, "observed mean wait, the shortest first"


def fit_segments(df: pd.DataFrame, order: tuple[str, ...] = ()) -> SegmentsFit:
    """The segments of the offered callers (``order``: segment names, first answered first)."""
    if "segment" not in df or df["segment"].isna().all():
        return SegmentsFit([], (), ())
    offered = df[df["outcome"].isin(OFFERED) & df["wait_minutes"].notna()]
    labelled = offered[offered["segment"].notna()]
    if labelled.empty:
        return SegmentsFit([], (), ("The segment column is blank for every offered call.",))
    counts = labelled["segment"].value_counts()
    names = [str(n) for n in counts.index]
    notes = []
    if len(names) > 10:
        notes.append(f"{len(names)} segments; a scenario holds 10: the smallest are merged.")
        keep = names[:9]
        labelled = labelled.assign(
            segment=labelled["segment"].where(labelled["segment"].isin(keep), "other")
        )
        counts = labelled["segment"].value_counts()
        names = [str(n) for n in counts.index]
    unlabelled = len(offered) - len(labelled)
    if unlabelled:
        notes.append(f"{unlabelled} offered calls have no segment; shares are of the others.")
    ranked, how = _rank(labelled, names, order)
    share = shares(counts)
    params: list[Parameter] = []
    segments = []
    rows = []
    for rank, name in enumerate(ranked):
        mine = labelled[labelled["segment"] == name]
        p = proportion(len(mine), len(labelled))
        params.append(Parameter.of_proportion(
            f"segment {name}: share of offered calls", f"segments.{rank}.share", p,
            "calls of the segment / offered calls with a segment",
        ))  # fmt: skip
        priority = max(0, 9 - rank) if len(ranked) <= 10 else 0
        entry: dict[str, Any] = {"name": name, "share": share[name], "priority": priority}
        gone = (mine["outcome"] == "abandoned").to_numpy()
        fits = fit_patience_shapes(mine["wait_minutes"].to_numpy(float), gone)
        if fits and gone.sum() >= MIN_SEGMENT_HANG_UPS:
            best = fits[0]
            entry["patience_minutes"] = {
                k: round(v, 4) if isinstance(v, float) else v for k, v in best.dist.items()
            }
            params.extend(shape_parameters(
                f"segment {name}: patience mean (minutes)",
                f"segments.{rank}.patience_minutes", best, len(mine),
            ))  # fmt: skip
        else:
            notes.append(
                f"Segment {name}: {int(gone.sum())} hang-ups (need {MIN_SEGMENT_HANG_UPS} for "
                "its own patience): it keeps transfer.patience_minutes."
            )
        segments.append(entry)
        rows.append({"segment": name, "priority": priority, "offered": len(mine),
                     "share": p.estimate, "mean_wait": float(mine["wait_minutes"].mean()),
                     "abandoned": float(gone.mean())})  # fmt: skip
    notes.append(f"Segment priority order ({how}): {', '.join(ranked)}.")
    return SegmentsFit(segments, tuple(params), tuple(notes), pd.DataFrame(rows))
