"""Common-noun terms: :func:`phrase_mentions` finds established terms that end in a known head
noun (``knowledge distillation``, ``image classification``, ``memory footprint``) and
:func:`chunk_mentions` the broad noun-phrase candidates that only a learned decision weighs.

>>> [(m.text, m.type) for m in phrase_mentions("It improves image classification accuracy.", 0)]
[('classification accuracy', 'Metric')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import and_
from typing import Any

from papergraph.extract import lexicon as lx
from papergraph.extract.mentions import GENERIC_TAILS, METHOD_TAILS, RUN_ENDERS, TERM_HEADS, tokens
from papergraph.model import Mention

__all__ = [
    "WordTable",
    "chunk_mentions",
    "chunk_spans",
    "phrase_mentions",
    "span_ranges",
    "span_type",
]


def _head_type(head: str, phrase: str) -> str | None:
    if phrase in lx.METRICS:
        return "Metric"
    if head in ("learning", "training") and any(w in lx.SETTING_WORDS for w in phrase.split()[:-1]):
        return "Task"
    counts = lx.scierc()["phrases"].get(phrase)
    if counts:
        typed = Counter({k: v for k, v in counts.items() if k in ("Method", "Task", "Metric")}).most_common(2)
        best, n = typed[0] if typed else ("", 0)
        tied = len(typed) > 1 and typed[1][1] == n  # "language modeling": 1 Method, 1 Task; the head decides
        if best and not tied and n >= counts.get("Generic", 0) and n >= counts.get("Other", 0):
            return best
    if head in lx.TASK_HEADS:
        return "Task"
    if head in lx.METHOD_HEADS:
        return "Method"
    if head in lx.METRICS:
        return "Metric"
    dist = lx.scierc()["heads"].get(head)
    if dist:
        by_type = {k: v for k, v in dist.items() if k in ("Method", "Task", "Metric")}
        total = sum(dist.values())
        if by_type:
            best = max(by_type, key=lambda k: by_type[k])
            if by_type[best] >= 5 and by_type[best] >= 0.6 * total:
                return best
    return None


_VERBAL = ("s", "ed", "ing", "ize", "ise", "ate", "ify")

_METRIC_TOKEN = re.compile(r"^(?:top|pass|hits|recall|precision|rouge|map|ap|f)[-@]?\d+$", re.IGNORECASE)

#: Adverbs that belong to a term ("weakly supervised", "fully convolutional") and dimensions ("3D").
_TERM_ADVERB_OR_DIMENSION = re.compile(r"^(?:weakly|fully|densely|sparsely|partially|[1-9]d)$")


@lru_cache(maxsize=65536)
def _is_phrase_word(tok: str) -> bool:
    low = tok.lower()
    if _METRIC_TOKEN.match(tok):
        return True
    if _TERM_ADVERB_OR_DIMENSION.match(low):
        return True  # "weakly supervised object detection", "3D human pose estimation"
    if low in lx.BREAK_WORDS or low.endswith("ly") or any(c.isdigit() for c in tok) or "/" in tok:
        return False
    if low in lx.non_entity_words() and low.endswith(_VERBAL):
        return False
    return tok.islower() or (tok[0].isupper() and tok[1:].islower() and len(tok) > 1) or "-" in tok


@lru_cache(maxsize=65536)
def _leading_stop(word: str) -> bool:
    low = word.lower()
    return low in lx.LEADING_STOP or low in lx.non_entity_words()


def _phrase_word_kind(word: str) -> int:
    """0 when ``word`` cannot be part of a term, 1 when it can and is lower case, 2 when capitalised."""
    if not _is_phrase_word(word):
        return 0
    return 2 if word[0].isupper() else 1


class WordTable:
    """A property of words, computed once per distinct word and looked up for a whole sentence.

    A plain dict read through ``map`` costs a fraction of an ``lru_cache`` call per word; the
    table is emptied when it reaches ``limit`` words, so memory stays bounded on any corpus.

    >>> lengths = WordTable(len, limit=2)
    >>> lengths.of_all(["LoRA", "adapts", "LoRA"]), len(lengths.values)
    ([4, 6, 4], 2)
    """

    def __init__(self, compute: Callable[[str], Any], limit: int = 262_144) -> None:
        self.compute = compute
        self.limit = limit
        self.values: dict[str, Any] = {}

    def of_all(self, words: Sequence[str]) -> list[Any]:
        values = list(map(self.values.get, words))
        if None in values:
            if len(self.values) >= self.limit:
                self.values.clear()
            for k, word in enumerate(words):
                if values[k] is None:
                    values[k] = self.values[word] = self.compute(word)
        return values


@lru_cache(maxsize=65536)
def _phrase_term(run: tuple[str, ...]) -> tuple[str, int, int] | None:
    """(type, first word, last word) of the term the words of a noun-phrase run name, or None.

    Works on the words alone, so a phrase seen in an earlier abstract costs one lookup.

    >>> _phrase_term(("image", "editing", "framework")), _phrase_term(("learning", "strategy"))
    (('Task', 0, 1), None)
    """
    first, last = 0, len(run) - 1
    kind: str | None
    while first <= last:
        words = [t.lower() for t in run[first : last + 1]]
        head = words[-1]
        if head in GENERIC_TAILS:
            if last == first:
                return None
            rest_type = _head_type(words[-2], " ".join(words[:-1]))
            if rest_type is not None:
                if last - first == 1 and not (
                    rest_type == "Task" and head in ("task", "tasks", "problem", "problems")
                ):
                    return None  # "quantization scheme", "learning strategy": too vague
                last -= 1
                continue
            if _leading_stop(run[last - 1]) or head not in METHOD_TAILS:
                return None
            kind = "Method"  # "buffer-replay strategy", "homologous reconstruction scheme"
        else:
            if head in ("network", "networks", "model", "models") and not any(
                w in lx.ARCHITECTURE_KINDS for w in words[:-1]
            ):
                return None
            phrase = " ".join(words)
            kind = _head_type(head, phrase)
            if kind is None:
                # shorten from the right: "curriculum learning objective" -> "curriculum learning"
                if last - first > 1 and head not in TERM_HEADS:
                    last -= 1
                    continue
                return None
            if kind == "Metric" and phrase not in lx.METRICS:
                suffix = next((k for k in range(1, len(words)) if " ".join(words[k:]) in lx.METRICS), None)
                if suffix is not None:
                    first += suffix
                    words = words[suffix:]
            if (first == last and " ".join(words) not in lx.METRICS) or " ".join(words) in lx.GENERIC:
                return None
            if first == last and run[first] in lx.WORDLIKE_METRICS:
                return None  # "each feature map", not mAP
        return kind, first, last
    return None


def _possible_head(word: str) -> bool:
    """Whether a phrase ending in ``word`` could be typed at all (a cheap filter before typing)."""
    low = word.lower()
    if (
        low in TERM_HEADS
        or low in GENERIC_TAILS
        or low in lx.METRICS
        or low in ("network", "networks", "model", "models")
    ):
        return True
    return low in _metric_heads() or low in lx.scierc()["heads"]


@lru_cache(maxsize=1)
def _metric_heads() -> frozenset[str]:
    return frozenset(m.split()[-1] for m in lx.METRICS)


_KIND, _POSSIBLE_HEAD, _RUN_ENDER, _LEADING_STOP, _GERUND = 3, 4, 8, 16, 32


def _phrase_word_features(word: str) -> int:
    """What phrase detection asks of a word, as bits: its kind (:func:`_phrase_word_kind`, bits
    0-1), whether it can head a term (4), whether it ends a run of words (8), whether a term never
    starts with it (16: :func:`_leading_stop`) and whether it is an "-ing" word that heads no term
    (32: "using", not "training"), which a run of three words or more drops from its start."""
    low = word.lower()
    return (
        _phrase_word_kind(word)
        | (_POSSIBLE_HEAD if _possible_head(word) else 0)
        | (_RUN_ENDER if low in RUN_ENDERS else 0)
        | (_LEADING_STOP if _leading_stop(word) else 0)
        | (_GERUND if low.endswith("ing") and low not in TERM_HEADS else 0)
    )


_PHRASE_WORD_FEATURES = WordTable(_phrase_word_features)


#: The sentence :func:`_words_and_features` answered last, and its answer.
_LAST_SENTENCE: list[tuple[str, tuple[list[str], list[int]]]] = [("", ([], []))]


def _words_and_features(sentence: str, toks: Sequence[tuple[str, int, int]]) -> tuple[list[str], list[int]]:
    """The words of ``toks`` (the tokens of ``sentence``) and their :func:`_phrase_word_features`;
    the last sentence's kept, as :func:`chunk_mentions` asks for the sentence :func:`phrase_mentions`
    has just asked for (the lists are only read)."""
    last, answer = _LAST_SENTENCE[0]
    if last is sentence or last == sentence:
        return answer
    words = [t for t, _, _ in toks]
    answer = words, _PHRASE_WORD_FEATURES.of_all(words)
    _LAST_SENTENCE[0] = (sentence, answer)
    return answer


def _title_method(text: str) -> bool:
    """A Title Case technique name in a title: several words ending in an architecture-like head."""
    words = text.split()
    return 2 <= len(words) <= 6 and words[-1].lower() in lx.TITLE_METHOD_HEADS and words[0][:1].isupper()


def _term_start(features: list[int], first: int, end: int) -> int:
    """Where a term of the run ``first:end`` starts: past its leading stop words, and past an
    "-ing" word that heads no term when three words or more remain."""
    while first < end and (
        features[first] & _LEADING_STOP or (end - first > 2 and features[first] & _GERUND)
    ):
        first += 1
    return first


def phrase_mentions(sentence: str, offset: int, *, title: bool = False) -> list[Mention]:
    """Common-noun terms ending in a head noun of known type."""
    toks = tokens(sentence)
    n = len(toks)
    words, features = _words_and_features(sentence, toks)
    kinds = list(map(and_, features, repeat(_KIND)))  # 0: no phrase word, 1: lower case, 2: capitalised
    heads = list(map(and_, features, repeat(_POSSIBLE_HEAD)))
    out: list[Mention] = []
    i = 0
    for start in [k for k in range(n) if kinds[k] == 1 or (kinds[k] and (title or k == 0))]:
        if start < i:
            continue  # inside the previous run
        i = start
        j = i + 1
        if not features[i] & _RUN_ENDER:
            while (
                j < n
                and (kinds[j] == 1 or (title and kinds[j]))
                and toks[j - 1][2] + 1 == toks[j][1]
                and sentence[toks[j][1] - 1] == " "
            ):
                j += 1
                if features[j - 1] & _RUN_ENDER:
                    break
        first = i
        i = j
        # strip leading stop words; _phrase_term drops generic heads ("image editing framework")
        first = _term_start(features, first, j)
        if first < j - 4:
            first = j - 4  # a term has four words at most
        if first == j or not any(heads[first:j]):
            continue
        found = _phrase_term(tuple(words[first:j]))
        if found is None:
            continue
        kind, a, b = found
        start_char, end_char = toks[first + a][1], toks[first + b][2]
        text = sentence[start_char:end_char]
        if not (title and kind == "Method" and not _title_method(text)):
            out.append(Mention(text, kind, offset + start_char, offset + end_char))
    return out


def chunk_mentions(sentence: str, offset: int) -> list[Mention]:
    """Every noun-phrase-like run of two to four words, whatever its head: the broad candidates
    that the learned decision (:mod:`papergraph.extract.decision`) weighs, typed by their head
    where the lexicons know it (``Method`` otherwise).

    >>> [m.text for m in chunk_mentions("We study stochastic petri nets for performance evaluation.", 0)]
    ['stochastic petri nets', 'performance evaluation']
    """
    toks = tokens(sentence)
    n = len(toks)
    words, features = _words_and_features(sentence, toks)
    out: list[Mention] = []
    i = 0
    while i < n:
        if not features[i] & _KIND:
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and features[j] & _KIND
            and not features[j - 1] & _RUN_ENDER
            and toks[j - 1][2] + 1 == toks[j][1]
            and sentence[toks[j][1] - 1] == " "
        ):
            j += 1
        first = _term_start(features, i, j)
        last = j
        while last > first and features[last - 1] & _LEADING_STOP:
            last -= 1
        first = max(first, last - 4)
        if last - first >= 2:
            text = sentence[toks[first][1] : toks[last - 1][2]]
            kind = _head_type(words[last - 1].lower(), text.lower()) or "Method"
            out.append(Mention(text, kind, offset + toks[first][1], offset + toks[last - 1][2]))
        i = j
    return out


_SPAN_WORD = re.compile(r"\S+")


def span_ranges(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The words of the broad candidate ``text`` (their offsets) and the spans a learned decision
    may choose in it, as ranges ``(i, j)`` of words: every run of words that opens with no stop
    word, the whole first, then longer before shorter.

    >>> span_ranges("stacked Transformer networks")
    ([(0, 7), (8, 19), (20, 28)], [(0, 3), (0, 2), (1, 3), (0, 1), (1, 2), (2, 3)])
    """
    words = [(w.start(), w.end()) for w in _SPAN_WORD.finditer(text)]
    n = len(words)
    features = _PHRASE_WORD_FEATURES.of_all([text[a:b] for a, b in words])
    ranges = [(0, n)]
    for size in range(n - 1, 0, -1):
        ranges.extend((i, i + size) for i in range(n - size + 1) if not features[i] & _LEADING_STOP)
    return words, ranges


