"""Citation edges: every reference of every record becomes ``cites`` from its paper to the paper
of the graph it names, or else to one :class:`~papergraph.model.ExternalWork` per cited work.

Matching, precision first (a doubtful match stays an external work):

1. an identifier of the reference (DOI, arXiv, OpenAlex, Semantic Scholar, PubMed, record id)
   that a paper carries;
2. else the reference's title (:mod:`papergraph.resolve.references`), compared with rapidfuzz to the
   titles of the papers that share one of its :data:`BLOCKING_KEYS` rarest words or word pairs
   (blocking: a reference meets a few papers, never every paper; a typo in one key leaves the
   others),
   accepted at ratio ≥ :data:`TITLE_RATIO` when every word that differs is a typo or spelling
   variant of a word of the other title (``modelling`` / ``modeling``, never ``metabolic`` /
   ``signalling``), the years differ by at most one and the first author's surname is among the
   paper's authors (each checked when both sides have it), and when no other paper comes close;
3. else a paper's whole title (five words or more) written inside the reference's text, with the
   same year and author checks (candidates: the papers whose rarest title word is in the text).

A reference whose DOI no paper has is never matched by title to a paper with another DOI. The
same external work cited by several papers is one node: same identifier, else same first
author, year and title (or source, volume and page), else the same text modulo case and
punctuation.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from papergraph.identifiers import canonical, scheme
from papergraph.model import Edge, ExternalWork, Paper, Reference
from papergraph.names import slug
from papergraph.resolve.references import ParsedReference, parse_reference, surname_key, title_key

#: Least rapidfuzz ratio between a reference's title and a paper's title for a match.
TITLE_RATIO = 92.0
#: Least rapidfuzz ratio between a word of a reference's title and the word of the paper's title
#: it stands for (a typo, ``modelling`` / ``modeling``, ``network`` / ``networks``).
WORD_RATIO = 75.0
#: A second candidate this close to the best makes the match doubtful (no match).
AMBIGUITY_MARGIN = 3.0
#: Words or word pairs in more than this many titles are not used as blocking keys.
MAX_POSTING = 200
#: How many of a reference title's rarest words and word pairs select the papers it is compared to.
BLOCKING_KEYS = 3
#: A paper title must have at least this many words to be found inside a reference's text.
MIN_CONTAINED_WORDS = 5

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "via",
        "with",
        "using",
        "based",
        "towards",
        "toward",
        "its",
        "their",
        "our",
        "new",
        "approach",
        "study",
        "analysis",
    ]
)


@dataclass(frozen=True)
class Match:
    """The paper a reference names and why (``id``, ``title``, ``title-in-text``), or no paper."""

    paper: str | None
    reason: str | None = None
    score: float | None = None


def words_agree(a: str, b: str) -> bool:
    """Whether two title keys differ only by typos or spelling variants of their words (each
    differing word has a counterpart with rapidfuzz ratio ≥ :data:`WORD_RATIO`), or by spaces.

    >>> words_agree("petri net modelling of networks", "petri nets modeling of networks")
    True
    >>> words_agree("petri nets for metabolic networks", "petri nets for signalling networks")
    False
    """
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    wa, wb = Counter(a.split()), Counter(b.split())
    only_a, only_b = sorted((wa - wb).elements()), sorted((wb - wa).elements())
    if len(only_a) != len(only_b):
        return False
    for word in only_a:
        best = max(only_b, key=lambda other: fuzz.ratio(word, other))
        if fuzz.ratio(word, best) < WORD_RATIO:
            return False
        only_b.remove(best)
    return True


def _words(key: str) -> list[str]:
    return [w for w in key.split() if len(w) >= 3 and w not in _STOP]


def _blocking_keys(key: str) -> set[str]:
    """The content words of a title key and its pairs of adjacent content words."""
    words = _words(key)
    return {*words, *(f"{a} {b}" for a, b in pairwise(words))}


class PaperIndex:
    """The papers of a graph indexed for matching references: by identifier and by title word."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = list(papers)
        self.by_id: dict[str, int] = {}
        self.titles: list[str] = []
        self.years: list[int | None] = []
        self.surnames: list[frozenset[str]] = []
        self.dois: list[bool] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.papers):
            for ident in p.identifiers:
                self.by_id.setdefault(ident.casefold(), i)
                found = canonical(ident)
                if found:
                    self.by_id.setdefault(found.casefold(), i)
            if p.arxiv_id:
                self.by_id.setdefault(f"arxiv:{p.arxiv_id}".casefold(), i)
            key = title_key(p.title) if p.title else ""
            self.titles.append(key)
            year = (p.date or "")[:4]
            self.years.append(int(year) if year.isdigit() else None)
            self.surnames.append(frozenset(surname_key(w) for a in p.authors for w in re.split(r"[\s,]+", a)))
            self.dois.append(any(scheme(i) == "doi" for i in p.identifiers))
            for block in _blocking_keys(key):
                self.postings[block].append(i)
        #: rarest blocking key of a long title → papers: a title written inside a text has its
        #: words and pairs of adjacent words there
        self.anchors: dict[str, list[int]] = defaultdict(list)
        self.padded = [f" {key} " for key in self.titles]
        for i, key in enumerate(self.titles):
            blocks = _blocking_keys(key)
            if len(key.split()) >= MIN_CONTAINED_WORDS and blocks:
                self.anchors[min(blocks, key=lambda k: (len(self.postings[k]), k))].append(i)

    def candidates(self, title: str) -> list[int]:
        """The papers a title is compared to: those sharing one of its rarest blocking keys."""
        ranked = sorted((len(self.postings[k]), k) for k in _blocking_keys(title) if k in self.postings)
        out: set[int] = set()
        for size, key in ranked[:BLOCKING_KEYS]:
            if size <= MAX_POSTING:
                out.update(self.postings[key])
        return sorted(out)

    def _plausible(self, i: int, ref: ParsedReference) -> bool:
        """Year within one and first author among the paper's authors, when both are known; a
        reference with a DOI never matches a paper with another DOI by title."""
        if any(scheme(x) == "doi" for x in ref.ids) and self.dois[i]:
            return False
        if ref.year and self.years[i] and abs(ref.year - self.years[i]) > 1:
            return False
        if ref.surnames and self.surnames[i]:
            first = surname_key(ref.surnames[0])
            parts = {surname_key(w) for w in ref.surnames[0].split()}
            if first not in self.surnames[i] and not parts & self.surnames[i]:
                return False
        return True

    def match(self, ref: ParsedReference) -> Match:
        """The paper ``ref`` names, or ``Match(None)``."""
        for ident in ref.ids:
            if ident.casefold() in self.by_id:
                return Match(self.papers[self.by_id[ident.casefold()]].key, "id")
        raw = ref.text.strip().casefold()
        if raw in self.by_id:
            return Match(self.papers[self.by_id[raw]].key, "id")
        if ref.style == "ids":
            return Match(None)
        if ref.title:
            tkey = title_key(ref.title)
            if len(_words(tkey)) >= 2 and len(tkey) >= 15:
                found = self.candidates(tkey)
                best3 = process.extract(
                    tkey,
                    [self.titles[i] for i in found],
                    scorer=fuzz.ratio,
                    limit=3,
                    score_cutoff=TITLE_RATIO - AMBIGUITY_MARGIN,
                )
                scored = sorted(
                    ((score, found[pos]) for _, score, pos in best3), key=lambda si: (-si[0], si[1])
                )
                if scored and scored[0][0] >= TITLE_RATIO:
                    best, i = scored[0]
                    rivals = [s for s, j in scored[1:] if self.titles[j] != self.titles[i]]
                    if not rivals and self._plausible(i, ref) and words_agree(tkey, self.titles[i]):
                        return Match(self.papers[i].key, "title", best)
                    return Match(None)
        text_key = f" {title_key(ref.text)} "
        anchored = {i for k in _blocking_keys(text_key) for i in self.anchors.get(k, ())}
        hits = [i for i in sorted(anchored) if self.padded[i] in text_key and self._plausible(i, ref)]
        if len({self.titles[i] for i in hits}) == 1:
            return Match(self.papers[hits[0]].key, "title-in-text", 100.0)
        return Match(None)


