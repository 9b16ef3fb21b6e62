"""One node per real paper and per real entity, and the links between papers.

* Papers: records that share an identifier (record id, DOI, arXiv id), a title (modulo case and
  punctuation) or, when a title is missing, a near-identical abstract are one :class:`Paper`. An
  arXiv id (in the id, the URL or an ``arxiv_id``/``eprint`` field) becomes ``Paper.arxiv_id`` and
  the paper's key (``paper/arxiv-2106.09685``).
* Entities: surface forms are one :class:`Entity` when they have the same normal form (case,
  hyphens, spaces, plural: :func:`form_key`), when extraction named them as one entity in a paper,
  when rapidfuzz finds them near-identical within a block of names sharing their first letters and
  numbers, when a paper defines one as the acronym of the other ("Low-Rank Adaptation (LoRA)") and
  no paper expands the acronym differently, or when a curated common abbreviation pairs them and
  the corpus does not contradict it. Different numbers never merge (GPT-3 / GPT-4, ResNet-50 /
  ResNet-101); an acronym with different expansions in different papers stays apart. A checkpoint
  is linked to its family (``Llama2-7B`` → ``Llama2``). Every form of a merged entity keeps a
  :class:`~papergraph.model.Merge` saying why it is there.
* Links: explicit ``references`` become ``cites`` to a paper of the graph, else to an
  :class:`~papergraph.model.ExternalWork`; a paper that uses, compares to or improves on what one
  other paper names as its own contribution gets an :class:`~papergraph.model.InferredLink` to it
  (and the asserted ``builds-on``, ``uses-method-in``, ``uses-data-from`` edges).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz

from papergraph.identifiers import DISTINCT_SCHEMES, canonical, find_arxiv_id, find_doi, pubmed_id, scheme
from papergraph.model import (
    Edge,
    Entity,
    Evidence,
    ExternalWork,
    Extraction,
    InferredLink,
    Merge,
    Paper,
    Record,
    Relation,
)
from papergraph.names import KIND_WORDS, fold, normalize, singular, slug
from papergraph.resolve.citations import citation_edges

__all__ = [
    "Resolution",
    "arxiv_id",
    "cluster_names",
    "cluster_records",
    "curated_abbreviations",
    "form_key",
    "resolve",
    "resolve_entities",
    "resolve_graph",
]

#: Record.extra fields that may hold an arXiv id.
_ARXIV_FIELDS = ("arxiv_id", "arxivid", "arxiv", "eprint")
_DIGIT_GROUPS = re.compile(r"\d+")
_WORD_RUN = re.compile(r"[A-Za-z]+")
#: A name followed by a word for its kind ("ImageNet benchmark", "BLEU score", "the BERT model").
_HEAD_SUFFIX = re.compile(
    r"^(?P<name>.+?)[\s-]+(?:(?:games?\s+)?(?:" + "|".join(KIND_WORDS.values()) + r"))$", re.IGNORECASE
)
_LAST_SEGMENT = re.compile(r"(?<=-)[A-Za-z]+$")
_CHECKPOINT = re.compile(
    r"^(?P<family>.+?)[\s\-_]?(?P<size>(?:\d+x)?\d+(?:\.\d+)?[BMKbmk])(?:\b|[\s\-_].*)?$"
)

#: Names shorter than this (in normal form) are never merged by fuzzy matching.
FUZZY_MIN_LENGTH = 8
#: Blocks of at most this many names are compared all-pairs; larger ones by sorted neighbourhood.
BLOCK_CAP = 64
#: Sorted-neighbourhood window for blocks larger than BLOCK_CAP (each name meets this many
#: neighbours in alphabetical order and as many in reversed-string order).
WINDOW = 32


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

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        # the smaller key becomes the root, so results do not depend on input order
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


# ---- papers ------------------------------------------------------------------------------------


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
    """Every identifier of a record: its id as given, and the canonical ``doi:``, ``arXiv:``,
    ``openalex:``, ``s2:``, ``pmid:``, ``scopus:``, ``wos:`` forms of every id it carries
    (``ax``: its :func:`arxiv_id`, found once by the caller)."""
    ids = []
    if record.id:
        ids.append(record.id)
        found = canonical(record.id)
        if found and not found.startswith("doi:"):
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
    uf = _UnionFind()
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
    keys: set[str] = set()
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
        authors = next((r.authors for r in recs if r.authors), ())
        key = _paper_key(rep, label, ax)
        if key in keys:  # same title, different papers (their identifiers differ): the ids tell them apart
            basis = "|".join(ids) or f"{rep.source.path}:{rep.source.line}"
            key = f"{key}-{hashlib.sha1(basis.encode('utf-8')).hexdigest()[:6]}"
        keys.add(key)
        paper = Paper(
            key=key,
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


# ---- entities: names ---------------------------------------------------------------------------


@lru_cache(maxsize=1 << 18)  # called for every mention and alias, of a few distinct names
def form_key(name: str) -> str:
    """The key surface forms of one entity share: :func:`papergraph.names.normalize`, plus the
    number groups when dropping separators would glue two numbers together.

    Separators between letters are noise ("Llama 2" is "Llama2") but separators between numbers are
    not ("Llama-3-18B" is not "Llama 3.1 8B"), so the digit groups are kept apart in the key:

    >>> form_key("Llama 2 7B") == form_key("LLaMA2-7B") == form_key("llama-2-7b")
    True
    >>> form_key("Llama 3.1 8B"), form_key("Llama-3-18B"), form_key("GPT-4"), form_key("CIFAR10")
    ('llama318b~3.1.8', 'llama318b~3.18', 'gpt4', 'cifar10')
    """
    # the plural of a hyphenated last word too: "Mixture-of-Experts" is "Mixture of Experts"
    key = normalize(_LAST_SEGMENT.sub(lambda m: singular(m[0]), name.strip()))
    groups = _DIGIT_GROUPS.findall(name)
    if len(groups) > 1 and len(_DIGIT_GROUPS.findall(key)) < len(groups):
        key += "~" + ".".join(groups)
    return key


def _bare_name(form: str, names: Iterable[str]) -> str | None:
    """The name among ``names`` that ``form`` writes with a word for its kind ("PEFT methods").

    >>> _bare_name("PEFT methods", ["Parameter-efficient fine-tuning", "PEFT"])
    'PEFT'
    >>> _bare_name("PEFT-2", ["PEFT"]) is None
    True
    """
    bare = _HEAD_SUFFIX.match(form)
    if not bare:
        return None
    key = form_key(bare["name"])
    return next((n for n in names if n != form and form_key(n) == key), None)


@lru_cache(maxsize=1 << 18)
def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return (
        2 <= len(form) <= 10
        and " " not in form
        and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)
    )


def _expands(short: str, long_form: str) -> bool:
    """Whether ``long_form`` can spell out ``short``: it starts with the short form's first letter,
    holds its letters in order, and does not contain the short form itself ("VQA dataset" is the
    VQA data set, not an expansion of VQA).

    >>> _expands("LoRA", "Low-Rank Adaptation"), _expands("CNNs", "convolutional neural networks")
    (True, True)
    >>> _expands("VQA", "VQA dataset"), _expands("ASR", "speech recognition")
    (False, False)
    """
    letters = [c for c in short.casefold() if c.isalnum()]
    text = long_form.casefold()
    if not letters or not text or text[0] != letters[0]:
        return False
    i = 0
    for ch in text:
        if i < len(letters) and ch == letters[i]:
            i += 1
    return i == len(letters) and not _holds_word(text, short.casefold())


_WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


def _holds_word(text: str, word: str) -> bool:
    """Whether ``word`` is in ``text`` with no ASCII letter or digit either side: what
    ``re.search(r"(?<![0-9a-z])" + re.escape(word) + r"(?![0-9a-z])", text)`` finds, without
    compiling a pattern per pair of names (tens of thousands at 100k papers).

    >>> _holds_word("vqa dataset", "vqa"), _holds_word("vqav2 data", "vqa"), _holds_word("a-vqa", "vqa")
    (True, False, True)
    """
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if (start == 0 or text[start - 1] not in _WORD_CHARS) and (
            end == len(text) or text[end] not in _WORD_CHARS
        ):
            return True
        start = text.find(word, start + 1)
    return False


def _digits(key: str) -> tuple[str, ...]:
    return tuple(_DIGIT_GROUPS.findall(key))


def _words(form: str) -> list[str]:
    return [singular(w) for w in re.split(r"[^0-9a-z]+", fold(form)) if w]


def same_expansion(a: str, b: str) -> bool:
    """Whether two expansions of one acronym name the same thing: the same normal form, or the
    same words but one, which is an inflection or misspelling of its counterpart (same first four
    letters, rapidfuzz ratio at least 80).

    >>> same_expansion("Low-Rank Adaptation", "Low-Rank Adaption")
    True
    >>> same_expansion("Self-Supervised Learning", "Semi-Supervised Learning")
    False
    >>> same_expansion("Parameter-Efficient Fine-Tuning", "parameter-efficient tuning")
    False
    """
    if form_key(a) == form_key(b):
        return True
    wa, wb = _words(a), _words(b)
    if len(wa) != len(wb):
        return False
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return x[:4] == y[:4] and not any(c.isdigit() for c in x + y) and fuzz.ratio(x, y) >= 80


@cache
def curated_abbreviations() -> dict[str, tuple[str, str]]:
    """The curated common abbreviations shipped with papergraph (``data/abbreviations.tsv``):
    abbreviation key -> (abbreviation, expansion).

    >>> curated_abbreviations()["lora"]
    ('LoRA', 'Low-Rank Adaptation')
    """
    text = resources.files("papergraph").joinpath("data/abbreviations.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, long_form = (part.strip() for part in line.split("\t", 1))
        out[form_key(short)] = (short, long_form)
    return out


@dataclass(frozen=True)
class Link:
    """One successful merge step between two surface forms (and so their keys)."""

    a: str
    b: str
    reason: str
    paper: str | None = None
    score: float | None = None


@dataclass
class NameClusters:
    """What :func:`cluster_forms` decided: the root of every form key, and how."""

    roots: dict[str, str]
    #: Every merge step that joined two clusters, in the order taken: (key a, key b, link).
    links: list[tuple[str, str, Link]]
    #: Surface forms seen for each key, with counts.
    forms: dict[str, Counter]
    #: Acronym key -> one expansion per sense, for acronyms expanded differently by different papers.
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Keys that are the full form (expansion) side of an acronym or abbreviation link.
    full_forms: set[str] = field(default_factory=set)


def _fuzzy_ok(a: str, b: str, threshold: float) -> float | None:
    """The rapidfuzz ratio of two keys when they may merge: at or above ``threshold``, the same
    numbers, and the same last two characters (an added suffix, "tinyimagenetr" after
    "tinyimagenet", marks a variant, not a typo)."""
    if a.partition("~")[0][-2:] != b.partition("~")[0][-2:]:
        return None
    score = fuzz.ratio(a, b, score_cutoff=threshold)
    return score or None


def _typo_words(a: str, b: str) -> bool:
    """Whether the words two near-identical names differ in are typos of each other (same first
    letter, rapidfuzz ratio at least 80), not different words: "Adaption" / "Adaptation" are,
    "delta" / "beta" in otherwise equal long names are not. Names split into different numbers of
    words differ by spacing only and pass.

    >>> _typo_words("Transformer alpha beta delta", "Transformer alpha beta beta")
    False
    >>> _typo_words("Low-Rank Adaption", "low rank adaptation"), _typo_words("miniIMageNet", "mini ImagenNet")
    (True, True)
    """
    wa, wb = _words(a), _words(b)
    if len(wa) != len(wb):
        return True
    return all(x == y or (x[:1] == y[:1] and fuzz.ratio(x, y) >= 80) for x, y in zip(wa, wb, strict=True))


def fuzzy_blocks(keys: Iterable[str]) -> dict[tuple[str, tuple[str, ...]], list[str]]:
    """Form keys long enough for fuzzy matching, grouped by (first three characters, numbers).

    >>> sorted(fuzzy_blocks(["lowrankadaptation", "lowrankadaption", "llama27b~2.7", "lora"]).items())
    [(('lla', ('27', '2', '7')), ['llama27b~2.7']), (('low', ()), ['lowrankadaptation', 'lowrankadaption'])]
    """
    blocks: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for k in keys:
        if len(k) >= FUZZY_MIN_LENGTH:
            blocks[(k[:3], _digits(k))].append(k)
    return blocks


def _fuzzy_pairs(keys: Iterable[str], threshold: float) -> Iterator[tuple[str, str, float]]:
    """Near-identical key pairs, compared only inside blocks of keys that share their first three
    characters and their numbers; blocks larger than :data:`BLOCK_CAP` are compared by sorted
    neighbourhood (:data:`WINDOW` neighbours in alphabetical and in reversed-string order), so the
    cost stays near-linear in the number of keys."""
    blocks = fuzzy_blocks(keys)
    slack = 1 - threshold / 100
    for block in sorted(blocks):
        members = blocks[block]
        if len(members) < 2:
            continue
        if len(members) <= BLOCK_CAP:
            members.sort(key=lambda k: (len(k), k))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if len(b) - len(a) > slack * (len(a) + len(b)):
                        break
                    score = _fuzzy_ok(a, b, threshold)
                    if score:
                        yield a, b, score
            continue
        for order in (sorted(members), sorted(members, key=lambda k: k[::-1])):
            for i, a in enumerate(order):
                for b in order[i + 1 : i + 1 + WINDOW]:
                    if abs(len(b) - len(a)) > slack * (len(a) + len(b)):
                        continue
                    score = _fuzzy_ok(a, b, threshold)
                    if score:
                        yield a, b, score


def cluster_forms(
    uses: Iterable[tuple[str, Relation]],
    definitions: Iterable[tuple[str, str, str]] = (),
    *,
    threshold: float = 95.0,
    curated: bool = True,
) -> NameClusters:
    """Cluster the surface forms of ``uses`` (paper key, relation) into entities.

    ``definitions`` are (paper key, short form, long form) abbreviation definitions found in the
    papers' texts; they decide whether an acronym has one meaning in the corpus or several.
    """
    uf = _UnionFind()
    links: list[tuple[str, str, Link]] = []
    forms: dict[str, Counter] = defaultdict(Counter)

    def join(ka: str, kb: str, link: Link) -> None:
        if uf.union(ka, kb):
            links.append((ka, kb, link))

    defs: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # short key -> (paper, short, long)
    seen_defs: set[tuple[str, str, str]] = set()

    def define(paper: str, short: str, long_form: str) -> None:
        if (paper, short, long_form) not in seen_defs and form_key(short) and form_key(long_form):
            seen_defs.add((paper, short, long_form))
            defs[form_key(short)].append((paper, short, long_form))

    text_defs = {(p, form_key(s), form_key(lf)) for p, s, lf in definitions}
    for paper, short, long_form in sorted(definitions):
        define(paper, short, long_form)
    alias_pairs: list[tuple[str, str, str]] = []
    kind_pairs: list[tuple[str, str, str]] = []  # "BLEU" written "BLEU score": joined unless ambiguous
    for paper, text, _, aliases in _names(uses):
        key = form_key(text)
        if not key:
            continue
        forms[key][text] += 1
        uf.find(key)
        for alias in aliases:
            akey = form_key(alias)
            if not akey:
                continue
            forms[akey][alias] += 1
            uf.find(akey)
            if akey == key:
                continue
            m_acro, a_acro = _is_acronym(text), _is_acronym(alias)
            if (paper, akey, key) in text_defs or (a_acro and not m_acro and _expands(alias, text)):
                define(paper, alias, text)
            elif (paper, key, akey) in text_defs or (m_acro and not a_acro and _expands(text, alias)):
                define(paper, text, alias)
            elif bare := _bare_name(alias, (text, *aliases)):
                kind_pairs.append((paper, bare, alias))
            else:
                alias_pairs.append((paper, text, alias))
    for paper, a, b in sorted(alias_pairs):
        if _DIGIT_GROUPS.findall(a) == _DIGIT_GROUPS.findall(b):  # never two versions or sizes
            join(form_key(a), form_key(b), Link(a, b, "alias", paper or None))

    def top(key: str) -> str:
        return max(forms[key], key=lambda f: (forms[key][f], f))

    # fuzzy near-duplicates (typos, odd casing that normalisation missed)
    for a, b, score in _fuzzy_pairs(sorted(uf.parent), threshold):
        if _typo_words(top(a), top(b)):
            join(a, b, Link(top(a), top(b), "fuzzy", None, round(score, 1)))

    # acronyms: merged with their expansion only when every defining paper means the same thing
    ambiguous: dict[str, tuple[str, ...]] = {}
    full_forms: set[str] = set()
    for short_key in sorted(defs):
        entries = sorted(defs[short_key], key=lambda d: (d[0], d[2], d[1]))
        senses: list[list[tuple[str, str, str]]] = []
        for entry in entries:
            lkey = form_key(entry[2])
            for sense in senses:
                other = sense[0][2]
                okey = form_key(other)
                same_root = lkey in uf.parent and okey in uf.parent and uf.find(lkey) == uf.find(okey)
                if same_root or same_expansion(entry[2], other):
                    sense.append(entry)
                    break
            else:
                senses.append([entry])
        if len(senses) > 1:
            ambiguous[short_key] = tuple(s[0][2] for s in senses)
            continue
        present = [e for e in senses[0] if form_key(e[2]) in uf.parent]
        # the step is told with the most common spelling of the expansion, in the first paper using it
        spelling = Counter(e[2] for e in present)
        present.sort(key=lambda e: (-spelling[e[2]], e[0], e[2]))
        if short_key not in uf.parent or not present:
            continue
        first_paper, first_short, first_long = present[0]
        first_key = form_key(first_long)
        full_forms.update(form_key(e[2]) for e in present)
        join(short_key, first_key, Link(first_short, first_long, "acronym", first_paper or None))
        for paper, _short, long_form in present[1:]:
            if form_key(long_form) != first_key:
                join(
                    form_key(long_form),
                    first_key,
                    Link(long_form, first_long, "expansion-variant", paper or None),
                )

    # common abbreviations, when both forms are in the corpus and no paper contradicts the list
    if curated:
        for short_key, (short, expansion) in sorted(curated_abbreviations().items()):
            long_key = form_key(expansion)
            if short_key not in uf.parent or long_key not in uf.parent or short_key in ambiguous:
                continue
            if not ({short, short + "s"} & set(forms[short_key])):
                continue  # "MAP" is not "mAP": the abbreviation must be spelt as listed
            if any(not same_expansion(lf, expansion) for _, _, lf in defs.get(short_key, ())):
                continue
            full_forms.add(long_key)
            join(short_key, long_key, Link(top(short_key), top(long_key), "curated"))
    for paper, a, b in sorted(kind_pairs):
        if form_key(a) not in ambiguous:
            join(form_key(a), form_key(b), Link(a, b, "alias", paper or None))
    roots = {k: uf.find(k) for k in uf.parent}
    return NameClusters(roots, links, dict(forms), ambiguous, full_forms)


def cluster_names(
    relations: Sequence[Relation], *, threshold: float = 95.0, curated: bool = True
) -> dict[str, str]:
    """Map every form key (:func:`form_key`) to its cluster's root key.

    >>> from papergraph.model import Mention, Evidence
    >>> def rel(text, aliases=()):
    ...     return Relation("uses", Mention(text, "Method", 0, 1), Evidence("", 0, 1), aliases)
    >>> roots = cluster_names([rel("Low-Rank Adaptation", ("LoRA",)), rel("LoRA"), rel("GPT-3"),
    ...                        rel("GPT-4")])
    >>> roots["lora"] == roots["lowrankadaptation"], roots["gpt3"] == roots["gpt4"]
    (True, False)
    """
    return cluster_forms([("", r) for r in relations], threshold=threshold, curated=curated).roots


# ---- entities: nodes and explanations -----------------------------------------------------------


def _choose_label(forms: Counter, expansions: Counter) -> str:
    """The most frequent full form: an expansion of the entity's acronym when the corpus has one,
    else the most frequent spelling (ties: the one with more capitals, "LoRA" over "Lora", unless
    they are capitals for emphasis). A name followed by its kind ("Stanford Dogs datasets") counts
    for the bare name when the corpus also writes that.

    >>> forms = Counter({"LoRA": 5, "Low-Rank Adaptation": 2, "Lora": 1})
    >>> _choose_label(forms, Counter({"Low-Rank Adaptation": 2}))
    'Low-Rank Adaptation'
    >>> _choose_label(Counter({"LoRA": 5, "Lora": 1}), Counter())
    'LoRA'
    >>> _choose_label(Counter({"LLAMA2-7B": 1, "Llama2-7B": 1, "Llama-2-7B": 1}), Counter())
    'Llama-2-7B'
    >>> _choose_label(Counter({"Stanford Dogs datasets": 2, "Stanford Dogs": 1}), Counter())
    'Stanford Dogs'
    """
    pool: Counter = Counter()
    for form, n in (expansions if expansions else forms).items():
        bare = _HEAD_SUFFIX.match(form)
        # "ImageNet benchmark" is ImageNet named with its kind: the name is the label
        pool[bare["name"] if bare and bare["name"] in forms else form] += n
    mixed = {w.casefold() for f in forms for w in _WORD_RUN.findall(f) if not w.isupper()}

    def shouted(form: str) -> int:
        # "LLAMA2-7B" when the corpus also writes "Llama": capitals for emphasis, not the name
        return sum(len(w) >= 5 and w.isupper() and w.casefold() in mixed for w in _WORD_RUN.findall(form))

    return max(pool, key=lambda f: (pool[f], -shouted(f), sum(c.isupper() for c in f), len(f), f))


@dataclass
class EntityResolution:
    """Entities, the form key -> entity key map, and why each form of a merged entity is there."""

    entities: list[Entity]
    by_key: dict[str, str]
    merges: list[Merge]


def resolve_entities(relations: Sequence[Relation]) -> tuple[list[Entity], dict[str, str]]:
    """Entities, and a map from form key (:func:`form_key`) to entity key.

    >>> from papergraph.model import Mention, Evidence
    >>> def rel(text, aliases=()):
    ...     return Relation("uses", Mention(text, "Method", 0, 1), Evidence("", 0, 1), aliases)
    >>> entities, by_key = resolve_entities([rel("Low-Rank Adaptation", ("LoRA",)), rel("LoRA")])
    >>> [(e.label, e.aliases) for e in entities], by_key["lora"]
    ([('Low-Rank Adaptation', ('LoRA',))], 'method/low-rank-adaptation')
    """
    found = resolve_entity_forms([("", r) for r in relations])
    return found.entities, found.by_key


def resolve_entity_forms(
    uses: Iterable[tuple[str, Relation]],
    definitions: Iterable[tuple[str, str, str]] = (),
    *,
    curated: bool = True,
) -> EntityResolution:
    """Entities from (paper key, relation) pairs, with a :class:`Merge` for every form of every
    entity that has more than one form. ``uses`` is read twice (a list, or anything that gives the
    same pairs on every pass)."""
    nc = cluster_forms(uses, definitions, curated=curated)
    roots = nc.roots
    forms: dict[str, Counter] = defaultdict(Counter)
    form_papers: dict[tuple[str, str], set[str]] = defaultdict(set)
    expansions: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    # forms of ambiguous acronyms that a paper defines: root -> form -> (expansion, paper)
    local: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for paper, text, kind, aliases in _names(uses):
        key = form_key(text)
        if not key:
            continue
        root = roots[key]
        forms[root][text] += 1
        if paper:
            form_papers[(root, text)].add(paper)
        if key in nc.full_forms or (not _is_acronym(text) and any(_is_acronym(a) for a in aliases)):
            expansions[root][text] += 1
        types[root][kind] += 1
        for alias in aliases:
            akey = form_key(alias)
            if not akey:
                continue
            if roots.get(akey) == root:
                forms[root][alias] += 1
            elif akey in nc.ambiguous:
                forms[root][alias] += 1
                local[root].setdefault(alias, (text, paper))
            else:
                continue
            if paper:
                form_papers[(root, alias)].add(paper)
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
    by_key = {k: keys[root] for k, root in roots.items() if root in keys}
    family_of = _families(chosen, by_key)
    tree = _merge_tree(nc, roots)
    entities = []
    merges: list[Merge] = []
    for root, (label, kind) in chosen.items():
        aliases = tuple(sorted(f for f in forms[root] if f != label))
        entity = Entity(
            key=keys[root], type=kind, label=label, aliases=aliases, broader=family_of.get(keys[root])
        )
        entities.append(entity)
        if aliases:
            merges += _explain(entity, tree.get(root, {}), local.get(root, {}), form_papers, root)
    entities.sort(key=lambda e: e.key)
    merges.sort(key=lambda m: (m.entity, m.form))
    return EntityResolution(entities, by_key, merges)


def _merge_tree(nc: NameClusters, roots: dict[str, str]) -> dict[str, list[tuple[str, str, Link]]]:
    """Merge steps grouped by cluster root."""
    out: dict[str, list[tuple[str, str, Link]]] = defaultdict(list)
    for ka, kb, link in nc.links:
        out[roots[ka]].append((ka, kb, link))
    return out


def _explain(
    entity: Entity,
    steps: list[tuple[str, str, Link]],
    local: dict[str, tuple[str, str]],
    form_papers: dict[tuple[str, str], set[str]],
    root: str,
) -> list[Merge]:
    """One :class:`Merge` per form of ``entity``: the path of merge steps from its label, walked
    breadth-first, gives each form the step that brought it in."""
    adjacent: dict[str, list[tuple[str, Link]]] = defaultdict(list)
    for ka, kb, link in steps:
        adjacent[ka].append((kb, link))
        adjacent[kb].append((ka, link))
    start = form_key(entity.label)
    # key -> (the form on this key's side of the step that reached it, the step)
    reached: dict[str, tuple[str, Link] | None] = {start: None}
    queue = deque([start])
    while queue:
        k = queue.popleft()
        for other, link in sorted(adjacent[k], key=lambda kl: (kl[0], kl[1].a, kl[1].b)):
            if other not in reached:
                reached[other] = (link.a if form_key(link.a) == other else link.b, link)
                queue.append(other)
    out = []
    for form in (entity.label, *entity.aliases):
        papers = tuple(sorted(form_papers.get((root, form), ())))
        key = form_key(form)
        if form == entity.label:
            out.append(Merge(entity.key, form, "label", papers=papers))
        elif form in local and key not in reached:
            expansion, paper = local[form]
            out.append(Merge(entity.key, form, "acronym-in-paper", expansion, paper or None, papers=papers))
        elif key == start or key not in reached or reached[key] is None:
            out.append(Merge(entity.key, form, "normal-form", entity.label, papers=papers))
        else:
            side, link = reached[key]  # type: ignore[misc]
            if form != side:
                out.append(Merge(entity.key, form, "normal-form", side, papers=papers))
            else:
                via = link.b if side == link.a else link.a
                out.append(Merge(entity.key, form, link.reason, via, link.paper, link.score, papers))
    return out


def _families(chosen: dict[str, tuple[str, str]], by_key: dict[str, str]) -> dict[str, str]:
    """Checkpoint key -> the key of what it specialises, when that is itself an entity: the family
    ("Llama2-7B" -> "Llama2"), or for a tuned variant its base checkpoint ("Llama2-7B-Chat" ->
    "Llama2-7B", else "Llama2")."""
    out: dict[str, str] = {}
    for root, (label, kind) in chosen.items():
        if kind != "Method":
            continue
        m = _CHECKPOINT.match(label)
        if not m:
            continue
        candidates = [m["family"].rstrip("-_ ")]
        if label[m.end("size") :].strip("-_ "):
            candidates.insert(0, label[: m.end("size")])
        for candidate in candidates:
            family = form_key(candidate)
            if family and family != root and family in by_key and by_key[family] != by_key[root]:
                out[by_key[root]] = by_key[family]
                break
    return out


# ---- the whole stage ---------------------------------------------------------------------------


@dataclass
class Resolution:
    """Everything the resolve stage finds."""

    papers: list[Paper]
    entities: list[Entity]
    edges: list[Edge]
    merges: list[Merge] = field(default_factory=list)
    works: list[ExternalWork] = field(default_factory=list)
    inferred: list[InferredLink] = field(default_factory=list)


def resolve(extractions: Sequence[Extraction]) -> tuple[list[Paper], list[Entity], list[Edge]]:
    """Papers, entities and every edge between them (see :func:`resolve_graph` for the rest)."""
    found = resolve_graph(extractions)
    return found.papers, found.entities, found.edges


def resolve_graph(extractions: Sequence[Extraction]) -> Resolution:
    """Papers, entities, edges, the explanation of every merge, cited external works and the
    inferred paper-to-paper links.

    Of each extraction only ``record``, ``relations`` and ``abbreviations`` are read, so anything
    with those does (a build passes :class:`~papergraph.run.parallel.PackedExtraction`, whose relations
    are made again on every reading); ``relations`` is read a few times per extraction."""
    papers, paper_of = resolve_papers(extractions)
    reps: dict[int, Extraction] = {}
    for i, ext in enumerate(extractions):
        p = paper_of[i]
        rep = reps.get(p)
        if rep is None or _rep_order(ext) < _rep_order(rep):
            reps[p] = ext
    # only the representative record's text is used: its offsets match the paper's title/abstract
    text_of = {p.key: (p.title, p.abstract) for p in papers}
    chosen = [(papers[p].key, reps[p]) for p in sorted(reps)]
    chosen = [(k, e) for k, e in chosen if (e.record.title, e.record.abstract) == text_of[k]]
    definitions = [(k, short, long_form) for k, e in chosen for short, long_form in e.abbreviations]
    found = resolve_entity_forms(_PaperRelations(chosen), definitions)
    entities, by_key = found.entities, found.by_key

    edges: list[Edge] = []
    for paper_key, ext in chosen:  # one extraction per paper: its edges are found apart from others'
        facts = ext.facts()
        best: dict[tuple[str, str], Edge] = {}
        per_target: dict[str, set[str]] = defaultdict(set)
        targets = [by_key.get(form_key(text)) for _, text, *_ in facts]
        for (relation, *_), target in zip(facts, targets, strict=True):
            if target:
                per_target[target].add(relation)
        for (relation, _, sentence, start, end), target in zip(facts, targets, strict=True):
            if not target:
                continue
            rels = per_target[target]
            if relation != "proposes" and "proposes" in rels:
                continue
            if relation == "compares-to" and "improves-on" in rels:
                continue
            if (relation, target) not in best:
                best[(relation, target)] = Edge(
                    paper_key, relation, target, Evidence(sentence, start, end), paper_key
                )
        edges += best.values()
    edges += [Edge(e.key, "broader", e.broader) for e in entities if e.broader]
    by_paper = {p.key: p for p in papers}
    inferred = infer_links(edges, entities, by_paper)
    edges += _link_edges(inferred, edges)
    cites, works = _citations(extractions, paper_of, papers)
    edges += cites
    return Resolution(papers, entities, edges, found.merges, works, inferred)


class _PaperRelations:
    """(paper key, relation) for every relation of ``chosen`` (paper key, extraction) pairs, read
    from the extractions afresh on every pass rather than held: a build's extractions keep their
    relations packed (:class:`~papergraph.run.parallel.PackedExtraction`), and resolution reads them
    twice, which holding them all as objects at once would make the biggest thing in memory."""

    def __init__(self, chosen: Sequence[tuple[str, Extraction]]) -> None:
        self._chosen = chosen

    def __iter__(self) -> Iterator[tuple[str, Relation]]:
        for key, ext in self._chosen:
            for r in ext.relations:
                yield key, r

    def names(self) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
        """(paper key, mention text, entity type, aliases) of every relation: what naming the
        entities reads (:meth:`~papergraph.model.Extraction.names`; a packed extraction gives them
        without making relation objects)."""
        for key, ext in self._chosen:
            for text, kind, aliases in ext.names():
                yield key, text, kind, aliases


def _names(uses: Iterable[tuple[str, Relation]]) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(paper key, mention text, entity type, aliases) of each of ``uses``: from its ``names()``
    when it has them (a build's packed extractions, without making relation objects), else from
    the relations."""
    if isinstance(uses, _PaperRelations):
        return uses.names()
    return ((paper, r.mention.text, r.mention.type, r.aliases) for paper, r in uses)


