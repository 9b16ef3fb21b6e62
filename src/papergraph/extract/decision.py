"""The learned decision on extraction's candidates: is a candidate an entity, and of which type.

The rules find candidates (names, acronym definitions, noun-phrase terms, cue patterns) and group
a paper's mentions of one thing; each group is described by the strings of :func:`features` (its
shape and words, the words around its first mention, the rules' type and relations, whether the
title names it, how often the abstract repeats it, what SciERC's lexicon says of its head). A
multinomial logistic regression over those strings, trained by ``scripts/train_extractor.py`` on
annotated papers, gives each group a probability per class (``none`` and the four entity types);
a group is kept when ``none`` is less likely than :attr:`Model.threshold` says, with the most
likely type. Two smaller parts go with it: the chunk gate (:meth:`Model.choose_chunk`, over
:func:`gate_features`), which keeps the likeliest span of each broad noun-phrase candidate, or
drops it, before any other work, and
the relation part (:meth:`Model.relate`, over :func:`relation_features`), which picks the
relation of the paper to each kept group.

The weights ship as ``data/decision_model.json`` (features with non-zero weights only); scoring a
group is one dictionary look-up per feature.

>>> model = Model(("none", "Method"), {"bias": (0.0, 0.0), "w=lora": (-1.0, 2.0)}, threshold=0.5)
>>> model.decide(["bias", "w=lora", "w=unseen"])
'Method'
>>> model.decide(["bias"]) is None
True
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from papergraph.extract import lexicon as lx
from papergraph.extract.relations import is_coined
from papergraph.extract.terms import span_ranges, span_type

__all__ = ["CLASSES", "RELATIONS", "Candidate", "Model", "features", "model", "relation_features"]

#: The classes the model tells apart; ``none``: not an entity of the graph.
CLASSES = ("none", "Method", "Dataset", "Metric", "Task")
#: The relations the relation part of the model tells apart (one per paper and entity).
RELATIONS = ("uses", "proposes", "compares-to", "improves-on")
_DATA = "data/decision_model.json"


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the rules know of one group of a paper's mentions, for the decision.

    ``label`` is the group's label, ``forms`` every surface form, ``rule_type`` the rules' type,
    ``relations`` the relations the rules found for it, ``mentions`` how often the text names it,
    ``first`` where it is first named (0 to 1 through the text), ``in_title`` whether the title
    names it, ``defined`` whether an acronym definition gives it, ``weak`` whether the rules took it
    for a description said once, ``before``/``after`` the words around its first mention,
    ``found_by`` the finders of its mentions (``abbr``, ``name``, ``cue``, ``phrase``, ``chunk``),
    ``signals`` what the cues of its sentences say of it before the rules' conditions, ``window``
    the words before its first mentions.
    """

    label: str
    forms: tuple[str, ...]
    rule_type: str
    relations: tuple[str, ...]
    mentions: int
    first: float
    in_title: bool
    defined: bool
    weak: bool
    before: str
    after: str
    found_by: tuple[str, ...] = ()
    #: What the cues of the sentences naming it say (``relations.relation_signals``).
    signals: tuple[str, ...] = ()
    #: The words before its first three mentions, three each, in lower case.
    window: tuple[str, ...] = ()


_DIGIT = re.compile(r"\d")


def _shape(text: str) -> str:
    """``Xx``-style shape of a word, runs collapsed: "LoRA" -> "XxX", "GPT-4" -> "X-d".

    >>> [_shape(w) for w in ("stochastic", "BERT", "Transformer", "LoRA", "GPT-4", "naïve")]
    ['x', 'X', 'Xx', 'XxX', 'X-d', 'x']
    """
    if text.isascii() and text.isalpha():  # most words: one case, or capitalised
        if text.islower():
            return "x"
        if text.isupper():
            return "X"
        if text[0].isupper() and text[1:].islower():
            return "Xx"
    out: list[str] = []
    for ch in text:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def features(c: Candidate) -> list[str]:
    """The feature strings of one candidate: what its label says (:func:`label_features`), then
    what its place in the text and the rules say (:func:`context_features`)."""
    return [*label_features(c.label, c.rule_type), *context_features(c)]


def context_features(c: Candidate) -> list[str]:
    """The features of a candidate that its label alone does not give."""
    t = c.rule_type
    shape = _case(c.label)
    out = [
        f"nm={min(c.mentions, 4)}",
        f"t={t}|nm={min(c.mentions, 4)}",
        f"forms={min(len(c.forms), 3)}",
        f"first={min(int(c.first * 4), 3)}",
        f"b1={c.before}",
        f"a1={c.after}",
        f"t={t}|b1={c.before}",
        f"t={t}|a1={c.after}",
    ]
    if c.in_title:
        out += ["title", f"t={t}|title"]
    if c.defined:
        out += ["defined", f"t={t}|defined"]
    if c.weak:
        out += ["weak", f"t={t}|weak"]
    for r in c.relations:
        out += [f"r={r}", f"t={t}|r={r}"]
    for source in c.found_by:
        out += [f"by={source}", f"t={t}|by={source}", f"by={source}|shape={shape}"]
    out.append("by=" + "+".join(c.found_by))
    return out