def work_key(ref: ParsedReference) -> str:
    """The key of the external work a reference names: by identifier, else by first author, year
    and title (or source), else by its text.

    >>> work_key(parse_reference("doi:10.1145/3442188.3445922"))
    'work/doi-10-1145-3442188-3445922'
    >>> a = parse_reference("Murata, T., Petri nets: properties, analysis and applications (1989) P. IEEE")
    >>> b = parse_reference("Murata, T., Petri Nets: Properties, Analysis and Applications (1989) PIEEE")
    >>> work_key(a) == work_key(b), work_key(a)
    (True, 'work/murata-1989-petri-nets-properties-analysis-and-applications-360b42e0')
    """
    for ident in sorted(ref.ids, key=lambda i: (scheme(i) != "doi", i)):
        name, _, value = ident.partition(":")
        return f"work/{name.lower()}-{slug(value, 80)}"
    if ref.surnames and ref.year and (ref.title or ref.source):
        what = title_key(ref.title) if ref.title else title_key(ref.source or "")
        basis = f"{surname_key(ref.surnames[0])}|{ref.year}|{what}"
        digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
        return f"work/{slug(ref.surnames[0], 20)}-{ref.year}-{slug(what, 50)}-{digest}"
    basis = re.sub(r"[^a-z0-9]", "", ref.text.casefold())
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return f"work/{slug(ref.text, 40)}-{digest}"


