"""Types that spread along the text: the names an evaluation is run on are data (``evaluated on
SQuAD and TriviaQA``), and a list of names takes the type a cue gives one of them (``the CNN
and Daily Mail datasets``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from papergraph.extract.caseless import Caseless
from papergraph.extract.mentions import in_model_family
from papergraph.model import Mention

__all__ = [
    "LIST_GAP",
    "evaluation_targets",
    "list_end",
    "propagate_list_types",
]

_EVALUATION = Caseless(
    r"(?=[ebrastop])\b(?:experiment|evaluat|benchmark|results?\b|achiev|accurac|state-of-the-art|outperform|"
    r"tested|"
    r"report|score|performance)"
)

#: Where :data:`_EVALUATION` can start (found with ``str.find`` first: cheaper than the pattern).
_EVALUATION_STEMS = (
    "experiment",
    "evaluat",
    "benchmark",
    "result",
    "achiev",
    "accurac",
    "state-of-the-art",
    "outperform",
    "tested",
    "report",
    "score",
    "performance",
)

_ON_BEFORE = Caseless(
    r"(?=[oa])(?<!improvement )(?<!improvements )(?<!based )\b(?:on|across)\s+(?:the\s+)?"
    r"(?:challenging\s+|popular\s+|standard\s+)?$"
)


def evaluation_targets(text: str, mentions: list[Mention], low: str | None = None) -> list[Mention]:
    """Names evaluated on are data: "state-of-the-art results on SVHN and NORB-small".

    In a text that reports an evaluation, a name right after "on" / "across" that is not a known
    model family becomes a Dataset (``propagate_list_types`` then extends it to its list).
    ``low``, if given, is ``text.lower()`` (extraction lower-cases a text once for all its steps).

    >>> ms = [Mention("FooNet", "Method", 4, 10), Mention("SVHN", "Method", 35, 39)]
    >>> [m.type for m in evaluation_targets("Our FooNet achieves top results on SVHN.", ms)]
    ['Method', 'Dataset']
    """
    low = text.lower() if low is None else low
    found = [k for k in map(low.find, _EVALUATION_STEMS) if k >= 0]
    if not found or not _EVALUATION.search(text, low, min(found)):  # the pattern can start no earlier
        return mentions
    out = list(mentions)
    for k, m in enumerate(out):
        if (
            m.type == "Method"
            and not in_model_family(m.text)
            and not m.text.islower()
            and (
                "on " in text[max(0, m.start - 40) : m.start]
                or "across " in text[max(0, m.start - 40) : m.start]
            )
            and _ON_BEFORE.search(text, low, max(0, m.start - 30), m.start)
        ):
            out[k] = Mention(m.text, "Dataset", m.start, m.end)
    return out


#: What separates the names of a list: "A, B and C", "A or B", "Apple's OpenELM and Microsoft's Phi".
LIST_GAP = re.compile(r"^\s*(?:,|;|/|and|or|&|,\s*and|,\s*or|as well as)\s*(?:\w+'s\s+|[a-z]+-based\s+)?$")


def list_end(text: str, mentions: Sequence[Mention], k: int, base: int = 0) -> int:
    """Index of the last of the mentions listed together with ``mentions[k]`` ("A, B and C").

    ``base`` is the offset of ``text`` in the document the mentions' offsets refer to.

    >>> ms = [Mention("A1", "Method", 0, 2), Mention("B1", "Method", 4, 6), Mention("C1", "Method", 11, 13)]
    >>> list_end("A1, B1 and C1 are good", ms, 0)
    2
    """
    while k + 1 < len(mentions) and LIST_GAP.match(
        text[mentions[k].end - base : mentions[k + 1].start - base]
    ):
        k += 1
    return k


_DATA_LIST_CUE = Caseless(
    r"(?:datasets?|benchmarks?|corpora|corpus|suites?)(?:\s*(?:,|:|\(|such as|including|like|"
    r"namely|e\.g\.,?|i\.e\.,?))*\s*(?:namely,?|the)?\s*(?:[a-z]+-[a-z]+\s+)?$"
    r"|\b(?:(?:validation|test|training|dev|development|evaluation)\s+(?:set|split)s?|subsets?|splits?)"
    r"\s+of\s+(?:the\s+)?$"
)

#: What :data:`_DATA_LIST_CUE` needs somewhere before it can match (a cheap test first).
_DATA_LIST_WORD = ("data", "bench", "corp", "suite", "set", "split")

_DATA_AFTER = Caseless(r"\s+(?:datasets?|benchmarks?|corpora|corpus|test sets?|(?:news\s+)?data)\b")


def propagate_list_types(text: str, mentions: list[Mention], low: str | None = None) -> list[Mention]:
    """Names listed together are of one kind: "on ChartQA, Chart-to-Text and ChartX" are all data sets.

    A coordinated list of names becomes Dataset when one member is a known data set or the list
    follows "datasets/benchmarks (such as|including|:)"; well-known model families keep their type.
    ``low``, if given, is ``text.lower()``.

    >>> ms = [Mention("ImageNet", "Dataset", 3, 11), Mention("FooBench2", "Method", 13, 22)]
    >>> [m.type for m in propagate_list_types("on ImageNet, FooBench2.", ms)]
    ['Dataset', 'Dataset']
    """
    out = list(mentions)
    low = text.lower() if low is None else low
    i = 0
    while i < len(out):
        j = list_end(text, out, i)
        chain = range(i, j + 1)
        after = _DATA_AFTER.match(text, low, out[j].end)
        before = text[max(0, out[i].start - 40) : out[i].start]
        before_low = before.lower()
        cue = (
            any(map(before_low.__contains__, _DATA_LIST_WORD)) and _DATA_LIST_CUE.search(before, before_low)
        ) or after
        if cue or (j > i and any(out[k].type == "Dataset" for k in chain)):
            # "the CNN and Daily Mail datasets": a list that ends in the word names data, whatever
            # the names look like
            named_data = after is not None and "data" not in text[after.start() : after.end()].split()[-1:]
            for k in chain:
                m = out[k]
                if (
                    m.type == "Method"
                    and (named_data or not in_model_family(m.text))
                    and not m.text.islower()
                ):
                    out[k] = Mention(m.text, "Dataset", m.start, m.end)
        i = j + 1
    return out