def relation_features(c: Candidate) -> list[str]:
    """The features the relation part of the model weighs: what the rules said, what the cues of
    the sentences say before the rules' conditions, where and how the text names the candidate."""
    t = c.rule_type
    coined = "coined" if is_coined(c.label) else "plain"
    out = [
        "bias",
        f"t={t}",
        coined,
        f"t={t}|{coined}",
        "rs=" + "+".join(sorted(set(c.relations))),
        f"nm={min(c.mentions, 4)}",
        f"first={min(int(c.first * 4), 3)}",
        f"b1={c.before}",
        f"a1={c.after}",
        "by=" + "+".join(c.found_by),
    ]
    out += [f"r={r}" for r in c.relations]
    out += [f"bw={w}" for w in c.window]
    out.append(f"{coined}|nm={min(c.mentions, 4)}")
    for signal in c.signals:
        out += [f"s={signal}", f"{coined}|s={signal}", f"t={t}|s={signal}"]
    if c.in_title:
        out += ["title", f"{coined}|title"]
    if c.defined:
        out.append("defined")
    return out


def _case(label: str) -> str:
    return "lower" if label.islower() else "upper" if label.isupper() else "mixed"


def gate_features(text: str, kind: str, before: str = "", after: str = "") -> list[str]:
    """The few features the chunk gate weighs, cheap to make: the type its head gives, its case and
    length, its words, first word and head, and for a span cut out of a longer run
    (:func:`~papergraph.extract.terms.chunk_spans`) the run's words it leaves out before and after.

    >>> gate_features("stochastic Petri nets", "Method")
    ['bias', 't=Method', 'shape=mixed', 'nw=3', 'h=nets', 'f=stochastic', 'w=stochastic', 'w=petri', 'w=nets']
    >>> gate_features("Transformer", "Method", after="network")[-2:]
    ['cut=after', 'ca=network']
    """
    words = text.lower().split()
    out = ["bias", f"t={kind}", f"shape={_case(text)}", f"nw={min(len(words), 5)}", f"h={words[-1]}"]
    out += [f"f={words[0]}", *("w=" + w for w in words)]
    if before:
        out += ["cut=before", f"cb={before}"]
    if after:
        out += ["cut=after", f"ca={after}"]
    return out


@lru_cache(maxsize=65536)
def label_features(label: str, rule_type: str) -> tuple[str, ...]:
    """The features of a label and the rules' type for it: its words, head, shape, and what
    SciERC's lexicon says of its head and of the whole phrase (computed once per label)."""
    lexicon = lx.scierc()
    words = label.split()
    low = [w.lower().strip(",.;:()") for w in words]
    head = low[-1] if low else ""
    t = rule_type
    shape = _case(label)
    out = [
        "bias",
        f"t={t}",
        f"shape={shape}",
        f"t={t}|shape={shape}",
        f"nw={min(len(words), 5)}",
        f"t={t}|nw={min(len(words), 5)}",
        f"h={head}",
        f"t={t}|h={head}",
        f"f={low[0] if low else ''}",
        f"suf={head[-3:]}",
    ]
    out.extend(f"w={w}" for w in low)
    out.extend(f"ws={_shape(w)}" for w in words[:4])
    if _DIGIT.search(label):
        out.append("digit")
    if "-" in label:
        out.append("hyphen")
    for name, table in (("hd", lexicon["heads"].get(head)), ("ph", lexicon["phrases"].get(label.lower()))):
        if table:
            total = sum(table.values())
            best = max(table, key=lambda k: (table[k], k))
            out += [f"{name}={best}", f"{name}={best}|{min(total, 20) // 5}", f"t={t}|{name}={best}"]
        else:
            out.append(f"{name}=none")
    return tuple(out)


