"""One node per real paper and per real entity, and the links between papers.

* Papers: records that share an identifier (record id, DOI, arXiv id), a title (modulo case and
  punctuation) or, when a title is missing, a near-identical abstract are one :class:`Paper`.
* Entities: surface forms that normalise alike (case, hyphens, spaces, plural), that a paper
  defines as acronym and expansion ("Low-Rank Adaptation (LoRA)"), or that rapidfuzz finds
  near-identical within a block of names sharing a prefix, are one :class:`Entity`, unless their
  version numbers differ (GPT-3 / GPT-4 stay apart) or the acronym has different expansions in
  different papers. A checkpoint is linked to its family (``Llama2-7B`` → ``Llama2``).
* Links: explicit ``references`` become ``cites``; a paper that uses, compares to or improves on
  what another paper proposes ``builds-on`` it (``uses-method-in`` / ``uses-data-from`` as CiTO has).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from papergraph.model import Edge, Entity, Extraction, Paper, Record, Relation
from papergraph.names import normalize, slug

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)", re.IGNORECASE)
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CHECKPOINT = re.compile(r"^(?P<family>.+?)[\s\-_]?(?P<size>\d+(?:\.\d+)?[BMKbmk])(?:\b|[\s\-_].*)?$")
_RELATION_RANK = {"proposes": 0, "improves-on": 1, "compares-to": 2, "uses": 3}


class _UnionFind:
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

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller key becomes the root, so results do not depend on input order
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


# ---- papers ------------------------------------------------------------------------------------


def arxiv_id(record: Record) -> str | None:
    """The arXiv id a record carries in its id or URL, without version.

    >>> from papergraph.model import SourceRef
    >>> arxiv_id(Record(SourceRef("x", 1, "t"), "a", url="https://arxiv.org/abs/2106.09685v2"))
    '2106.09685'
    """
    for text in (record.id or "", record.url or ""):
        m = _ARXIV.search(text)
        if m:
            return m["id"]
    return None


def _identifiers(record: Record) -> list[str]:
    ids = []
    if record.id:
        ids.append(record.id)
    for key, value in record.extra:
        if key.lower() == "doi" and value:
            ids.append("doi:" + value.strip().lower().removeprefix("https://doi.org/"))
    ax = arxiv_id(record)
    if ax:
        ids.append(f"arXiv:{ax}")
    return ids


def _text_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def cluster_records(records: Sequence[Record]) -> list[list[int]]:
    """Indices of records grouped by paper, groups in input order.

    >>> from papergraph.model import SourceRef
    >>> r = lambda t, a: Record(SourceRef("x", 1, "t"), a, title=t)
    >>> cluster_records([r("A Title", "x" * 50), r("a title.", "y" * 50), r(None, "x" * 50),
    ...                  r("B", "z" * 50)])
    [[0, 1, 2], [3]]
    """
    uf = _UnionFind()
    first_by_key: dict[str, int] = {}

    def link(i: int, key: str) -> None:
        if key in first_by_key:
            uf.union(str(first_by_key[key]).zfill(12), str(i).zfill(12))
        else:
            first_by_key[key] = i

    blocks: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(records):
        uf.find(str(i).zfill(12))
        for ident in _identifiers(rec):
            link(i, "id:" + ident.casefold())
        if rec.title and _text_key(rec.title):
            link(i, "title:" + _text_key(rec.title))
        akey = _text_key(rec.abstract)
        if len(akey) >= 40:
            # three shingles: an edit must touch all of them to escape comparison
            mid = len(akey) // 2
            for block in ("start:" + akey[:40], "mid:" + akey[mid - 20 : mid + 20], "end:" + akey[-40:]):
                blocks[block].append(i)
    # the same or a near-identical abstract (a typo fixed, a sentence added) when a title is missing:
    # compare within blocks only
    for members in blocks.values():
        if len(members) < 2 or len(members) > 50:
            continue  # a shingle shared by very many records is boilerplate, not identity
        for a_pos, a in enumerate(members):
            ka = _text_key(records[a].abstract)[:2000]
            for b in members[a_pos + 1 :]:
                ta, tb = records[a].title, records[b].title
                if ta and tb:
                    continue  # titled records are matched by title (or identifier) only
                if fuzz.ratio(ka, _text_key(records[b].abstract)[:2000]) >= 95:
                    uf.union(str(a).zfill(12), str(b).zfill(12))
    groups: dict[str, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[uf.find(str(i).zfill(12))].append(i)
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


def _paper_key(rec: Record, label: str, ax: str | None) -> str:
    if ax:
        return "paper/arxiv-" + ax.replace("/", "-")
    basis = _text_key(rec.title) if rec.title else _text_key(rec.abstract)[:300]
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return f"paper/{slug(label, 50)}-{digest}"


def _best_date(dates: Iterable[str]) -> str | None:
    ds = [d for d in dates if d]
    return max(ds, key=lambda d: (not d.startswith("--"), len(d), d)) if ds else None


def resolve_papers(extractions: Sequence[Extraction]) -> tuple[list[Paper], list[int]]:
    """Papers, and for each extraction the index of its paper in that list."""
    records = [e.record for e in extractions]
    paper_of = [0] * len(records)
    papers: list[Paper] = []
    for members in cluster_records(records):
        rep_i = _representative(records, members)
        rep = records[rep_i]
        recs = [records[i] for i in members]
        ax = next((a for a in map(arxiv_id, recs) if a), None)
        label = _paper_label(rep, extractions[rep_i])
        ids = sorted({i for r in recs for i in _identifiers(r)})
        authors = next((r.authors for r in recs if r.authors), ())
        paper = Paper(
            key=_paper_key(rep, label, ax),
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
        )
        for i in members:
            paper_of[i] = len(papers)
        papers.append(paper)
    # the representative's extraction speaks for the paper
    return papers, paper_of


# ---- entities ----------------------------------------------------------------------------------


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return (
        2 <= len(form) <= 10
        and " " not in form
        and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)
    )


def _digits(key: str) -> tuple[str, ...]:
    return tuple(_DIGITS.findall(key))


def cluster_names(relations: Sequence[Relation], *, threshold: float = 95.0) -> dict[str, str]:
    """Map every normalised surface form to its cluster's root key.

    >>> from papergraph.model import Mention, Evidence
    >>> def rel(text, aliases=()):
    ...     return Relation("uses", Mention(text, "Method", 0, 1), Evidence("", 0, 1), aliases)
    >>> roots = cluster_names([rel("Low-Rank Adaptation", ("LoRA",)), rel("LoRA"), rel("GPT-3"),
    ...                        rel("GPT-4")])
    >>> roots["lora"] == roots["lowrankadaptation"], roots["gpt3"] == roots["gpt4"]
    (True, False)
    """
    uf = _UnionFind()
    expansions: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        key = normalize(r.mention.text)
        if not key:
            continue
        uf.find(key)
        for alias in r.aliases:
            akey = normalize(alias)
            if not akey or akey == key:
                continue
            if _is_acronym(alias) and not _is_acronym(r.mention.text):
                expansions[akey].add(key)
            else:
                uf.union(key, akey)
    # an acronym joins its expansion only when every paper expands it the same way
    for acro, longs in expansions.items():
        roots = {uf.find(k) for k in longs}
        if len(roots) > 1:
            ordered = sorted(roots)
            if all(fuzz.ratio(ordered[0], o) >= threshold for o in ordered[1:]):
                for o in ordered[1:]:
                    uf.union(ordered[0], o)
                roots = {uf.find(ordered[0])}
        if len(roots) == 1:
            uf.union(acro, next(iter(roots)))
    # fuzzy near-duplicates, blocked by prefix and length so the cost stays near-linear
    keys = sorted(uf.parent)
    blocks: dict[tuple[str, int], list[str]] = defaultdict(list)
    for k in keys:
        if len(k) >= 8:
            blocks[(k[:3], len(k) // 4)].append(k)
    for members in blocks.values():
        for i, a in enumerate(members):
            da = _digits(a)
            for b in members[i + 1 :]:
                if da == _digits(b) and fuzz.ratio(a, b) >= threshold:
                    uf.union(a, b)
    return {k: uf.find(k) for k in keys}


def _choose_label(forms: Counter, expansions: Counter) -> str:
    """The most frequent full form: an expansion of the entity's acronym when the corpus has one,
    else the most frequent spelling (ties: the one with more capitals, "LoRA" over "Lora").

    >>> forms = Counter({"LoRA": 5, "Low-Rank Adaptation": 2, "Lora": 1})
    >>> _choose_label(forms, Counter({"Low-Rank Adaptation": 2}))
    'Low-Rank Adaptation'
    >>> _choose_label(Counter({"LoRA": 5, "Lora": 1}), Counter())
    'LoRA'
    """
    pool = expansions if expansions else forms
    return max(pool, key=lambda f: (pool[f], sum(c.isupper() for c in f), len(f), f))


def resolve_entities(relations: Sequence[Relation]) -> tuple[list[Entity], dict[str, str]]:
    """Entities, and a map from normalised surface form to entity key."""
    roots = cluster_names(relations)
    forms: dict[str, Counter] = defaultdict(Counter)
    expansions: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    for r in relations:
        key = normalize(r.mention.text)
        if not key:
            continue
        root = roots[key]
        forms[root][r.mention.text] += 1
        if not _is_acronym(r.mention.text) and any(_is_acronym(a) for a in r.aliases):
            expansions[root][r.mention.text] += 1
        types[root][r.mention.type] += 1
        for alias in r.aliases:
            akey = normalize(alias)
            if akey and roots.get(akey) == root:
                forms[root][alias] += 1
    chosen: dict[str, tuple[str, str]] = {}
    for root in sorted(forms):
        kind = sorted(
            types[root], key=lambda t: (-types[root][t], ("Method", "Dataset", "Task", "Metric").index(t))
        )[0]
        chosen[root] = (_choose_label(forms[root], expansions[root]), kind)
    keys: dict[str, str] = {}
    used: Counter = Counter()
    for root in sorted(chosen, key=lambda r: (chosen[r][1], slug(chosen[r][0]), r)):
        label, kind = chosen[root]
        base = f"{kind.lower()}/{slug(label)}"
        used[base] += 1
        keys[root] = base if used[base] == 1 else f"{base}-{used[base]}"
    by_norm = {k: keys[root] for k, root in roots.items() if root in keys}
    family_of = _families(chosen, by_norm)
    entities = []
    for root, (label, kind) in chosen.items():
        aliases = tuple(sorted(f for f in forms[root] if f != label))
        entities.append(
            Entity(key=keys[root], type=kind, label=label, aliases=aliases, broader=family_of.get(keys[root]))
        )
    entities.sort(key=lambda e: e.key)
    return entities, by_norm


def _families(chosen: dict[str, tuple[str, str]], by_norm: dict[str, str]) -> dict[str, str]:
    """Checkpoint key -> family key, where the family is itself an entity ("Llama2-7B" -> "Llama2")."""
    out: dict[str, str] = {}
    for root, (label, kind) in chosen.items():
        if kind != "Method":
            continue
        m = _CHECKPOINT.match(label)
        if not m:
            continue
        family = normalize(m["family"].rstrip("-_ "))
        if family and family != root and family in by_norm and by_norm[family] != by_norm[root]:
            out[by_norm[root]] = by_norm[family]
    return out


# ---- the whole stage ---------------------------------------------------------------------------


def resolve(extractions: Sequence[Extraction]) -> tuple[list[Paper], list[Entity], list[Edge]]:
    """Papers, entities and every edge between them."""
    papers, paper_of = resolve_papers(extractions)
    reps: dict[int, Extraction] = {}
    for i, ext in enumerate(extractions):
        p = paper_of[i]
        rep = reps.get(p)
        if rep is None or _rep_order(ext) < _rep_order(rep):
            reps[p] = ext
    # only the representative record's text is used: its offsets match the paper's title/abstract
    chosen = [(papers[p].key, reps[p]) for p in sorted(reps)]
    chosen = [(k, e) for k, e in chosen if (e.record.title, e.record.abstract) == _paper_text(papers, k)]
    relations = [r for _, e in chosen for r in e.relations]
    entities, by_norm = resolve_entities(relations)
    entity_type = {e.key: e.type for e in entities}

    best: dict[tuple[str, str, str], Edge] = {}
    for paper_key, ext in chosen:
        per_target: dict[str, set[str]] = defaultdict(set)
        for r in ext.relations:
            target = by_norm.get(normalize(r.mention.text))
            if target:
                per_target[target].add(r.relation)
        for r in ext.relations:
            target = by_norm.get(normalize(r.mention.text))
            if not target:
                continue
            rels = per_target[target]
            if r.relation != "proposes" and "proposes" in rels:
                continue
            if r.relation == "compares-to" and "improves-on" in rels:
                continue
            edge = Edge(paper_key, r.relation, target, r.evidence, paper_key)
            best.setdefault((paper_key, r.relation, target), edge)
    edges = list(best.values())
    edges += [Edge(e.key, "broader", e.broader) for e in entities if e.broader]
    edges += _paper_links(edges, entity_type)
    edges += _citations(extractions, paper_of, papers)
    return papers, entities, edges


def _paper_text(papers: list[Paper], key: str) -> tuple[str | None, str]:
    for p in papers:
        if p.key == key:
            return p.title, p.abstract
    return None, ""


def _rep_order(ext: Extraction) -> tuple:
    r = ext.record
    return (r.title is None, -len(r.abstract), r.source.path, r.source.line)


def _paper_links(edges: list[Edge], entity_type: dict[str, str]) -> list[Edge]:
    proposer: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.relation == "proposes":
            proposer[e.target].append(e.source)
    out: dict[tuple[str, str, str], Edge] = {}
    for e in edges:
        if e.relation not in ("uses", "compares-to", "improves-on") or e.target not in proposer:
            continue
        for origin in proposer[e.target]:
            if origin == e.source:
                continue
            out.setdefault(
                (e.source, "builds-on", origin), Edge(e.source, "builds-on", origin, e.evidence, e.paper)
            )
            if e.relation == "uses":
                cito = {"Method": "uses-method-in", "Dataset": "uses-data-from"}.get(
                    entity_type.get(e.target, "")
                )
                if cito:
                    out.setdefault(
                        (e.source, cito, origin), Edge(e.source, cito, origin, e.evidence, e.paper)
                    )
    return list(out.values())


def _citations(extractions: Sequence[Extraction], paper_of: list[int], papers: list[Paper]) -> list[Edge]:
    index: dict[str, str] = {}
    for p in papers:
        for ident in p.identifiers:
            index.setdefault(ident.casefold(), p.key)
            if ident.startswith("arXiv:"):
                index.setdefault(ident[6:].casefold(), p.key)
    out: dict[tuple[str, str], Edge] = {}
    for i, ext in enumerate(extractions):
        source = papers[paper_of[i]].key
        for ref in ext.record.references:
            ref_key = ref.strip().casefold()
            m = _ARXIV.search(ref)
            target = index.get(ref_key) or (index.get(m["id"].casefold()) if m else None)
            if target is None:
                doi = _DOI.search(ref)
                target = index.get("doi:" + doi.group(1).lower()) if doi else None
            if target and target != source:
                out.setdefault((source, target), Edge(source, "cites", target))
    return list(out.values())
