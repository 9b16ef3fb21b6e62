"""The steps of extraction, each a small function over the :class:`~papergraph.extract.document.Document`
of one record, run in the order of :data:`STEPS`: read the text, define abbreviations, name the
title's contribution, find candidates (names, cues, phrase terms, chunks), keep mentions, group
them, find what the paper proposes, the relations its sentences state, the learned decision, and
the relations assembled with their sentences.

>>> from papergraph.model import Record, SourceRef
>>> record = Record(SourceRef("x", 1, "test"), "We propose Low-Rank Adaptation (LoRA).")
>>> doc = Document(record)
>>> [step.__name__ for step in STEPS][:3]
['read_text', 'define_abbreviations', 'name_in_title']
>>> sorted({(r.relation, r.mention.text) for r in run_steps(doc).relations})
[('proposes', 'Low-Rank Adaptation')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from papergraph.extract import lexicon as lx
from papergraph.extract import relations as rel
from papergraph.extract.abbreviations import find_abbreviations
from papergraph.extract.caseless import Caseless
from papergraph.extract.decision import Candidate
from papergraph.extract.document import Document, document_text
from papergraph.extract.grouping import (
    Group,
    add_cue_forms,
    by_sentence,
    follow,
    group_mentions,
    is_weak,
    key_of,
    select_mentions,
)
from papergraph.extract.lists import evaluation_targets, propagate_list_types
from papergraph.extract.mentions import name_mentions, type_name
from papergraph.extract.node_test import never_a_node
from papergraph.extract.sentences import Sentence, is_prose, split_sentences
from papergraph.extract.terms import chunk_mentions, phrase_mentions
from papergraph.model import Evidence, Mention, Relation
from papergraph.names import normalize

__all__ = [
    "STEPS",
    "assemble_relations",
    "decide",
    "define_abbreviations",
    "find_candidates",
    "find_proposed",
    "find_relations",
    "group",
    "keep_mentions",
    "name_in_title",
    "read_text",
    "run_steps",
]

_URL = Caseless(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|io|net|ai)(?:/\S*)?")

#: What every match of :data:`_URL` holds (in the lower-cased text): a cheap test before it.
_URL_HINTS = ("://", "www.", ".com", ".org", ".io", ".net", ".ai")

#: Expansions that stay generic however they are spelt ("Large-Language Models (LLMs)").
_GENERIC_EXPANSIONS = frozenset(
    normalize(g) for g in ("large language model", "language model", "deep neural network")
)

_STRENGTH = {"proposes": 0, "improves-on": 1, "compares-to": 2, "uses": 3}

_DATA_WORD = re.compile(r"\b(?:dataset|benchmark|corpus|suite)\b", re.IGNORECASE)

_LETTERS = re.compile(r"[A-Za-z]{2,}")


def _abbreviation_mentions(
    text: str, definitions: list[tuple[str, str, int, int]]
) -> tuple[list[Mention], dict[str, str]]:
    """Mentions of defined abbreviations (both forms, every occurrence) and short -> long keys."""
    out: list[Mention] = []
    links: dict[str, str] = {}
    for short, long_form, ls, le in definitions:
        lowered = long_form.lower()
        if (
            lowered in lx.GENERIC
            or short.lower() in lx.NOT_ENTITIES
            or normalize(long_form) in _GENERIC_EXPANSIONS
        ):
            continue
        following = text[le + len(short) + 3 : le + len(short) + 23]
        kind = "Metric" if short.lower() in lx.METRICS else _type_long_form(long_form, following)
        if kind is None:
            continue
        out.append(Mention(long_form, kind, ls, le))
        links[normalize(short)] = normalize(long_form)
        out.extend(Mention(short, kind, k, k + len(short)) for k in _whole_word_at(text, short))
    return out, links


def _whole_word_at(text: str, word: str) -> Iterator[int]:
    """Where ``word`` stands in ``text`` with no word character or hyphen on either side: the
    matches of ``(?<![\\w-])WORD(?![\\w-])``, found with ``str.find`` (a pattern that opens with a
    lookbehind is tried at every position of the text).

    >>> list(_whole_word_at("LoRA, QLoRA and LoRA-based LoRA", "LoRA"))
    [0, 27]
    """
    k = text.find(word)
    while k >= 0:
        end = k + len(word)
        if not (_word_or_hyphen(text, k - 1) or _word_or_hyphen(text, end)):
            yield k
            k = text.find(word, end)
        else:
            k = text.find(word, k + 1)


def _word_or_hyphen(text: str, k: int) -> bool:
    """Whether the character at ``k`` (if any) is one that ``[\\w-]`` matches."""
    return 0 <= k < len(text) and (text[k].isalnum() or text[k] in "_-")


def _type_long_form(long_form: str, following: str) -> str | None:
    words = long_form.lower().split()
    phrases = phrase_mentions(long_form.lower(), 0)
    if phrases and phrases[-1].end == len(long_form):
        return phrases[-1].type
    if words[-1] in lx.DATASET_HEADS or following.lower().lstrip(" ,)").startswith(lx.DATASET_CUE_PREFIXES):
        return "Dataset"
    if any(w[:1].isupper() for w in long_form.split()):
        return type_name(long_form, following)
    return None


def _url_spans(text: str, low: str) -> list[tuple[int, int]]:
    """The spans of the matches of :data:`_URL` in ``text`` (``low`` lower-cased), found in the
    space-delimited chunks that hold one of :data:`_URL_HINTS` only.

    No match holds a space, and each holds a hint, so no match lies elsewhere; searching the whole
    text tries the pattern at every word (its ``[\\w.-]+`` then runs to the word's end and back),
    which cost 2.8 % of the instructions of extracting the 324 real abstracts (75 have a link).
    Where the pattern runs on ``text`` rather than ``low`` (see ``Caseless``), the hints found in
    ``low`` may not say where the matches are: there the whole text is searched.

    >>> text = "Code: https://github.com/a/b. Data at www.x.org, see ScaDS.AI docs."
    >>> [text[s:e] for s, e in _url_spans(text, text.lower())]
    ['https://github.com/a/b.', 'www.x.org,', 'ScaDS.AI']
    """
    if not Caseless.on_lowered(text, low):
        return [u.span() for u in _URL.finditer(text, low)]
    chunks: set[tuple[int, int]] = set()
    for hint in _URL_HINTS:
        k = low.find(hint)
        while k >= 0:
            end = low.find(" ", k)
            end = len(low) if end < 0 else end
            chunks.add((low.rfind(" ", 0, k) + 1, end))
            k = low.find(hint, end)
    return [u.span() for start, end in sorted(chunks) for u in _URL.finditer(text, low, start, end)]


def _shouted(title: str) -> bool:
    """A title in capitals, where case no longer tells names from words.

    >>> _shouted("SINGLE IMAGE SUPER-RESOLUTION WITH DILATED CONVOLUTION"), _shouted("GPT-4 Technical Report")
    (True, False)
    """
    words = _LETTERS.findall(title)
    return len(words) >= 4 and all(w.isupper() for w in words)


_EDGE_WORD = re.compile(r"[\w-]+")


def _candidate(
    group: Group,
    relations: list[str],
    text: str,
    title_end: int,
    weak: bool,
    found_by: tuple[str, ...],
    signals: dict[str, None] | None = None,
) -> Candidate:
    """What the learned decision sees of ``group``."""
    first = group.mentions[0]
    before = _EDGE_WORD.findall(text, max(0, first.start - 40), first.start)
    after = _EDGE_WORD.search(text, first.end, first.end + 40)
    window = [w.lower() for w in before[-3:]]
    for m in group.mentions[1:3]:
        window += [w.lower() for w in _EDGE_WORD.findall(text, max(0, m.start - 30), m.start)[-3:]]
    return Candidate(
        label=group.label(),
        forms=tuple(sorted(group.forms)),
        rule_type=group.type(),
        relations=tuple(relations),
        mentions=len(group.mentions),
        first=first.start / max(len(text), 1),
        in_title=first.start < title_end,
        defined=group.long_form is not None,
        weak=weak,
        before=before[-1].lower() if before else "",
        after=after.group().lower() if after else "",
        found_by=found_by,
        signals=tuple(signals or ()),
        window=tuple(dict.fromkeys(window)),
    )


def _relation(
    name: str, group: Group, m: Mention, s: Sentence, own: bool = False, kind: str | None = None
) -> Relation:
    label = group.label()
    aliases = tuple(sorted(f for f in group.forms if f != label and not never_a_node(f)))
    kind = kind or group.type()
    if own and kind == "Task":
        kind = "Method"  # a paper's own named contribution is a technique unless it is data
    mention = Mention(label, kind, m.start, m.end)
    return Relation(name, mention, Evidence(s.text, m.start, m.end), aliases)


# ---- the steps, in the order of STEPS --------------------------------------------------------
def read_text(doc: Document) -> None:
    """The text offsets refer to (title, newline, abstract), its sentences, the title's."""
    record = doc.record
    doc.text = document_text(record)
    doc.low = doc.text.lower()  # once for every step that matches without regard to case
    doc.sentences = split_sentences(doc.text)
    doc.title_sentence = doc.sentences[0] if record.title and doc.sentences else None
    doc.title_end = len(record.title) if record.title else 0


def define_abbreviations(doc: Document) -> None:
    """Acronym definitions ("Low-Rank Adaptation (LoRA)"): both forms, every occurrence, linked."""
    doc.definitions = find_abbreviations(doc.text)
    doc.abbr, doc.links = _abbreviation_mentions(doc.text, doc.definitions)


def name_in_title(doc: Document) -> None:
    """The name a title gives the paper's own contribution ("LoRA: Low-Rank Adaptation of ..."),
    and its expansion in the title, linked to it."""
    title = doc.record.title
    if doc.title_sentence is None or not title:
        return
    head = rel.title_name(title)
    if not head:
        return
    following = title.split(":", 1)[1]
    kind = "Dataset" if _DATA_WORD.search(following) else "Method"
    kind = type_name(head, "") if kind == "Method" and type_name(head, "") == "Dataset" else kind
    m = Mention(head, kind, 0, len(head))
    doc.names.append(m)
    doc.proposed_spans.append((m, doc.title_sentence))
    expansion = rel.expansion_in_title(head, title)
    if expansion:
        doc.links[normalize(expansion)] = normalize(head)
        start = title.index(expansion)
        doc.names.append(Mention(expansion, kind, start, start + len(expansion)))


def find_candidates(doc: Document) -> None:
    """Each finder over each sentence of prose: names, names after cues, phrase terms, and (for a
    learned decision) broad noun-phrase chunks."""
    title_sentence = doc.title_sentence
    doc.debris = debris = [
        (s.start, s.end) for s in doc.sentences if s is not title_sentence and not is_prose(s.text)
    ]
    for s in doc.sentences:
        is_title = s is title_sentence
        if debris and (s.start, s.end) in debris:
            continue
        if is_title and _shouted(s.text):
            continue  # "SINGLE IMAGE SUPER-RESOLUTION WITH ...": every word looks like an acronym
        doc.names.extend(name_mentions(s.text, s.start, title=is_title))
        if not is_title:
            doc.cued.extend(rel.named_after_cues(s))
        doc.phrases.extend(phrase_mentions(s.text, s.start, title=is_title))
        if doc.decide is not None:
            doc.chunks.extend(chunk_mentions(s.text, s.start))


def keep_mentions(doc: Document) -> None:
    """The mentions kept: finders in order of trust, then longer spans, none overlapping; chunks the
    gate lets through; none inside a link or debris; types spread to evaluation targets and lists."""
    text, low, chunks = doc.text, doc.low, doc.chunks
    urls = _url_spans(text, low) if any(map(low.__contains__, _URL_HINTS)) else []
    skipped = urls + doc.debris
    mentions = select_mentions(doc.abbr, doc.names, doc.cued, doc.phrases, chunks)
    if chunks and doc.choose_chunk is not None:  # chunks only take places no other finder took
        mentions = _chosen_chunks(mentions, chunks, doc.choose_chunk)
    if skipped:
        mentions = [m for m in mentions if not any(m.start < e and s < m.end for s, e in skipped)]
    mentions = propagate_list_types(text, evaluation_targets(text, mentions, low), low)
    # the title's own name keeps its place even inside a longer title phrase
    for m, _ in doc.proposed_spans:
        if m not in mentions:
            mentions = [x for x in mentions if not (x.start < m.end and m.start < x.end)] + [m]
            mentions.sort(key=lambda x: (x.start, x.end))
    doc.mentions = mentions


def _chosen_chunks(
    mentions: list[Mention],
    chunks: list[Mention],
    choose: Callable[[str, str], tuple[int, int, str] | None],
) -> list[Mention]:
    """``mentions`` with each broad candidate replaced by the span ``choose`` keeps of it, or
    dropped; a shorter span chosen joins ``chunks`` (so the decision knows who found it)."""
    chunk_ids = {id(m) for m in chunks}
    out: list[Mention] = []
    for m in mentions:
        if id(m) in chunk_ids:
            chosen = choose(m.text, m.type)
            if chosen is None:
                continue
            start, end, kind = chosen
            if (start, end, kind) != (0, len(m.text), m.type):
                m = Mention(m.text[start:end], kind, m.start + start, m.start + end)
                chunks.append(m)
        out.append(m)
    return out


def group(doc: Document) -> None:
    """A paper's mentions of one thing grouped; descriptions said once dropped (by the rules) or
    marked (for a learned decision); the forms that name an entity with its kind as aliases."""
    if doc.links:  # expansions found in the title link back to the title name
        doc.links = {k: follow(doc.links, k) for k in doc.links}
    links = doc.links
    doc.groups = groups = group_mentions(doc.mentions, links)
    doc.weak = weak = {k for k, g in groups.items() if is_weak(g, doc.title_end)}
    if weak and doc.decide is None:  # the rules drop descriptions said once; a learned decision weighs them
        doc.mentions = [m for m in doc.mentions if key_of(m, links) not in weak]
        doc.groups = {k: g for k, g in groups.items() if k not in weak}
    add_cue_forms(doc.text, doc.low, doc.mentions, links, doc.groups)
    doc.by_sentence = by_sentence(doc.mentions, doc.sentences)


def find_proposed(doc: Document) -> None:
    """What the paper names as its own contribution: the title's name, what a proposing sentence
    names, and a method whose name extends one of those."""
    links, proposed = doc.links, doc.proposed
    for m, s in doc.proposed_spans:
        proposed.setdefault(key_of(m, links), (m, s))
    for s in doc.sentences:
        for m in rel.proposed_in(s, doc.by_sentence.get(s.start, [])):
            proposed.setdefault(key_of(m, links), (m, s))
    for k, g in doc.groups.items():
        if (
            k not in proposed
            and any(k.startswith(p) and len(p) >= 4 for p in proposed)
            and g.type() == "Method"
        ):
            first = g.mentions[0]
            proposed[k] = (first, next(s for s in doc.sentences if s.start <= first.start < s.end + 1))


def find_relations(doc: Document) -> None:
    """The relation each sentence states of each group it names (uses, compares to, improves on),
    and for a learned decision what the sentence cues say before the rules' conditions."""
    links, found, signals = doc.links, doc.found, doc.signals
    for s in doc.sentences:
        in_s = doc.by_sentence.get(s.start, [])
        own = [key_of(m, links) in doc.proposed for m in in_s]
        for m, is_own, r in zip(in_s, own, rel.sentence_relations(s, in_s, own), strict=True):
            if not is_own:
                found.setdefault((key_of(m, links), r), (m, s))
        if doc.decide is not None and in_s:
            for m, said_of in zip(in_s, rel.relation_signals(s, in_s), strict=True):
                if said_of:
                    signals[key_of(m, links)].update(dict.fromkeys(said_of))
    doc.improved = {k for k, r in found if r == "improves-on"}
    doc.dropped = {k for k, g in doc.groups.items() if never_a_node(g.label())}


def decide(doc: Document) -> None:
    """The learned decision (when there is one): for each group the rules relate to the paper, is it
    an entity, of which type, and the relation its relation part picks."""
    if doc.decide is None:
        return
    said: defaultdict[str, list[str]] = defaultdict(list)
    for k in doc.proposed:
        said[k].append("proposes")
    for k, r in doc.found:
        if not (r == "compares-to" and k in doc.improved):
            said[k].append(r)
    origin = {
        (m.start, m.end): name
        for name, batch in (
            ("chunk", doc.chunks),
            ("phrase", doc.phrases),
            ("cue", doc.cued),
            ("name", doc.names),
            ("abbr", doc.abbr),
        )
        for m in batch
    }
    for k, rels in said.items():
        if k in doc.dropped:
            continue  # never a node, whatever the model says
        g = doc.groups[k]
        found_by = sorted({origin.get((m.start, m.end), "other") for m in g.mentions})
        candidate = _candidate(
            g, rels, doc.text, doc.title_end, k in doc.weak, tuple(found_by), doc.signals.get(k)
        )
        decided = doc.decide(candidate)
        if decided is None:
            doc.dropped.add(k)
            continue
        doc.kinds[k] = decided
        relation = doc.relate(candidate) if doc.relate is not None else None
        if relation is not None:
            doc.chosen[k] = relation


def assemble_relations(doc: Document) -> None:
    """The paper's relations, each with its sentence: the rules', then the relation part's where the
    rules did not say it (improves-on implies compares-to), in the order of the text."""
    groups, proposed, found, kinds, dropped = doc.groups, doc.proposed, doc.found, doc.kinds, doc.dropped
    improved = set(doc.improved)
    # the relation part's relation joins the rules' (an entity may carry several), where they did
    # not say it
    said_so = {(k, "proposes") for k in proposed} | found.keys() | {(k, "compares-to") for k in improved}
    added = {k: r for k, r in doc.chosen.items() if (k, r) not in said_so}
    improved |= {k for k, r in added.items() if r == "improves-on"}
    relations = doc.relations
    for k, (m, s) in proposed.items():
        if k not in dropped:
            relations.append(_relation("proposes", groups[k], m, s, own=True, kind=kinds.get(k)))
    for (k, r), (m, s) in found.items():
        if (r == "compares-to" and k in improved) or k in dropped:
            continue
        relations.append(_relation(r, groups[k], m, s, kind=kinds.get(k)))
    if added:  # stated by a sentence the rules found the entity in (the proposing one, or the first)
        first = {k: ms for (k, _), ms in reversed(found.items())} | dict(proposed.items())
        for k, r in added.items():
            m, s = first[k]
            relations.append(_relation(r, groups[k], m, s, own=r == "proposes", kind=kinds[k]))
    relations.sort(key=lambda r: (r.evidence.start, _STRENGTH[r.relation], r.mention.text))


#: The steps of extraction, in order: each reads what the ones before it filled in the
#: :class:`~papergraph.extract.document.Document`. A new step is a function here and a line.
STEPS: tuple[Callable[[Document], None], ...] = (
    read_text,
    define_abbreviations,
    name_in_title,
    find_candidates,
    keep_mentions,
    group,
    find_proposed,
    find_relations,
    decide,
    assemble_relations,
)


def run_steps(doc: Document, steps: Sequence[Callable[[Document], None]] = STEPS) -> Document:
    """Run ``steps`` over ``doc`` in order and return it."""
    for step in steps:
        step(doc)
    return doc
