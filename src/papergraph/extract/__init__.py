"""Extract entity mentions and paper-level relations, each with its evidence, from one record.

The pipeline is a sequence of small functions, each testable alone: :func:`document_text`,
``sentences.split_sentences``, ``abbreviations.find_abbreviations``, ``mentions.name_mentions`` /
``terms.phrase_mentions``, :func:`select_mentions`, :func:`group_mentions`, and
``relations`` for the relation each group takes.

>>> from papergraph.model import Record, SourceRef
>>> rec = Record(SourceRef("x", 1, "test"), title="LoRA: Low-Rank Adaptation of Large Language Models",
...              abstract="We propose Low-Rank Adaptation (LoRA). LoRA outperforms adapters on GLUE.")
>>> sorted({(r.relation, r.mention.text) for r in extract(rec).relations})
[('proposes', 'Low-Rank Adaptation'), ('uses', 'GLUE')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from papergraph.extract import decision
from papergraph.extract import lexicon as lx
from papergraph.extract import relations as rel
from papergraph.extract.abbreviations import find_abbreviations
from papergraph.extract.caseless import Caseless
from papergraph.extract.decision import Candidate
from papergraph.extract.lists import evaluation_targets, propagate_list_types
from papergraph.extract.mentions import name_mentions, type_name
from papergraph.extract.node_test import never_a_node
from papergraph.extract.sentences import Sentence, is_prose, split_sentences
from papergraph.extract.terms import chunk_mentions, phrase_mentions
from papergraph.model import Evidence, Extraction, Mention, Record, Relation
from papergraph.names import KIND_WORDS, normalize

__all__ = ["candidates", "document_text", "extract", "extract_learned"]

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


def document_text(record: Record) -> str:
    """The text offsets refer to: the title, a newline, the abstract (or the abstract alone)."""
    return f"{record.title}\n{record.abstract}" if record.title else record.abstract


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
class _Group:
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


def _weak(group: _Group, title_end: int) -> bool:
    """A descriptive phrase said once in the abstract ("progressive pruning", "image description"),
    not a term the paper relies on: a lower-case method or task phrase that is neither repeated,
    nor in the title, nor defined with an acronym, nor a known term (SciERC's phrase lexicon)."""
    if group.long_form or len(group.mentions) > 1 or group.type() not in ("Method", "Task"):
        return False
    if group.mentions[0].start < title_end:
        return False
    form = next(iter(group.forms))
    return form.islower() and " " in form and form.lower() not in lx.scierc()["phrases"]


def group_mentions(mentions: Iterable[Mention], links: dict[str, str]) -> dict[str, _Group]:
    """Mentions of one entity in one text, keyed by normalised long form."""
    groups: dict[str, _Group] = {}
    long_keys = set(links.values())
    for m in mentions:
        key = normalize(m.text)
        if not key:
            continue
        key = links.get(key, key)
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(key, defaultdict(int), defaultdict(int), [])
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


def _add_cue_forms(
    text: str, low: str, mentions: list[Mention], links: dict[str, str], groups: dict[str, _Group]
) -> None:
    """Keep the surface forms that name an entity with its kind ("CityPersons dataset", "BLEU
    score") or a metric with what it measures ("face verification accuracy") as aliases; ``low`` is
    ``text.lower()``."""
    for m in mentions:
        head = _HEAD_AFTER.get(m.type)
        cue = head.match(text, low, m.end) if head else None
        if cue:
            groups[_key(m, links)].forms[text[m.start : cue.end()]] += 0  # an alias, never the label
        if m.type == "Metric" and m.start > 0 and text[m.start - 1] == " ":
            before = _QUALIFIER_BEFORE.search(text, max(0, m.start - 60), m.start)
            words = list(_WORD.finditer(text, before.start(1), before.end(1))) if before else []
            # from the word before the first task noun on: "face verification accuracy", not "high
            # face verification accuracy"; an article or such never opens the form
            first = next((k for k, w in enumerate(words) if w.group() in lx.TASK_HEADS), None)
            if first is not None and words[-1].group() in lx.TASK_HEADS:
                if first > 0 and words[first - 1].group() not in lx.LEADING_STOP:
                    first -= 1
                groups[_key(m, links)].forms[text[words[first].start() : m.end]] += 0


#: The decision on each candidate: its type, or ``None`` when it is no entity of the graph.
Decider = Callable[[Candidate], "str | None"]


def extract(record: Record, decide: Decider | decision.Model | str = "rules") -> Extraction:
    """Mentions and relations of one record, each relation with the sentence stating it.

    ``decide`` settles which candidates become entities, and their type: ``"rules"`` (the
    default) the rules alone; ``"learned"`` the model shipped with papergraph
    (:mod:`papergraph.extract.decision`), which also weighs broad noun-phrase candidates (those its
    gate lets through); another :class:`~papergraph.extract.decision.Model`; or any function of a
    :class:`~papergraph.extract.decision.Candidate` (which then sees every broad candidate).
    """
    if decide == "rules":
        return _extract(record, None)
    if decide == "learned":
        learned = decision.model()
        if learned is None:
            raise RuntimeError("no learned model is installed (data/decision_model.json)")
        decide = learned
    if isinstance(decide, decision.Model):
        relate = decide.relate if decide.relation_weights else None
        return _extract(record, decide.decide_candidate, decide.keeps_chunk, relate)
    return _extract(record, decide)  # type: ignore[arg-type]


def extract_learned(record: Record) -> Extraction:
    """:func:`extract` with the learned decision: an extractor for ``build(extractor=...)``."""
    return extract(record, "learned")


extract_learned.fingerprint = "learned"  # type: ignore[attr-defined]  # cacheable, see parallel.Extractor


def candidates(record: Record) -> list[Candidate]:
    """Every candidate group of ``record`` the learned decision sees, with what the rules know of
    it (for training the decision: ``scripts/train_extractor.py``)."""
    found: list[Candidate] = []

    def keep_all(c: Candidate) -> str | None:
        found.append(c)
        return c.rule_type

    _extract(record, keep_all)
    return found


def _extract(
    record: Record,
    decide: Decider | None,
    keeps_chunk: Callable[[str, str], bool] | None = None,
    relate: Callable[[Candidate], str | None] | None = None,
) -> Extraction:
    text = document_text(record)
    sentences = split_sentences(text)
    has_title = bool(record.title)
    definitions = find_abbreviations(text)
    abbr, links = _abbreviation_mentions(text, definitions)
    names: list[Mention] = []
    phrases: list[Mention] = []
    cued: list[Mention] = []
    chunks: list[Mention] = []  # broad candidates, for a learned decision only
    proposed_spans: list[tuple[Mention, Sentence]] = []
    title_sentence = sentences[0] if has_title and sentences else None
    if title_sentence is not None and record.title:
        head = rel.title_name(record.title)
        if head:
            following = record.title.split(":", 1)[1]
            kind = "Dataset" if _DATA_WORD.search(following) else "Method"
            kind = type_name(head, "") if kind == "Method" and type_name(head, "") == "Dataset" else kind
            m = Mention(head, kind, 0, len(head))
            names.append(m)
            proposed_spans.append((m, title_sentence))
            expansion = rel.expansion_in_title(head, record.title)
            if expansion:
                links[normalize(expansion)] = normalize(head)
                names.append(
                    Mention(
                        expansion,
                        kind,
                        record.title.index(expansion),
                        record.title.index(expansion) + len(expansion),
                    )
                )
    debris = [(s.start, s.end) for s in sentences if s is not title_sentence and not is_prose(s.text)]
    for s in sentences:
        is_title = s is title_sentence
        if debris and (s.start, s.end) in debris:
            continue
        if is_title and _shouted(s.text):
            continue  # "SINGLE IMAGE SUPER-RESOLUTION WITH ...": every word looks like an acronym
        names.extend(name_mentions(s.text, s.start, title=is_title))
        if not is_title:
            cued.extend(rel.named_after_cues(s))
        phrases.extend(phrase_mentions(s.text, s.start, title=is_title))
        if decide is not None:
            chunks.extend(chunk_mentions(s.text, s.start))
    low = text.lower()  # once for every step that matches without regard to case
    urls = _url_spans(text, low) if any(map(low.__contains__, _URL_HINTS)) else []
    skipped = urls + debris
    mentions = select_mentions(abbr, names, cued, phrases, chunks)
    if chunks and keeps_chunk is not None:  # chunks only take places no other finder took
        chunk_ids = {id(m) for m in chunks}
        mentions = [m for m in mentions if id(m) not in chunk_ids or keeps_chunk(m.text, m.type)]
    if skipped:
        mentions = [m for m in mentions if not any(m.start < e and s < m.end for s, e in skipped)]
    mentions = propagate_list_types(text, evaluation_targets(text, mentions, low), low)
    # the title's own name keeps its place even inside a longer title phrase
    for m, _ in proposed_spans:
        if m not in mentions:
            mentions = [x for x in mentions if not (x.start < m.end and m.start < x.end)] + [m]
            mentions.sort(key=lambda x: (x.start, x.end))
    # expansions found in the title link back to the title name
    if links:
        links = {k: _follow(links, k) for k in links}
    groups = group_mentions(mentions, links)
    title_end = len(record.title) if record.title else 0
    weak = {k for k, g in groups.items() if _weak(g, title_end)}
    if weak and decide is None:  # the rules drop descriptions said once; a learned decision weighs them
        mentions = [m for m in mentions if _key(m, links) not in weak]
        groups = {k: g for k, g in groups.items() if k not in weak}
    _add_cue_forms(text, low, mentions, links, groups)
    by_sentence = _by_sentence(mentions, sentences)

    proposed: dict[str, tuple[Mention, Sentence]] = {}
    for m, s in proposed_spans:
        proposed.setdefault(_key(m, links), (m, s))
    for s in sentences:
        for m in rel.proposed_in(s, by_sentence.get(s.start, [])):
            k = _key(m, links)
            proposed.setdefault(k, (m, s))

    for k, g in groups.items():
        if (
            k not in proposed
            and any(k.startswith(p) and len(p) >= 4 for p in proposed)
            and g.type() == "Method"
        ):
            first = g.mentions[0]
            proposed[k] = (first, next(s for s in sentences if s.start <= first.start < s.end + 1))
    found: dict[tuple[str, str], tuple[Mention, Sentence]] = {}
    signals: defaultdict[str, dict[str, None]] = defaultdict(dict)  # key -> cue signals, in order
    for s in sentences:
        in_s = by_sentence.get(s.start, [])
        own = [_key(m, links) in proposed for m in in_s]
        for m, is_own, r in zip(in_s, own, rel.sentence_relations(s, in_s, own), strict=True):
            if not is_own:
                found.setdefault((_key(m, links), r), (m, s))
        if decide is not None and in_s:
            for m, said_of in zip(in_s, rel.relation_signals(s, in_s), strict=True):
                if said_of:
                    signals[_key(m, links)].update(dict.fromkeys(said_of))
    improved = {k for k, r in found if r == "improves-on"}
    dropped = {k for k, g in groups.items() if never_a_node(g.label())}
    kinds: dict[str, str] = {}  # the decided type, where it is not the rules'
    chosen: dict[str, str] = {}  # the relation the model's relation part decides
    if decide is not None:
        said: defaultdict[str, list[str]] = defaultdict(list)
        for k in proposed:
            said[k].append("proposes")
        for k, r in found:
            if not (r == "compares-to" and k in improved):
                said[k].append(r)
        origin = {
            (m.start, m.end): name
            for name, batch in (
                ("chunk", chunks),
                ("phrase", phrases),
                ("cue", cued),
                ("name", names),
                ("abbr", abbr),
            )
            for m in batch
        }
        for k, rels in said.items():
            if k in dropped:
                continue  # never a node, whatever the model says
            found_by = sorted({origin.get((m.start, m.end), "other") for m in groups[k].mentions})
            candidate = _candidate(
                groups[k], rels, text, title_end, k in weak, tuple(found_by), signals.get(k)
            )
            kind = decide(candidate)
            if kind is None:
                dropped.add(k)
                continue
            kinds[k] = kind
            relation = relate(candidate) if relate is not None else None
            if relation is not None:
                chosen[k] = relation
    # the relation part's relation joins the rules' (an entity may carry several), where they did
    # not say it; improves-on implies compares-to
    said_so = {(k, "proposes") for k in proposed} | found.keys() | {(k, "compares-to") for k in improved}
    added = {k: r for k, r in chosen.items() if (k, r) not in said_so}
    improved |= {k for k, r in added.items() if r == "improves-on"}
    relations: list[Relation] = []
    for k, (m, s) in proposed.items():
        if k not in dropped:
            relations.append(_relation("proposes", groups[k], m, s, own=True, kind=kinds.get(k)))
    for (k, r), (m, s) in found.items():
        if (r == "compares-to" and k in improved) or k in dropped:
            continue
        relations.append(_relation(r, groups[k], m, s, kind=kinds.get(k)))
    if added:  # stated by a sentence the rules found the entity in (the proposing one, or the first)
        first = {k: ms for (k, _), ms in reversed(found.items())} | {k: ms for k, ms in proposed.items()}
        for k, r in added.items():
            m, s = first[k]
            relations.append(_relation(r, groups[k], m, s, own=r == "proposes", kind=kinds[k]))
    relations.sort(key=lambda r: (r.evidence.start, _STRENGTH[r.relation], r.mention.text))
    pairs = tuple(sorted({(short, long_form) for short, long_form, _, _ in definitions}))
    return Extraction(
        record=record, mentions=tuple(mentions), relations=tuple(relations), abbreviations=pairs
    )


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


def _key(m: Mention, links: dict[str, str]) -> str:
    k = normalize(m.text)
    return links.get(k, k)


def _follow(links: dict[str, str], key: str) -> str:
    seen = set()
    while key in links and key not in seen:
        seen.add(key)
        key = links[key]
    return key


def _by_sentence(mentions: list[Mention], sentences: list[Sentence]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = defaultdict(list)
    j = 0
    for m in mentions:
        while j < len(sentences) and sentences[j].end <= m.start:
            j += 1
        if j < len(sentences) and sentences[j].start <= m.start:
            out[sentences[j].start].append(m)
    return out


_EDGE_WORD = re.compile(r"[\w-]+")


def _candidate(
    group: _Group,
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
    name: str, group: _Group, m: Mention, s: Sentence, own: bool = False, kind: str | None = None
) -> Relation:
    label = group.label()
    aliases = tuple(sorted(f for f in group.forms if f != label and not never_a_node(f)))
    kind = kind or group.type()
    if own and kind == "Task":
        kind = "Method"  # a paper's own named contribution is a technique unless it is data
    mention = Mention(label, kind, m.start, m.end)
    return Relation(name, mention, Evidence(s.text, m.start, m.end), aliases)