def _rep_order(ext: Extraction) -> tuple:
    r = ext.record
    return (r.title is None, -len(r.abstract), r.source.path, r.source.line)


# ---- inferred paper-to-paper links --------------------------------------------------------------

_NAMING_BEFORE = re.compile(
    r"(?:\b(?:call|term|dub|name|coin|denote)(?:ed|s)?(?:\s+(?:it|as|them|this))*"
    r"|\b(?:namely|i\.e\.)"
    r"|\b(?:we|this\s+(?:paper|work|study))(?:\s+\w+ly)?\s+(?:propose|introduce|present|release|develop|build"
    r"|create|construct|curate|collect|design|contribute)[sd]?(?:\s+(?:a|an|the|our|new|novel|first))*"
    r"|\b(?:our|the\s+proposed|a\s+new|a\s+novel)\s+(?:[\w-]+\s+){0,3}?(?:approach|method|model|framework"
    r"|system|algorithm|architecture|technique|dataset|benchmark|pipeline|library|tool|suite|corpus|metric)"
    r"\s*[,:(])[\s\"'“‘(]*$",
    re.IGNORECASE,
)
# the mention only modifies what is named: "a CLIP-based discriminator", "MSE regression", "MoE method"
_NOT_A_NAME_AFTER = re.compile(
    r"^(?:-\w|'s\b|\s+(?:based|like|style|regression|loss|method|model|approach|strategy|module|variant)\b)",
    re.IGNORECASE,
)