def span_type(low: str, head: str) -> str:
    """The type of a span cut out of a broad candidate (``low``: its lower-cased text, ``head``: its
    last word), as :func:`chunk_mentions` types a run: by its head, ``Method`` where nothing tells.

    >>> span_type("prediction objective", "objective"), span_type("image classification", "classification")
    ('Method', 'Task')
    """
    return _head_type(head, low) or "Method"


def chunk_spans(text: str, kind: str) -> list[tuple[int, int, str, str, str]]:
    """The spans of :func:`span_ranges` as ``(start, end, type, word dropped before, word dropped
    after)``: the whole candidate keeps ``kind``, a shorter span is typed by :func:`span_type`.

    >>> chunk_spans("stacked Transformer networks", "Method")[:3]
    [(0, 28, 'Method', '', ''), (0, 19, 'Method', '', 'networks'), (8, 28, 'Method', 'stacked', '')]
    """
    words, ranges = span_ranges(text)
    n = len(words)
    low = text.lower()
    out = [(0, len(text), kind, "", "")]
    for i, j in ranges[1:]:
        start, end = words[i][0], words[j - 1][1]
        before = low[words[i - 1][0] : words[i - 1][1]] if i else ""
        after = low[words[j][0] : words[j][1]] if j < n else ""
        out.append((start, end, span_type(low[start:end], low[words[j - 1][0] : end]), before, after))
    return out
