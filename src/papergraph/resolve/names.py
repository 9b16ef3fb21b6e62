"""Entity names: which surface forms name one thing (same normal form, an acronym and its
expansion, a curated abbreviation, a near-identical spelling within a block of names), and the
label each cluster takes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import fuzz

from papergraph.model import Extraction, Relation
from papergraph.names import KIND_WORDS, fold, normalize, singular
from papergraph.resolve.papers import UnionFind

__all__ = [
    "BLOCK_CAP",
    "FUZZY_MIN_LENGTH",
    "WINDOW",
    "Link",
    "NameClusters",
    "PaperRelations",
    "cluster_forms",
    "cluster_names",
    "curated_abbreviations",
    "form_key",
    "fuzzy_blocks",
    "same_expansion",
]

#: A name followed by a word for its kind ("ImageNet benchmark", "BLEU score", "the BERT model").
_HEAD_SUFFIX = re.compile(
    r"^(?P<name>.+?)[\s-]+(?:(?:games?\s+)?(?:" + "|".join(KIND_WORDS.values()) + r"))$", re.IGNORECASE
)

_LAST_SEGMENT = re.compile(r"(?<=-)[A-Za-z]+$")

_DIGIT_GROUPS = re.compile(r"\d+")

_WORD_RUN = re.compile(r"[A-Za-z]+")

#: Names shorter than this (in normal form) are never merged by fuzzy matching.
FUZZY_MIN_LENGTH = 8

#: Blocks of at most this many names are compared all-pairs; larger ones by sorted neighbourhood.
BLOCK_CAP = 64

#: Sorted-neighbourhood window for blocks larger than BLOCK_CAP (each name meets this many
#: neighbours in alphabetical order and as many in reversed-string order).
WINDOW = 32


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
    uf = UnionFind()
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


class PaperRelations:
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
    if isinstance(uses, PaperRelations):
        return uses.names()
    return ((paper, r.mention.text, r.mention.type, r.aliases) for paper, r in uses)
