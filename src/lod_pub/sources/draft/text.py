"""An article's text cut into sentences, each with its character offsets and text line.

pysbd (rule-based, no model, no download) splits each paragraph; the offsets are found in the text itself,
so that every quote the draft takes from a sentence is a passage of the article, character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    line: int  # 1-based line of the text the sentence starts on


class _Segmenter(Protocol):
    def segment(self, text: str) -> list[str]: ...


@cache
def _segmenter() -> _Segmenter:
    import pysbd  # type: ignore[import-untyped]  # pysbd ships no type information

    segmenter: _Segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


def sentences(text: str) -> list[Sentence]:
    """The sentences of the text, in order, with their offsets; paragraphs (blank-line separated) first."""
    found: list[Sentence] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        cursor = para.start()
        for piece in _segmenter().segment(para.group()):
            words = piece.strip()
            if not words:
                continue
            start = text.find(words, cursor)
            if start < 0:  # pysbd changed the piece (it should not with clean=False): skip it, never misquote
                continue
            end = start + len(words)
            found.append(Sentence(len(found), start, end, words, text.count("\n", 0, start) + 1))
            cursor = end
    return found


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
