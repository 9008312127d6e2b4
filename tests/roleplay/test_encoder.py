"""The detector's fine-tuned sentence encoder and its arbiter, against independent truths.

- the plain-Python WordPiece tokenizer against Hugging Face ``tokenizers`` (a dependency of the
  voice extra) on every labelled line the repository ships;
- the int8 storage of the weights: a round trip within half a step of each column's scale, and
  the shipped file loads without pickles;
- the encoder alone, on the frozen held-out third (lines it was never fitted on): it reads
  requests and read-backs well above chance, so its weights are the fitted ones and its forward
  pass is the one it was trained with (a wrong layer order or a wrong normalisation reads
  nearly nothing);
- the arbiter's features and probability by hand, from its shipped weights;
- the two tools' bad input: exit 2 with the option named.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest

from roleplay.arbiter import Arbiter, Reading, arbiter, features
from roleplay.arbiter import main as arbiter_main
from roleplay.encoder import ENCODER_FILE, dequantised, encoder
from roleplay.fields import FIELDS
from roleplay.finetune import fitted_on, quantise, training_lines
from roleplay.finetune import main as finetune_main
from roleplay.labelled import from_repository, read_corpus
from roleplay.learned import Model

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def shipped():
    reader = encoder()
    if reader is None:
        pytest.fail(f"roleplay/data/{ENCODER_FILE} is missing")
    return reader


def test_the_encoder_was_fitted_on_todays_tuning_lines(shipped):
    """The weights record a digest of the lines they were fitted on: a change to the tuning
    part (or to a writer's file in the fit) fails here until the encoder is refitted
    (``python -m roleplay.finetune``, roleplay/data/MODELS.md), so it never lags the rules."""
    assert shipped.writers, "the shipped encoder names no writers' files"
    assert shipped.fitted_on == fitted_on(training_lines(" ".join(shipped.writers)))


def test_wordpiece_matches_the_reference_tokenizer(shipped):
    tokenizers = pytest.importorskip("tokenizers")
    reference = tokenizers.BertWordPieceTokenizer(
        vocab=shipped.tokenizer.vocabulary, lowercase=True, strip_accents=True
    )
    texts = [line.text for line in from_repository()]
    texts += ["Ça va? naïve café — “quoted” résumé", "tab\there\x00nul 你好 e-mail: a@b.example"]
    assert len(texts) > 5000
    differ = [t for t in texts if shipped.tokenizer.encode(t) != reference.encode(t).ids[:128]]
    assert differ == []


def test_wordpiece_keeps_a_long_turn_bounded(shipped):
    ids = shipped.tokenizer.encode("what's your number " * 20000)
    assert len(ids) == 128
    assert ids[0] == shipped.tokenizer.cls
    assert ids[-1] == shipped.tokenizer.sep


def test_quantised_weights_round_trip_within_half_a_step():
    rng = np.random.default_rng(7)
    weights = {
        "layer0.i_w": rng.normal(size=(384, 64)).astype(np.float32),
        "emb.word": rng.normal(size=(50, 384)).astype(np.float32),
        "layer0.i_b": rng.normal(size=64).astype(np.float32),
    }
    weights["layer0.i_w"][:, 3] = 0.0  # an all-zero column keeps a usable scale
    stored = quantise(weights)
    assert stored["layer0.i_w"].dtype == np.int8
    assert stored["emb.word"].dtype == np.int8
    assert stored["layer0.i_w.scale"].shape == (1, 64)  # a scale per column
    assert stored["emb.word.scale"].shape == (50, 1)  # per row for the looked-up embeddings
    back = dequantised(stored)
    for name in ("layer0.i_w", "emb.word"):
        step = stored[name + ".scale"]
        assert np.all(np.abs(back[name] - weights[name]) <= step / 2 + 1e-7)
    assert np.allclose(back["layer0.i_b"], weights["layer0.i_b"], rtol=1e-3, atol=1e-3)


def test_the_shipped_file_holds_no_pickles():
    from importlib import resources

    resource = resources.files("roleplay") / "data" / ENCODER_FILE
    with resource.open("rb") as handle, np.load(handle, allow_pickle=False) as stored:
        kinds = {stored[name].dtype.kind for name in stored.files}
    assert "O" not in kinds


def test_the_encoder_alone_reads_the_heldout_third(shipped):
    """Request precision and recall of the encoder's own argmax over (line, field) pairs, and
    read-backs it takes for requests, on lines it never saw. (Inside the detector the arbiter
    weighs it with the rules; this checks the weights and forward pass on their own.)"""
    lines = read_corpus(CORPUS / "heldout.jsonl")
    tp = fp = fn = confirms_as_requests = 0
    for line in lines:
        kinds = shipped.readings(line.text).argmax(-1)
        for i, field in enumerate(FIELDS):
            gold, got = line.labels.get(field), kinds[i] == 1
            tp += gold == "request" and got
            fp += gold != "request" and got
            fn += gold == "request" and not got
            confirms_as_requests += gold == "confirm" and got
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nencoder alone, held-out third: P {precision:.3f} R {recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9
    assert confirms_as_requests <= 3


def test_readings_are_probabilities(shipped):
    p = shipped.readings("and whats the best number to reach you at")
    assert p.shape == (len(FIELDS), 3)
    assert np.allclose(p.sum(-1), 1.0)
    assert FIELDS[p[:, 1].argmax()] == "contact_number"


def test_arbiter_features_by_hand():
    reading = Reading("email", "confirm", 0.3, 0.96, 0.01, frozenset({"captured", "asks"}))
    assert features(reading) == [
        "rules=confirm",
        "encoder=2",
        "words=0",
        "readback=5",
        "rules=confirm&encoder=2",
        "rules=confirm&words=0",
        "encoder=2&words=0",
        "rules=confirm&readback=5",
        "encoder=2&readback=5",
        "field=email&encoder=2",
        "asks",
        "asks&encoder=2",
        "asks&rules=confirm",
        "captured",
        "captured&encoder=2",
        "captured&rules=confirm",
    ]
    assert reading.considered
    assert not Reading("email", "none", 0.01, 0.9, 0.02, frozenset()).considered


def test_arbiter_probability_is_the_logistic_of_its_weights():
    judge = arbiter()
    assert judge is not None
    reading = Reading("contact_number", "none", 0.9, 0.01, 0.4, frozenset({"asks"}))
    data = json.loads(judge.model.to_json())
    z = data["bias"] + sum(data["weights"].get(f, 0.0) for f in features(reading))
    assert judge.probability(reading) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-9)
    toy = Arbiter(Model({"rules=request": 2.0, "asks": -0.5}, bias=-1.0))
    asked = Reading("state", "request", 0.0, 0.0, 0.0, frozenset({"asks"}))
    assert toy.probability(asked) == pytest.approx(1 / (1 + math.exp(-0.5)))


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", '{"k-0001": {"req": [0.5], "conf": [0.5]}}', '{"k-0001": 3}'],
)
def test_arbiter_fit_refuses_an_unreadable_file(tmp_path, capsys, content):
    bad = tmp_path / "folds.json"
    bad.write_text(content, encoding="utf-8")
    assert arbiter_main(["--fit", str(bad), "--out", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert "--fit" in err
    assert "folds.json" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


def test_finetune_without_jax_says_how_to_get_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)  # an import of jax now fails
    assert finetune_main(["--base", str(tmp_path)]) == 2
    assert "pip install jax" in capsys.readouterr().err


def test_finetune_names_a_missing_base_model_file(tmp_path, capsys):
    pytest.importorskip("jax")
    assert finetune_main(["--base", str(tmp_path)]) == 2
    assert "--base" in capsys.readouterr().err