_SHORT_AFTER = re.compile(r"^\s*(?:\(|,\s*or\s+)([\w-]+)")


def _coined(name: str) -> bool:
    """A coined name rather than a common noun phrase: one word, or a word with a digit or a
    capital inside ("TinyStories", "Llama 2", "LoRA"; not "Petri Nets" or "Federated Learning").

    >>> [_coined(n) for n in ("TinyStories", "Llama 2", "Petri Nets", "Low-Rank Adaptation")]
    [True, True, False, False]
    """
    words = [w for w in re.split(r"[\s-]+", name.strip()) if w]
    return len(words) == 1 or any(
        any(c.isdigit() for c in w) or any(c.isupper() for c in w[1:]) for w in words
    )


def names_as_own(paper: Paper, edge: Edge, entity: Entity) -> bool:
    """Whether ``paper``'s text names ``entity`` as its own contribution where it proposes it: the
    name its title gives itself ("TinyStories: How Small …"), or a name right after a naming cue
    ("we propose X", "a framework called X", "our method, X,"), and that name must be coined
    (:func:`_coined`), or followed by a coined short form: "Petri Nets: Properties, Analysis and
    Applications" is about Petri nets, it does not introduce them.

    Extraction also marks weaker proposals ("we propose a CLIP-based discriminator"); an inferred
    link needs this stronger reading, so that using CLIP does not make a paper build on GALIP.
    """
    names = {form_key(n) for n in (entity.label, *entity.aliases)}
    if paper.title and ":" in paper.title:
        head = paper.title.split(":", 1)[0].strip()
        if len(head.split()) <= 4 and form_key(head) in names and _coined(head):
            return True
    ev = edge.evidence
    if ev is None:
        return False
    text = f"{paper.title}\n{paper.abstract}" if paper.title else paper.abstract
    start = text.rfind(ev.sentence, 0, ev.start + len(ev.sentence))
    if start < 0 or not start <= ev.start < ev.end <= start + len(ev.sentence):
        return False
    before, after = text[start : ev.start], text[ev.end : start + len(ev.sentence)]
    short = _SHORT_AFTER.match(after)
    coined = _coined(text[ev.start : ev.end]) or bool(short and _coined(short[1]))
    return coined and bool(_NAMING_BEFORE.search(before)) and not _NOT_A_NAME_AFTER.match(after)


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def infer_links(
    edges: Sequence[Edge], entities: Sequence[Entity], papers: dict[str, Paper]
) -> list[InferredLink]:
    """Paper A → paper B when A uses, compares to or improves on an entity that B, and no other
    paper of the graph, names as its own contribution (:func:`names_as_own`).

    The relation is ``uses-method-in`` for a used method or metric, ``uses-data-from`` for a used
    dataset, ``compares-to`` / ``improves-on`` as A states it. Tasks are not proposals (they are
    studied, not built), common concepts from the curated abbreviation list (CNN, CLIP, mixture of
    experts …) cannot originate in one corpus paper, and B must not be dated after A when both
    years are known.
    """
    entity = {e.key: e for e in entities}
    common = {form_key(f) for pair in curated_abbreviations().values() for f in pair}
    proposals: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.relation == "proposes" and e.source in papers and e.target in entity:
            proposals[e.target].append(e)
    origin: dict[str, str] = {}
    for target, props in proposals.items():
        ent = entity[target]
        if len({p.source for p in props}) != 1 or ent.type == "Task":
            continue
        if {form_key(f) for f in (ent.label, *ent.aliases)} & common:
            continue
        prop = min(props, key=lambda p: (p.evidence is None, p.evidence.start if p.evidence else 0))
        if names_as_own(papers[prop.source], prop, ent):
            origin[target] = prop.source
    out: set[InferredLink] = set()
    for e in edges:
        if e.relation not in ("uses", "compares-to", "improves-on") or e.target not in origin:
            continue
        b = origin[e.target]
        if b == e.source or e.source not in papers:
            continue
        ya, yb = _year(papers[e.source].date), _year(papers[b].date)
        if ya is not None and yb is not None and yb > ya:
            continue
        if e.relation == "uses":
            kind = entity[e.target].type
            relation = "uses-data-from" if kind == "Dataset" else "uses-method-in"
        else:
            relation = e.relation
        out.add(InferredLink(e.source, relation, b, e.target))
    return sorted(out, key=lambda link: (link.source, link.target, link.relation, link.via))


