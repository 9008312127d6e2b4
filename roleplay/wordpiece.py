"""BERT's uncased WordPiece tokenizer, in plain Python, for the detector's sentence encoder.

The encoder (:mod:`roleplay.encoder`) reads a producer's turn as the word pieces its model was
trained on. This is the algorithm of BERT's reference tokenizer (and of Hugging Face's
``BertWordPieceTokenizer`` with ``lowercase=True``): control characters dropped, accents
stripped, text lowercased and split at white space and punctuation, then each word cut into the
longest pieces the vocabulary holds, left to right ("callback" → "call", "##back"); a word with
no such cut is ``[UNK]``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

__all__ = ["WordPiece"]

MAX_WORD = 100
"""Longer words are ``[UNK]``, as in the reference tokenizer."""


def _punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _chinese(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _words(text: str) -> list[str]:
    """The basic tokenizer: cleaned, lowercased, accents stripped, split at spaces and
    punctuation (each punctuation mark a word of its own)."""
    cleaned = []
    for ch in text:
        code = ord(ch)
        if code == 0 or code == 0xFFFD:
            continue
        category = unicodedata.category(ch)
        if ch in "\t\n\r" or category == "Zs":
            cleaned.append(" ")
        elif category.startswith("C"):
            continue
        elif _chinese(code):
            cleaned.append(f" {ch} ")
        else:
            cleaned.append(ch)
    words: list[str] = []
    for token in "".join(cleaned).split():
        token = unicodedata.normalize("NFD", token.lower())
        token = "".join(ch for ch in token if unicodedata.category(ch) != "Mn")
        current = ""
        for ch in token:
            if _punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


class WordPiece:
    """Token ids of a text for a vocabulary (piece → id), with ``[CLS]`` … ``[SEP]``."""

    def __init__(self, vocabulary: Mapping[str, int] | Sequence[str], max_length: int = 128):
        if not isinstance(vocabulary, Mapping):
            vocabulary = {piece: i for i, piece in enumerate(vocabulary)}
        self.vocabulary = dict(vocabulary)
        self.max_length = max_length
        self.unknown = self.vocabulary["[UNK]"]
        self.cls = self.vocabulary["[CLS]"]
        self.sep = self.vocabulary["[SEP]"]

    def pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD:
            return [self.unknown]
        out: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocabulary.get(piece)
                if found is not None:
                    out.append(found)
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return out

    def encode(self, text: str) -> list[int]:
        """``[CLS]``, the text's first ``max_length - 2`` pieces, ``[SEP]``."""
        room = self.max_length - 2
        ids: list[int] = []
        for word in _words(text):
            ids += self.pieces(word)
            if len(ids) >= room:
                break
        return [self.cls, *ids[:room], self.sep]
