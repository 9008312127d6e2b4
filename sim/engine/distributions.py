"""Probability distributions for durations in a scenario (talk, handle, wrap-up, patience).

A scenario writes a duration as a small table, for example
``handle_minutes = { dist = "lognormal", mean = 14, sd = 6 }``. The ``dist`` key picks the
family (a pydantic discriminated union), the other keys its parameters, all in minutes. The
inverse CDFs of the lognormal and gamma families are SciPy's ``special.ndtri`` and
``special.gammaincinv``.

Every distribution turns uniform numbers into samples by its inverse CDF (``ppf``). The model
draws the uniforms once per caller from a seeded stream and transforms them here, so two
scenarios that differ only in a distribution's parameters still see the same callers in the
same order (common random numbers): a longer handle time makes *every* call longer, it does not
reshuffle who calls when.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Distribution",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Triangular",
    "Uniform",
]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Draw ``size`` samples from a numpy generator."""
        return self.ppf(rng.random(size))

    @property
    def mean_value(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


class Exponential(_Dist):
    """Memoryless durations; the classic model for patience and, in Erlang C/A, handle time."""

    dist: Literal["exponential"]
    mean: float = Field(gt=0)
    """Mean, in minutes."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return -self.mean * np.log1p(-np.asarray(u, dtype=float))

    @property
    def mean_value(self) -> float:
        return self.mean


class LogNormal(_Dist):
    """Right-skewed durations (most calls short, a few long): typical for talk and handle time."""

    dist: Literal["lognormal"]
    mean: float = Field(gt=0)
    """Mean of the duration itself (not of its logarithm), in minutes."""
    sd: float = Field(ge=0)
    """Standard deviation of the duration, in minutes."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        mu = math.log(self.mean) - sigma2 / 2
        from scipy import special  # imported on first use: loading a scenario stays light

        return np.exp(mu + math.sqrt(sigma2) * special.ndtri(np.asarray(u, dtype=float)))

    @property
    def mean_value(self) -> float:
        return self.mean


class Gamma(_Dist):
    """Gamma durations given by mean and standard deviation."""

    dist: Literal["gamma"]
    mean: float = Field(gt=0)
    """Mean, in minutes."""
    sd: float = Field(gt=0)
    """Standard deviation, in minutes."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        shape = (self.mean / self.sd) ** 2
        scale = self.sd**2 / self.mean
        from scipy import special

        return special.gammaincinv(shape, np.asarray(u, dtype=float)) * scale

    @property
    def mean_value(self) -> float:
        return self.mean


class Fixed(_Dist):
    """The same duration every time (e.g. a scripted two-minute wrap-up)."""

    dist: Literal["fixed"]
    value: float = Field(ge=0)
    """The duration, in minutes."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), float(self.value))

    @property
    def mean_value(self) -> float:
        return self.value


class Uniform(_Dist):
    """Any duration between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float = Field(ge=0)
    """Shortest duration, in minutes."""
    high: float = Field(ge=0)
    """Longest duration, in minutes (≥ low)."""

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be at least low ({self.low})")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    @property
    def mean_value(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Dist):
    """Three-point estimate (shortest, most likely, longest): handy when only a manager's guess
    is available."""

    dist: Literal["triangular"]
    low: float = Field(ge=0)
    """Shortest duration, in minutes."""
    mode: float = Field(ge=0)
    """Most likely duration, in minutes."""
    high: float = Field(ge=0)
    """Longest duration, in minutes."""

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low ≤ mode ≤ high, got {self.low}, {self.mode}, {self.high}")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        lo, mo, hi = self.low, self.mode, self.high
        if hi == lo:
            return np.full(u.shape, lo)
        cut = (mo - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (mo - lo))
        right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - mo))
        return np.where(u < cut, left, right)

    @property
    def mean_value(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Empirical(_Dist):
    """Resample observed durations (e.g. handle times exported from the phone system)."""

    dist: Literal["empirical"]
    values: list[Annotated[float, Field(ge=0)]] = Field(min_length=1)
    """Observed durations, in minutes; each is drawn with equal probability."""

    def ppf(self, u: np.ndarray) -> np.ndarray:
        vals = np.asarray(self.values, dtype=float)
        idx = np.minimum((np.asarray(u, dtype=float) * len(vals)).astype(np.int64), len(vals) - 1)
        return vals[idx]

    @property
    def mean_value(self) -> float:
        return float(np.mean(self.values))


Distribution = Annotated[
    Exponential | LogNormal | Gamma | Fixed | Uniform | Triangular | Empirical,
    Field(discriminator="dist"),
]
"""A duration distribution, chosen by its ``dist`` key."""
