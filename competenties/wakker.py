"""WAKKER's "Aantekenen": an observation notes facts, not personality traits. The word list
lives in one data file (``data/personality_words.txt``); this module only reads it."""

from __future__ import annotations

import functools
import re
from pathlib import Path

WORDS_FILE = Path(__file__).parent / "data" / "personality_words.txt"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@functools.cache
def _words() -> frozenset[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def personality_words(text: str) -> list[str]:
    """The listed words in ``text``, in order of appearance, each once."""
    found: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        word = match.group()
        if word in _words() and word not in found:
            found.append(word)
    return found
