"""Papers: records that share an identifier, a title or (without a title) an abstract are one
:class:`~papergraph.model.Paper`, with the fullest of their fields.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from papergraph.identifiers import DISTINCT_SCHEMES, canonical, find_arxiv_id, find_doi, pubmed_id, scheme
from papergraph.model import Extraction, Paper, Record
from papergraph.names import slug
from papergraph.resolve.people import is_placeholder

__all__ = ["UnionFind", "arxiv_id", "cluster_records", "resolve_papers"]

#: Record.extra fields that may hold an arXiv id.
_ARXIV_FIELDS = ("arxiv_id", "arxivid", "arxiv", "eprint")


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        # the smaller key becomes the root, so results do not depend on input order
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def arxiv_id(record: Record) -> str | None:
    """The arXiv id a record carries in its id, URL or an arXiv field, without version.

    >>> from papergraph.model import SourceRef
    >>> arxiv_id(Record(SourceRef("x", 1, "t"), "a", url="https://arxiv.org/abs/2106.09685v2"))
    '2106.09685'
    >>> arxiv_id(Record(SourceRef("x", 1, "t"), "a", id="2106.09685"))
    '2106.09685'
    """
    extra = [v for k, v in record.extra if k.lower() in _ARXIV_FIELDS]
    extra += [i for i in record.identifiers if i.startswith("arXiv:")]
    for text in (record.id or "", record.url or "", *extra):
        found = find_arxiv_id(text)
        if found:
            return found
    return None


#: Record.extra fields (normalised names) that hold a PubMed id.
_PMID_FIELDS = ("pubmedid", "pmid")


def _identifiers(record: Record, ax: str | None) -> list[str]:
    """Every identifier of a record: the canonical ``doi:``, ``arXiv:``, ``openalex:``, ``s2:``,
    ``pmid:``, ``scopus:``, ``wos:`` forms of every id it carries, and its id as given only when it
    has no canonical form (a Scopus EID is ``scopus:2-s2.0-…`` once, not also bare)
    (``ax``: its :func:`arxiv_id`, found once by the caller)."""
    ids = []
    if record.id:
        found = canonical(record.id)
        if found is None:
            ids.append(record.id)
        elif not found.startswith("doi:"):  # a DOI comes below, with the record's other DOIs
            ids.append(found)
    dois = [value for key, value in record.extra if key.lower() == "doi" and value]
    dois += [t for t in (record.id or "", record.url or "") if "doi.org/" in t.lower() or t.startswith("10.")]
    for value in dois:
        doi = find_doi(value)
        if doi:
            ids.append("doi:" + doi)
    for key, value in record.extra:
        if re.sub(r"[\s_]", "", key.lower()) in _PMID_FIELDS:
            pmid = pubmed_id(value)
            if pmid:
                ids.append(pmid)
    if ax:
        ids.append(f"arXiv:{ax}")
    ids += record.identifiers
    return list(dict.fromkeys(ids))


def _distinct_ids(identifiers: Iterable[str]) -> set[tuple[str, str]]:
    """(scheme, value) of the identifiers (of one record) that name exactly one publication."""
    out = set()
    for ident in identifiers:
        name = scheme(ident)
        if name in DISTINCT_SCHEMES:
            out.add((name, ident.casefold()))
    return out


_NOT_TEXT_KEY = re.compile(r"[^a-z0-9]")

_ASCII_NOT_TEXT_KEY = {c: None for c in range(128) if not re.fullmatch(r"[a-z0-9]", chr(c))}


def _text_key(text: str) -> str:
    """Case-folded letters and digits: ``[^a-z0-9]`` dropped (for ASCII, by ``str.translate``:
    three times faster than the regular expression on abstracts).

    >>> _text_key("Deep Residual-Learning (v2)!"), _text_key("Ünïcode ß")
    ('deepresiduallearningv2', 'ncodess')
    """
    folded = text.casefold()
    return folded.translate(_ASCII_NOT_TEXT_KEY) if folded.isascii() else _NOT_TEXT_KEY.sub("", folded)


def cluster_records(records: Sequence[Record], ids: Sequence[list[str]] | None = None) -> list[list[int]]:
    """Indices of records grouped by paper, groups in input order (``ids``: each record's
    :func:`_identifiers`, when the caller has them already).

    >>> from papergraph.model import SourceRef
    >>> r = lambda t, a: Record(SourceRef("x", 1, "t"), a, title=t)
    >>> cluster_records([r("A Title", "x" * 50), r("a title.", "y" * 50), r(None, "x" * 50),
    ...                  r("B", "z" * 50)])
    [[0, 1, 2], [3]]
    """
    uf = UnionFind()
    first_by_key: dict[str, int] = {}

    def node(i: int) -> str:
        return str(i).zfill(12)

    def link(i: int, key: str) -> None:
        if key in first_by_key:
            uf.union(node(first_by_key[key]), node(i))
        else:
            first_by_key[key] = i

    blocks: dict[str, list[int]] = defaultdict(list)
    by_title: dict[str, list[int]] = defaultdict(list)
    # abstract keys of untitled records (the only ones compared by abstract), made once each
    untitled_keys: dict[int, str] = {}
    if ids is None:  # made once: linked by, then compared
        ids = [_identifiers(rec, arxiv_id(rec)) for rec in records]
    for i, rec in enumerate(records):
        uf.find(node(i))
        for ident in ids[i]:
            # only an identifier of a global scheme (doi:, arXiv:, openalex:, pmid: ...) is an
            # identity; a record-local id ("Li2020", a row number) never links two records
            if scheme(ident) is not None:
                link(i, "id:" + ident.casefold())
        if rec.title and (tkey := _text_key(rec.title)):
            by_title[tkey].append(i)
        akey = _text_key(rec.abstract)
        if not rec.title:
            untitled_keys[i] = akey[:2000]
        if len(akey) >= 40:
            # three shingles: an edit must touch all of them to escape comparison
            mid = len(akey) // 2
            for block in ("start:" + akey[:40], "mid:" + akey[mid - 20 : mid + 20], "end:" + akey[-40:]):
                blocks[block].append(i)
    # the same title: one paper, unless the two carry different ids of one scheme that names a single
    # publication (four volumes of one proceedings, each with its own Scopus EID)
    ids_of: dict[str, dict[str, set[str]]] = {}
    for i, record_ids in enumerate(ids):
        root = uf.find(node(i))
        for name, value in _distinct_ids(record_ids):
            ids_of.setdefault(root, {}).setdefault(name, set()).add(value)
    for members in by_title.values():
        for b in members[1:]:
            for a in members:
                if a == b:
                    break
                ra, rb = uf.find(node(a)), uf.find(node(b))
                if ra == rb:
                    break
                ia, ib = ids_of.get(ra, {}), ids_of.get(rb, {})
                if any(name in ib and not ia[name] & ib[name] for name in ia):
                    continue
                uf.union(ra, rb)
                merged = {n: ia.get(n, set()) | ib.get(n, set()) for n in {*ia, *ib}}
                ids_of[uf.find(ra)] = merged
                break
    # the same or a near-identical abstract (a typo fixed, a sentence added) when a title is missing:
    # compare within blocks only
    for members in blocks.values():
        if len(members) < 2 or len(members) > 50:
            continue  # a shingle shared by very many records is boilerplate, not identity
        for a_pos, a in enumerate(members):
            ka: str | None = None
            for b in members[a_pos + 1 :]:
                ta, tb = records[a].title, records[b].title
                if ta and tb:
                    continue  # titled records are matched by title (or identifier) only
                if ka is None:
                    ka = untitled_keys.get(a) or _text_key(records[a].abstract)[:2000]
                kb = untitled_keys.get(b) or _text_key(records[b].abstract)[:2000]
                if fuzz.ratio(ka, kb) >= 95:
                    uf.union(node(a), node(b))
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[uf.find(node(i))].append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _representative(records: Sequence[Record], members: list[int]) -> int:
    return min(
        members,
        key=lambda i: (
            records[i].title is None,
            -len(records[i].abstract),
            records[i].source.path,
            records[i].source.line,
        ),
    )


def _paper_label(rec: Record, extraction: Extraction) -> str:
    if rec.title:
        return rec.title
    own = [r.mention.text for r in extraction.relations if r.relation == "proposes"]
    if own:
        return own[0]
    words = rec.abstract.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _paper_key(rec: Record, label: str) -> str:
    """The key of the paper ``rec`` represents: its label's slug and a hash of its title (of its
    abstract when it has none), never of its identifiers, so that a paper keeps its key (and IRI)
    when a later input adds a DOI or an arXiv id to it.

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("a.bib", 1, "bibtex"), "We propose LoRA.", title="LoRA: Low-Rank Adaptation")
    >>> _paper_key(rec, "LoRA: Low-Rank Adaptation")
    'paper/lora-low-rank-adaptation-4e1fe602'
    """
    basis = _text_key(rec.title) if rec.title else _text_key(rec.abstract)[:300]
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return f"paper/{slug(label, 50)}-{digest}"


#: Record.extra fields that name the venue, in the order they are trusted: the readers' ``source``
#: (RIS ``T2``/``JO``, WoS ``SO``, PubMed ``JT``, CSL ``container-title``, EndNote, OpenAlex,
#: Crossref, Semantic Scholar), BibTeX's ``journal``/``booktitle``, Scopus CSV's ``Source title``,
#: IEEE's ``Publication Title`` (Scopus CSV's ``Source`` is the database, "Scopus": never a venue).
VENUE_FIELDS = ("source", "journal", "booktitle", "Source title", "Publication Title", "journal-title")


def venue_of(record: Record) -> str | None:
    """The venue ``record`` names, or None.

    >>> from papergraph.model import SourceRef
    >>> scopus = (("Source", "Scopus"), ("Source title", "Nature"))
    >>> venue_of(Record(SourceRef("s.csv", 2, "csv"), "", extra=scopus))
    'Nature'
    """
    fields = dict(record.extra)
    for name in VENUE_FIELDS:
        value = " ".join(fields.get(name, "").split())
        if value:
            return value
    return None


def _best_date(dates: Iterable[str]) -> str | None:
    ds = [d for d in dates if d]
    return max(ds, key=lambda d: (not d.startswith("--"), len(d), d)) if ds else None


def resolve_papers(extractions: Sequence[Extraction]) -> tuple[list[Paper], list[int]]:
    """Papers, and for each extraction the index of its paper in that list."""
    records = [e.record for e in extractions]
    paper_of = [0] * len(records)
    papers: list[Paper] = []
    # each record's arXiv id and identifiers, found once: records are grouped by them, then
    # each paper takes its records' ids (finding them twice was a tenth of resolution)
    arxiv_ids = [arxiv_id(r) for r in records]
    record_ids = [_identifiers(r, ax) for r, ax in zip(records, arxiv_ids, strict=True)]
    for members in cluster_records(records, record_ids):
        rep_i = _representative(records, members)
        rep = records[rep_i]
        recs = [records[i] for i in members]
        ax = next((arxiv_ids[i] for i in members if arxiv_ids[i]), None)
        label = _paper_label(rep, extractions[rep_i])
        ids = sorted({i for m in members for i in record_ids[m]})
        # an exporter's "[No author name available]" is no author
        named = ([a for a in r.authors if not is_placeholder(a)] for r in recs)
        authors = next((names for names in named if names), [])
        paper = Paper(
            key=_paper_key(rep, label),
            label=label,
            title=rep.title,
            abstract=rep.abstract,
            identifiers=tuple(ids),
            sources=tuple(sorted({r.source for r in recs}, key=lambda s: (s.path, s.line))),
            authors=tuple(authors),
            author_count=next((r.author_count for r in recs if r.author_count), len(authors) or None),
            byline=next((r.byline for r in recs if r.byline), None),
            date=_best_date(r.date or "" for r in recs),
            url=next((r.url for r in recs if r.url), None),
            upvotes=max((r.upvotes for r in recs if r.upvotes is not None), default=None),
            arxiv_id=ax,
            venue=next((v for r in [rep, *recs] if (v := venue_of(r))), None) or ("arXiv" if ax else None),
            orcids=tuple(dict.fromkeys(pair for r in recs for pair in r.orcids)),
        )
        for i in members:
            paper_of[i] = len(papers)
        papers.append(paper)
    # the representative's extraction speaks for the paper
    return _distinct_keys(papers), paper_of


def _distinct_keys(papers: list[Paper]) -> list[Paper]:
    """``papers`` with the keys that two or more share made distinct: the same title, different
    papers (resolution kept them apart: their identifiers differ). The one with the smallest
    identifiers (then abstract) keeps the key, whatever the order of the input; the others add a
    hash of their identifiers (of their abstract when they have none)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, paper in enumerate(papers):
        by_key[paper.key].append(i)
    for key, members in by_key.items():
        if len(members) == 1:
            continue
        bases = {i: "|".join(papers[i].identifiers) or _text_key(papers[i].abstract)[:300] for i in members}
        for i in sorted(members, key=lambda i: (bases[i], papers[i].abstract))[1:]:
            suffix = hashlib.sha1(bases[i].encode("utf-8")).hexdigest()[:6]
            papers[i] = replace(papers[i], key=f"{key}-{suffix}")
    return papers
