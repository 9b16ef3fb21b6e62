"""Citation edges: every reference of every record becomes ``cites`` from its paper to the paper
of the graph it names, or else to one :class:`~papergraph.model.ExternalWork` per cited work.

Matching, precision first (a doubtful match stays an external work):

1. an identifier of the reference (DOI, arXiv, OpenAlex, Semantic Scholar, PubMed, record id)
   that a paper carries;
2. else the reference's title (:mod:`papergraph.references`), compared with rapidfuzz to the
   titles of the papers that share its rarest words (blocking: no reference meets every paper),
   accepted at ratio ≥ :data:`TITLE_RATIO` when the years differ by at most one and the first
   author's surname is among the paper's authors (each checked when both sides have it), and
   when no other paper comes close;
3. else a paper's whole title (five words or more) written inside the reference's text, with the
   same year and author checks.

A reference whose DOI no paper has is never matched by title to a paper with another DOI. The
same external work cited by several papers is one node: same identifier, else same first
author, year and title (or source, volume and page), else the same text modulo case and
punctuation.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from papergraph.identifiers import canonical, scheme
from papergraph.model import Edge, ExternalWork, Paper, Reference
from papergraph.names import slug
from papergraph.references import ParsedReference, parse_reference, surname_key, title_key

#: Least rapidfuzz ratio between a reference's title and a paper's title for a match.
TITLE_RATIO = 92.0
#: A second candidate this close to the best makes the match doubtful (no match).
AMBIGUITY_MARGIN = 3.0
#: Words in more than this many titles are not used as blocking keys (they block nothing).
MAX_POSTING = 500
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


def _words(key: str) -> list[str]:
    return [w for w in key.split() if len(w) >= 3 and w not in _STOP]


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
            for word in set(_words(key)):
                self.postings[word].append(i)

    def _candidates(self, words: Iterable[str], need: int) -> list[int]:
        counts: Counter[int] = Counter()
        for w in set(words):
            posting = self.postings.get(w, ())
            if len(posting) <= MAX_POSTING:
                counts.update(posting)
        return [i for i, n in counts.items() if n >= need]

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
            words = _words(tkey)
            if len(words) >= 2 and len(tkey) >= 15:
                need = max(1, min(len(set(words)) // 2, 3))
                scored = sorted(
                    ((fuzz.ratio(tkey, self.titles[i]), i) for i in self._candidates(words, need)),
                    reverse=True,
                )
                scored = [(s, i) for s, i in scored if s >= TITLE_RATIO - AMBIGUITY_MARGIN]
                if scored and scored[0][0] >= TITLE_RATIO:
                    best, i = scored[0]
                    rivals = [s for s, j in scored[1:] if self.titles[j] != self.titles[i]]
                    if not rivals and self._plausible(i, ref):
                        return Match(self.papers[i].key, "title", best)
                    return Match(None)
        text_key = f" {title_key(ref.text)} "
        words = _words(text_key)
        hits = [
            i
            for i in self._candidates(words, 3)
            if len(self.titles[i].split()) >= MIN_CONTAINED_WORDS
            and f" {self.titles[i]} " in text_key
            and self._plausible(i, ref)
        ]
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
    the works citing it)`` triples; also how many references were matched by each reason."""
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

    for source, refs, cited_by in citing:
        for ref in refs:
            target = target_of(ref)
            if target and target != source:
                edges.setdefault((source, target), Edge(source, "cites", target))
        for ref in cited_by:
            origin = target_of(ref)
            if origin and origin != source:
                edges.setdefault((origin, source), Edge(origin, "cites", source))
    external = []
    for key, work in sorted(works.items()):
        ax = next((i.split(":", 1)[1] for i in sorted(work.ids) if scheme(i) == "arXiv"), None)
        external.append(ExternalWork(key, work.label, tuple(sorted(work.ids)), ax))
    return list(edges.values()), external, reasons
