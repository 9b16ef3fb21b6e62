"""Mentions into groups: the non-overlapping mentions kept of all finders' candidates
(:func:`select_mentions`), a paper's mentions of one thing grouped under its normal form
(:func:`group_mentions`, with the long form an abbreviation links to), and the surface forms that
name an entity with its kind ("CityPersons dataset") kept as its aliases (:func:`add_cue_forms`).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from papergraph.extract import lexicon as lx
from papergraph.extract.caseless import Caseless
from papergraph.extract.sentences import Sentence
from papergraph.model import Mention
from papergraph.names import KIND_WORDS, normalize

__all__ = [
    "Group",
    "add_cue_forms",
    "by_sentence",
    "follow",
    "group_mentions",
    "is_weak",
    "key_of",
    "select_mentions",
]


def select_mentions(*batches: Iterable[Mention]) -> list[Mention]:
    """Keep non-overlapping mentions: earlier batches (detectors) first, then longer spans.

    >>> lora, longer = Mention("LoRA", "Method", 0, 4), Mention("LoRA fine", "Task", 0, 9)
    >>> [m.text for m in select_mentions([lora], [longer])]
    ['LoRA']
    """
    ranked = sorted(
        ((rank, m) for rank, batch in enumerate(batches) for m in batch),
        key=lambda rm: (rm[0], -(rm[1].end - rm[1].start), rm[1].start),
    )
    taken: list[Mention] = []
    starts: list[int] = []  # the taken spans, sorted: they never overlap, so their ends are sorted too
    ends: list[int] = []
    for _, m in ranked:
        k = bisect.bisect_left(starts, m.start)
        if (k > 0 and ends[k - 1] > m.start) or (k < len(starts) and starts[k] < m.end):
            continue  # overlaps the span before it or the one after
        starts.insert(k, m.start)
        ends.insert(k, m.end)
        taken.append(m)
    return sorted(taken, key=lambda m: (m.start, m.end))


@dataclass
class Group:
    key: str
    forms: defaultdict[str, int]  # surface form -> mentions (0: an alias seen only with a kind word)
    types: defaultdict[str, int]
    mentions: list[Mention]
    long_form: str | None = None

    def label(self) -> str:
        if self.long_form:
            return self.long_form
        return max(self.forms, key=lambda f: (self.forms[f], len(f), f))

    def type(self) -> str:
        return (
            next(iter(self.types))
            if len(self.types) == 1
            else sorted(
                self.types, key=lambda t: (-self.types[t], ("Dataset", "Task", "Metric", "Method").index(t))
            )[0]
        )


def is_weak(group: Group, title_end: int) -> bool:
    """A descriptive phrase said once in the abstract ("progressive pruning", "image description"),
    not a term the paper relies on: a lower-case method or task phrase that is neither repeated,
    nor in the title, nor defined with an acronym, nor a known term (SciERC's phrase lexicon)."""
    if group.long_form or len(group.mentions) > 1 or group.type() not in ("Method", "Task"):
        return False
    if group.mentions[0].start < title_end:
        return False
    form = next(iter(group.forms))
    return form.islower() and " " in form and form.lower() not in lx.scierc()["phrases"]


def group_mentions(mentions: Iterable[Mention], links: dict[str, str]) -> dict[str, Group]:
    """Mentions of one entity in one text, keyed by normalised long form."""
    groups: dict[str, Group] = {}
    long_keys = set(links.values())
    for m in mentions:
        key = normalize(m.text)
        if not key:
            continue
        key = links.get(key, key)
        g = groups.get(key)
        if g is None:
            g = groups[key] = Group(key, defaultdict(int), defaultdict(int), [])
        g.forms[m.text] += 1
        g.types[m.type] += 1
        g.mentions.append(m)
        if (
            key in long_keys
            and normalize(m.text) == key
            and (g.long_form is None or len(m.text) > len(g.long_form))
        ):
            g.long_form = m.text
    return groups


#: Generic heads that writers put after a name without changing what it names: "CityPersons
#: dataset", "BLEU score", "the BERT model", "the text comprehension task".
_HEAD_AFTER = {
    "Dataset": Caseless(  # also "COCO object detection dataset", "COCO test-dev set"
        r"\s+(?:(?!(?:and|or|of|the|as|in|on|for|with|to|from|by|is|are|was|were)\b)[a-z][\w-]*\s+){0,2}?"
        rf"(?:{KIND_WORDS['Dataset']})\b"
    ),
    "Metric": Caseless(rf"\s+(?:{KIND_WORDS['Metric']})\b"),
    "Task": Caseless(rf"\s+(?:{KIND_WORDS['Task']})\b"),
    "Method": Caseless(  # also a size in brackets: "GPT-2 (small)"
        rf"\s+(?:{KIND_WORDS['Method']}|"
        r"\((?:tiny|small|base|medium|large|xl|xxl|\d+(?:\.\d+)?[bmk])\))(?!\w)"
    ),
}

#: Lower-case words before a metric that say what it measures: "face verification accuracy".
_QUALIFIER_BEFORE = re.compile(r"(?<![\w-])((?:[a-z][a-z0-9-]*\s+){1,3})$")

_WORD = re.compile(r"\S+")


def add_cue_forms(
    text: str, low: str, mentions: list[Mention], links: dict[str, str], groups: dict[str, Group]
) -> None:
    """Keep the surface forms that name an entity with its kind ("CityPersons dataset", "BLEU
    score") or a metric with what it measures ("face verification accuracy") as aliases; ``low`` is
    ``text.lower()``."""
    for m in mentions:
        head = _HEAD_AFTER.get(m.type)
        cue = head.match(text, low, m.end) if head else None
        if cue:
            groups[key_of(m, links)].forms[text[m.start : cue.end()]] += 0  # an alias, never the label
        if m.type == "Metric" and m.start > 0 and text[m.start - 1] == " ":
            before = _QUALIFIER_BEFORE.search(text, max(0, m.start - 60), m.start)
            words = list(_WORD.finditer(text, before.start(1), before.end(1))) if before else []
            # from the word before the first task noun on: "face verification accuracy", not "high
            # face verification accuracy"; an article or such never opens the form
            first = next((k for k, w in enumerate(words) if w.group() in lx.TASK_HEADS), None)
            if first is not None and words[-1].group() in lx.TASK_HEADS:
                if first > 0 and words[first - 1].group() not in lx.LEADING_STOP:
                    first -= 1
                groups[key_of(m, links)].forms[text[words[first].start() : m.end]] += 0


def key_of(m: Mention, links: dict[str, str]) -> str:
    k = normalize(m.text)
    return links.get(k, k)


def follow(links: dict[str, str], key: str) -> str:
    seen = set()
    while key in links and key not in seen:
        seen.add(key)
        key = links[key]
    return key


def by_sentence(mentions: list[Mention], sentences: list[Sentence]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = defaultdict(list)
    j = 0
    for m in mentions:
        while j < len(sentences) and sentences[j].end <= m.start:
            j += 1
        if j < len(sentences) and sentences[j].start <= m.start:
            out[sentences[j].start].append(m)
    return out