@dataclass(frozen=True, eq=False)  # compared by identity: its weights are a dict
class Model:
    """A multinomial logistic regression over feature strings: per feature, a weight per class."""

    classes: tuple[str, ...]
    weights: dict[str, Sequence[float]]
    threshold: float = 0.5
    #: The threshold for a candidate that only the broad noun-phrase finder proposes.
    broad_threshold: float = 0.5
    #: The chunk gate: a binary logistic regression over :func:`gate_features` that tells, before
    #: any other work, whether a broad noun-phrase candidate may be an entity at all.
    gate: dict[str, float] = field(default_factory=dict)
    #: The probability of being an entity under which the gate drops a chunk (0: keeps all).
    gate_threshold: float = 0.0
    #: The relation part: per feature of :func:`relation_features`, a weight per relation of
    #: :data:`RELATIONS` (empty: the rules' relations stand).
    relation_weights: dict[str, Sequence[float]] = field(default_factory=dict)
    # derived in __post_init__, declared so that a compiled class (mypyc) has a place for them
    _label_scores: dict[tuple[str, str], list[float]] = field(init=False, repr=False, compare=False)
    _gate_logit: float = field(init=False, repr=False, compare=False)
    _best_type: float = field(init=False, repr=False, compare=False)
    #: The gate's weights of the features every span has: bias, cut=before, cut=after, shape=
    #: (by :func:`_case`), nw= (by the number of words, 0 to 5).
    _gate_fixed: tuple[float, float, float] = field(init=False, repr=False, compare=False)
    _gate_shape: dict[str, float] = field(init=False, repr=False, compare=False)
    _gate_words: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_label_scores", {})
        p = self.gate_threshold
        object.__setattr__(self, "_gate_logit", math.log(p / (1 - p)) if 0 < p < 1 else -math.inf)
        types = [w for f, w in self.gate.items() if f.startswith("t=")]
        object.__setattr__(self, "_best_type", max([0.0, *types]))  # a type absent from the gate weighs 0
        get = self.gate.get
        fixed = (get("bias", 0.0), get("cut=before", 0.0), get("cut=after", 0.0))
        object.__setattr__(self, "_gate_fixed", fixed)
        shapes = {c: get(f"shape={c}", 0.0) for c in ("lower", "upper", "mixed")}
        object.__setattr__(self, "_gate_shape", shapes)
        object.__setattr__(self, "_gate_words", tuple(get(f"nw={k}", 0.0) for k in range(6)))

    def keeps_chunk(self, text: str, kind: str) -> bool:
        """Whether the gate keeps some span of the broad candidate ``text`` (typed ``kind`` by its
        head): :meth:`choose_chunk` finds one whose probability of being an entity is at least
        :attr:`gate_threshold`.

        >>> gated = Model(("none", "Method"), {}, gate={"bias": -1.0, "h=nets": 3.0}, gate_threshold=0.3)
        >>> [gated.keeps_chunk(text, "Method") for text in ("stochastic petri nets", "limited number")]
        [True, False]
        """
        return self.choose_chunk(text, kind) is not None

    def choose_chunk(self, text: str, kind: str) -> tuple[int, int, str] | None:
        """The span of the broad candidate ``text`` (typed ``kind`` by its head) that the gate
        finds likeliest to be an entity, as ``(start, end, type)`` in ``text``, if its probability
        reaches :attr:`gate_threshold`; the whole candidate where the model has no gate. The first
        of :func:`~papergraph.extract.terms.chunk_spans` with the highest sum of the weights of its
        :func:`gate_features`; a span whose other features cannot win even with the best type's
        weight is never typed (typing is the costly part).

        >>> gated = Model(("none", "Method"), {}, gate={"bias": -1.0, "cut=after": 1.0, "ca=network": 2.0},
        ...               gate_threshold=0.3)
        >>> gated.choose_chunk("Transformer network", "Method")
        (0, 11, 'Method')
        """
        gate = self.gate
        if not gate:
            return 0, len(text), kind
        get = gate.get
        words, ranges = span_ranges(text)
        n = len(words)
        low = text.lower()
        toks = [low[a:b] for a, b in words]
        # each word's weight as each feature of gate_features (0.0 where the gate has none): looked
        # up once per word, not once per span
        word_w = [get("w=" + t, 0.0) for t in toks]
        head_w = [get("h=" + t, 0.0) for t in toks]
        first_w = [get("f=" + t, 0.0) for t in toks]
        before_w = [get("cb=" + t, 0.0) for t in toks]
        after_w = [get("ca=" + t, 0.0) for t in toks]
        summed = [0.0]
        for w in word_w:
            summed.append(summed[-1] + w)
        bias, cut_before, cut_after = self._gate_fixed
        shapes, sizes = self._gate_shape, self._gate_words
        best_type: float = self._best_type
        # where lower-casing keeps every character in place, span.lower().split() (gate_features'
        # words) are toks[i:j]: the score is summed from the weights above, feature by feature in
        # gate_features' order (a feature the gate lacks adds 0.0), as gate_features sums it
        in_place = text.isascii()
        best, top = None, -math.inf
        for i, j in ranges:
            start, end = words[i][0], words[j - 1][1]
            span = text[start:end]
            shape_w, size_w = shapes[_case(span)], sizes[min(j - i, 5)]
            bound = bias + summed[j] - summed[i] + head_w[j - 1] + first_w[i]
            bound += shape_w + size_w + best_type
            if i:
                bound += cut_before + before_w[i - 1]
            if j < n:
                bound += cut_after + after_w[j]
            if bound + 1e-9 <= top:
                continue  # cannot win whatever its type
            k = kind if j - i == n else span_type(low[start:end], toks[j - 1])
            if in_place:
                score = bias + get("t=" + k, 0.0) + shape_w + size_w + head_w[j - 1] + first_w[i]
                for w in word_w[i:j]:
                    score += w
                if i:
                    score = score + cut_before + before_w[i - 1]
                if j < n:
                    score = score + cut_after + after_w[j]
            else:
                before = toks[i - 1] if i else ""
                after = toks[j] if j < n else ""
                score = sum(w for w in map(get, gate_features(span, k, before, after)) if w is not None)
            if score > top:
                best, top = (start, end, k), score
        return best if top >= self._gate_logit else None

    def forget(self) -> None:
        """Empty the per-label scores kept by :meth:`decide_candidate` (for measurements)."""
        self._label_scores.clear()

    def scores(self, feats: Iterable[str]) -> list[float]:
        """The summed weights of ``feats`` for each class."""
        return _summed(self.weights, feats, len(self.classes))

    def probabilities(self, feats: Iterable[str], base: Sequence[float] | None = None) -> list[float]:
        """P(class) for each of :attr:`classes` (``base``: scores already summed, added)."""
        scores = self.scores(feats)
        if base is not None:
            scores = [a + b for a, b in zip(scores, base, strict=True)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def decide(
        self, feats: Iterable[str], *, broad: bool = False, base: Sequence[float] | None = None
    ) -> str | None:
        """The candidate's type, or ``None`` when it is no entity of the graph (``broad``: only
        the broad noun-phrase finder proposes it; ``base``: scores of more features, summed)."""
        p = self.probabilities(feats, base)
        if p[0] >= (self.broad_threshold if broad else self.threshold):
            return None
        return self.classes[max(range(1, len(p)), key=p.__getitem__)]

    def decide_candidate(self, c: Candidate) -> str | None:
        """:meth:`decide` on :func:`features` of ``c``, its label's part summed once per label."""
        cache: dict[tuple[str, str], list[float]] = self._label_scores
        key = (c.label, c.rule_type)
        base = cache.get(key)
        if base is None:
            if len(cache) >= 65536:
                cache.clear()
            base = cache[key] = self.scores(label_features(c.label, c.rule_type))
        return self.decide(context_features(c), broad=c.found_by == ("chunk",), base=base)

    def relate(self, c: Candidate) -> str | None:
        """The relation of the paper to the entity ``c`` (one of :data:`RELATIONS`), or ``None``
        where the model has no relation part."""
        if not self.relation_weights:
            return None
        scores = _summed(self.relation_weights, relation_features(c), len(RELATIONS))
        return RELATIONS[max(range(len(RELATIONS)), key=scores.__getitem__)]

    def to_json(self) -> str:
        rows = {f: [round(x, 5) for x in w] for f, w in sorted(self.weights.items())}
        head = {"classes": self.classes, "threshold": self.threshold, "broad_threshold": self.broad_threshold}
        gate = {f: round(w, 5) for f, w in sorted(self.gate.items())}
        relations = {f: [round(x, 5) for x in w] for f, w in sorted(self.relation_weights.items())}
        parts = {"gate_threshold": self.gate_threshold, "weights": rows, "gate": gate, "relations": relations}
        return json.dumps({**head, **parts}) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        weights: dict[str, Sequence[float]] = {f: tuple(w) for f, w in data["weights"].items()}
        return cls(
            tuple(data["classes"]),
            weights,
            data["threshold"],
            data["broad_threshold"],
            data.get("gate", {}),
            data.get("gate_threshold", 0.0),
            {f: tuple(w) for f, w in data.get("relations", {}).items()},
        )


def _summed(weights: dict[str, Sequence[float]], feats: Iterable[str], width: int) -> list[float]:
    """The weights of ``feats`` (rows of ``width``) summed column by column; unknown ones weigh 0."""
    rows = [w for w in map(weights.get, feats) if w is not None]
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * width


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The model shipped with papergraph, or ``None`` where none is (the rules decide alone)."""
    path = resources.files("papergraph.extract").joinpath(_DATA)
    if not path.is_file():
        return None
    return Model.from_json(path.read_text(encoding="utf-8"))