def _link_edges(links: Sequence[InferredLink], edges: Sequence[Edge]) -> list[Edge]:
    """The asserted edges of inferred links: ``builds-on`` for every pair, and the CiTO relation
    (``uses-method-in`` / ``uses-data-from``) where there is one; each carries the sentence of A's
    edge to the entity."""
    wanted = {(link.source, link.via) for link in links}  # not every paper-entity pair: a few
    evidence: dict[tuple[str, str], Edge] = {}
    for e in edges:
        if e.relation in ("uses", "compares-to", "improves-on") and (e.source, e.target) in wanted:
            evidence.setdefault((e.source, e.target), e)
    out: dict[tuple[str, str, str], Edge] = {}
    for link in links:
        basis = evidence.get((link.source, link.via))
        ev, paper = (basis.evidence, basis.paper) if basis else (None, None)
        relations = ["builds-on"]
        if link.relation in ("uses-method-in", "uses-data-from"):
            relations.append(link.relation)
        for relation in relations:
            out.setdefault(
                (link.source, relation, link.target), Edge(link.source, relation, link.target, ev, paper)
            )
    return list(out.values())


# ---- citations ---------------------------------------------------------------------------------


def reference_ids(ref: str) -> list[str]:
    """Canonical identifiers in a reference string: ``arXiv:<id>`` and ``doi:<doi>``.

    >>> reference_ids("Hu et al. LoRA. arXiv:2106.09685v2"), reference_ids("doi.org/10.1145/ABC.1")
    (['arXiv:2106.09685'], ['doi:10.1145/abc.1'])
    """
    out = []
    ax = find_arxiv_id(ref)
    if ax:
        out.append(f"arXiv:{ax}")
    doi = find_doi(ref)
    if doi:
        out.append(f"doi:{doi}")
    return out


def _citations(
    extractions: Sequence[Extraction], paper_of: list[int], papers: list[Paper]
) -> tuple[list[Edge], list[ExternalWork]]:
    """``cites`` edges for every reference: see :mod:`papergraph.resolve.citations`."""
    refs: dict[int, list] = defaultdict(list)
    cited_by: dict[int, list] = defaultdict(list)
    for i, ext in enumerate(extractions):  # papers without references make no edge: left out
        rec = ext.record
        if rec.references or rec.cited:
            refs[paper_of[i]] += [*rec.references, *rec.cited]
        if rec.cited_by:
            cited_by[paper_of[i]] += rec.cited_by
    citing = [
        (papers[p].key, refs.get(p, []), cited_by.get(p, [])) for p in sorted(set(refs) | set(cited_by))
    ]
    if not citing:  # no index of every paper to make when nothing cites
        return [], []
    edges, works, _ = citation_edges(citing, papers)
    cited = {e.target for e in edges} | {e.source for e in edges}
    return edges, [w for w in works if w.key in cited]
