"""A fine-tuned sentence encoder's reading of which intake fields a producer's turn asks for.

The rules and the logistic model (:mod:`roleplay.learned`) read words and their shapes; an ask
worded in a way neither saw ("any idea who you're with these days") can pass them. This module
reads the whole turn with a small transformer: the first layers of all-MiniLM-L6-v2
(sentence-transformers, Apache-2.0), fine-tuned on the labelled tuning lines to say, for each of
the 13 intake fields, whether the turn requests it, reads it back, or leaves it alone. Its
weights ship in ``roleplay/data/field_encoder.npz`` (int8 matrices with a scale per column;
provenance and checksums in ``roleplay/data/MODELS.md``) and run in numpy on one core; nothing
is downloaded. ``python -m roleplay.finetune`` (JAX, not a dependency) rebuilds them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import numpy as np
from scipy import special

from roleplay.fields import FIELDS
from roleplay.wordpiece import WordPiece

__all__ = ["ENCODER_FILE", "Encoder", "encoder"]

ENCODER_FILE = "field_encoder.npz"
"""The shipped weights, in the ``roleplay.data`` package."""
NOT_WEIGHTS = ("vocabulary", "writers", "fitted_on")
"""What the file holds beside the weights: the word pieces, the writers' files the fit used and
a digest of its lines (:func:`roleplay.finetune.fitted_on`)."""
HEADS = 12
"""Attention heads per layer (MiniLM: 384 wide, 12 heads of 32)."""


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + special.erf(x / math.sqrt(2.0)))


class Encoder:
    """The fine-tuned encoder: token ids → per-field probabilities of none, request, confirm."""

    def __init__(
        self,
        weights: Mapping[str, np.ndarray],
        vocabulary: list[str],
        writers: tuple[str, ...] = (),
        fitted_on: str = "",
    ) -> None:
        self.w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.layers = sum(1 for k in self.w if k.endswith(".qkv_w"))
        self.tokenizer = WordPiece(vocabulary)
        self.writers = writers
        """The writers' files the fit used beside the tuning lines."""
        self.fitted_on = fitted_on
        """A digest of the lines the fit used (:func:`roleplay.finetune.fitted_on`)."""

    def logits(self, ids: list[int]) -> np.ndarray:
        w = self.w
        n = len(ids)
        x = w["emb.word"][ids] + w["emb.pos"][:n] + w["emb.type"]
        x = _layer_norm(x, w["emb.ln_w"], w["emb.ln_b"])
        width = x.shape[-1] // HEADS
        for i in range(self.layers):
            p = f"layer{i}."
            qkv = x @ w[p + "qkv_w"] + w[p + "qkv_b"]
            q, k, v = (t.reshape(n, HEADS, width).transpose(1, 0, 2) for t in np.split(qkv, 3, -1))
            s = q @ k.transpose(0, 2, 1) / math.sqrt(width)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(x + a @ w[p + "o_w"] + w[p + "o_b"], w[p + "ln1_w"], w[p + "ln1_b"])
            h = _gelu(x @ w[p + "i_w"] + w[p + "i_b"])
            x = _layer_norm(x + h @ w[p + "f_w"] + w[p + "f_b"], w[p + "ln2_w"], w[p + "ln2_b"])
        z = np.concatenate([x[0], x.mean(0)])
        return (z @ w["head.w"] + w["head.b"]).reshape(len(FIELDS), 3)

    def readings(self, text: str) -> np.ndarray:
        """Probabilities (fields × none/request/confirm) for a producer's turn."""
        lo = self.logits(self.tokenizer.encode(text))
        e = np.exp(lo - lo.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    def requests(self, text: str) -> dict[str, float]:
        """Field → probability that the turn asks the caller for it."""
        return dict(zip(FIELDS, self.readings(text)[:, 1].tolist(), strict=True))


def dequantised(stored: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Weights as float32 from their stored form (int8 matrices times their scales)."""
    out = {}
    for name, value in stored.items():
        if name.endswith(".scale") or name in NOT_WEIGHTS:
            continue
        scale = stored.get(name + ".scale")
        out[name] = value.astype(np.float32) * scale if scale is not None else value
    return out


@lru_cache(maxsize=1)
def encoder() -> Encoder | None:
    """The shipped encoder, or None when its file is missing (the detector then goes without)."""
    resource = resources.files("roleplay") / "data" / ENCODER_FILE
    if not resource.is_file():
        return None
    with resource.open("rb") as handle, np.load(handle, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    return Encoder(
        dequantised(arrays),
        [str(piece) for piece in arrays["vocabulary"]],
        tuple(str(code) for code in arrays["writers"]) if "writers" in arrays else (),
        str(arrays["fitted_on"]) if "fitted_on" in arrays else "",
    )
