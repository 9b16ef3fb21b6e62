"""Split text into sentences, keeping character offsets, and tell prose from debris.

>>> [s.text for s in split_sentences("We use LoRA (Hu et al. 2021). It works, e.g. on GLUE. Done.")]
['We use LoRA (Hu et al. 2021).', 'It works, e.g. on GLUE.', 'Done.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from papergraph.extract.lexicon import FUNCTION_WORDS

# A boundary: end punctuation, optional closing quote/bracket, whitespace, then an upper-case
# letter, digit, quote or bracket; or line breaks; or a period glued to the next sentence's first
# word ("data.The"). Abbreviations that end in a period are checked separately. Every match opens
# with one of the end characters, which are rare; the pattern consumes that character first and
# then looks behind to tell which alternative it opened: a pattern that opens with a character
# class lets the engine scan for that class alone, where one that opens with a lookahead or an
# alternation is tried at every position of the text (three times as slow). The boundary itself
# starts after the punctuation.
_BOUNDARY = re.compile(
    r"[.!?\n]"
    r"(?:(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(\[])|(?<=\n)\n*|(?<=[A-Za-z0-9)]{2}\.)(?=[A-Z][a-z]{2,}\s))"
)
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|No|approx|resp|al|Dr|Mr|Ms|St)\.|\b[A-Z]\.)$"
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset of the first character in the source text
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their offsets; the title line (before a newline) is its own sentence."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        gap_start = m.start() if text[m.start()] == "\n" else m.start() + 1  # after the punctuation
        gap = text[gap_start : m.end()]
        if (
            gap.strip() == ""
            and "\n" not in gap
            and _NO_BREAK_BEFORE.search(text, max(start, gap_start - 12), gap_start)
        ):
            continue
        _add(out, text, start, gap_start)
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(text[start:end], start, end))


_WORD = re.compile(r"[a-z]+")


def is_prose(text: str) -> bool:
    """Whether ``text`` reads as a sentence, not as debris that text extraction left in an abstract:
    keyword lists, author and affiliation lines, LaTeX settings, names glued together. Prose of
    three words or more has function words ("the", "of", "we" ...); debris has next to none.

    >>> is_prose("We evaluate our model on three benchmarks.")
    True
    >>> is_prose("TomSercu ChristianPuhrsch CenterforDataScience, NewYorkUniversity IBMT.J.WatsonResearch")
    False
    >>> is_prose("Transfer Learning, Domain Adaptation, Text Classification, Python")
    False
    >>> is_prose("Results follow.")  # too short to judge
    True
    """
    low = text.lower()
    # Most sentences settle it cheaply: space-delimited function words are a lower bound of the
    # count, and _most_words an upper bound of the words.
    if sum(map(low.count, _SPACED_FUNCTION_WORDS)) >= 0.05 * _most_words(low):
        return True
    words = _WORD.findall(low)
    return len(words) < 3 or sum(map(FUNCTION_WORDS.__contains__, words)) >= 0.05 * len(words)


def _most_words(low: str) -> int:
    """At most how many words of ``_WORD`` the lower-cased text ``low`` has, counted without listing them.

    A word is a run of letters, so there is at most one more than there are other characters;
    ``bytes.translate`` deletes the letters of an ASCII text several times faster than
    ``str.translate``, which looks every character up in a dict. Any other text has at most half
    its characters (rounded up) as words.

    >>> _most_words("we use lora (hu et al. 2021)."), len(_WORD.findall("we use lora (hu et al. 2021)."))
    (15, 6)
    """
    if low.isascii():
        return len(low.encode("ascii").translate(None, _LETTERS)) + 1
    return (len(low) + 1) // 2


#: The letters of the words of ``_WORD``, for ``bytes.translate`` to delete.
_LETTERS = bytes(range(ord("a"), ord("z") + 1))
#: The commonest function words, between spaces (each occurrence is one word of ``_WORD``).
_SPACED_FUNCTION_WORDS = tuple(f" {w} " for w in ("the", "of", "and", "to", "in", "a"))