def parse(ref: str | Reference) -> ParsedReference:
    """A reference string or a structured :class:`Reference` as a :class:`ParsedReference`."""
    if isinstance(ref, str):
        return parse_reference(ref)
    parsed = parse_reference(ref.text) if ref.text else ParsedReference("", style="ids")
    ids = tuple(dict.fromkeys((*(canonical(i) or i for i in ref.ids), *parsed.ids)))
    if ref.text and not parsed.title and len(ref.text.split()) >= 3 and not parsed.surnames:
        parsed = ParsedReference(ref.text, ids, (), parsed.year, ref.text, None, "text")  # a bare title
    text = ref.text or (ids[0] if ids else "")
    return ParsedReference(text, ids, parsed.surnames, parsed.year, parsed.title, parsed.source, parsed.style)


@dataclass
class _Work:
    label: str
    ids: set[str]


def citation_edges(
    citing: Sequence[tuple[str, Sequence[str | Reference], Sequence[Reference]]], papers: Sequence[Paper]
) -> tuple[list[Edge], list[ExternalWork], Counter[str]]:
    """``cites`` edges and the external works they reach, for ``(paper key, its references,
    the works citing it)`` triples; also counts: how many references were matched by each reason
    (``id``, ``title``, ``title-in-text``, ``external``), and the accounting of every reference
    read (``read``: references and citing works given) as ``cites`` (one edge each) or a drop that
    makes no edge:

    * ``self``: the reference is the citing paper itself (its own DOI among its references, or its
      own title): no ``cito:cites`` loop, which would only be the exporter's slip;
    * ``repeated``: the paper already cites that work (a reference listed twice, or given again by
      another record of the same paper, or by a citing work's list): one edge;
    * ``empty``: no text and no identifier.

    So ``read == cites + self + repeated + empty``; the build reports the drops.
    """
    index = PaperIndex(papers)
    edges: dict[tuple[str, str], Edge] = {}
    works: dict[str, _Work] = {}
    reasons: Counter[str] = Counter()
    cache: dict[tuple[str, tuple[str, ...]], str] = {}

    def target_of(ref: str | Reference) -> str | None:
        text = " ".join((ref if isinstance(ref, str) else ref.text).split())
        ids = () if isinstance(ref, str) else ref.ids
        if not text and not ids:
            return None
        if (text, ids) in cache:
            return cache[text, ids]
        parsed = parse(text if isinstance(ref, str) else Reference(text, ids))
        found = index.match(parsed)
        reasons[found.reason or "external"] += 1
        target = found.paper
        if target is None:
            target = work_key(parsed)
            work = works.setdefault(target, _Work(parsed.text, set()))
            if len(parsed.text) > len(work.label) and not (parsed.style == "ids" and work.label):
                work.label = parsed.text  # the most informative spelling: a full reference over an id
            work.ids.update(parsed.ids)
        cache[text, ids] = target
        return target

    def add(origin: str | None, target: str | None) -> None:
        reasons["read"] += 1
        if not origin or not target:
            reasons["empty"] += 1
        elif origin == target:
            reasons["self"] += 1
        elif (origin, target) in edges:
            reasons["repeated"] += 1
        else:
            reasons["cites"] += 1
            edges[origin, target] = Edge(origin, "cites", target)

    for source, refs, cited_by in citing:
        for ref in refs:
            add(source, target_of(ref))
        for ref in cited_by:
            add(target_of(ref), source)
    external = []
    for key, work in sorted(works.items()):
        ax = next((i.split(":", 1)[1] for i in sorted(work.ids) if scheme(i) == "arXiv"), None)
        external.append(ExternalWork(key, work.label, tuple(sorted(work.ids)), ax))
    return list(edges.values()), external, reasons
