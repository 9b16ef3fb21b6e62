"""The learned decision on extraction's candidates: is a candidate an entity, and of which type.

The rules find candidates (names, acronym definitions, noun-phrase terms, cue patterns) and group
a paper's mentions of one thing; each group is described by the strings of :func:`features` (its
shape and words, the words around its first mention, the rules' type and relations, whether the
title names it, how often the abstract repeats it, what SciERC's lexicon says of its head). A
multinomial logistic regression over those strings, trained by ``scripts/train_extractor.py`` on
annotated papers, gives each group a probability per class (``none`` and the four entity types);
a group is kept when ``none`` is less likely than :attr:`Model.threshold` says, with the most
likely type.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from papergraph.extract import lexicon as lx

__all__ = ["CLASSES", "Candidate", "Model", "features", "model"]

#: The classes the model tells apart; ``none``: not an entity of the graph.
CLASSES = ("none", "Method", "Dataset", "Metric", "Task")
_DATA = "data/decision_model.json"


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the rules know of one group of a paper's mentions, for the decision.

    ``label`` is the group's label, ``forms`` every surface form, ``rule_type`` the rules' type,
    ``relations`` the relations the rules found for it, ``mentions`` how often the text names it,
    ``first`` where it is first named (0 to 1 through the text), ``in_title`` whether the title
    names it, ``defined`` whether an acronym definition gives it, ``weak`` whether the rules took it
    for a description said once, ``before``/``after`` the words around its first mention,
    ``found_by`` the finders of its mentions (``abbr``, ``name``, ``cue``, ``phrase``, ``chunk``).
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


def _shape(text: str) -> str:
    """``Xx``-style shape of a word, runs collapsed: "LoRA" -> "XxX", "GPT-4" -> "X-d"."""
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


def _case(label: str) -> str:
    return "lower" if label.islower() else "upper" if label.isupper() else "mixed"


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
    if any(ch.isdigit() for ch in label):
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "_label_scores", {})

    def forget(self) -> None:
        """Empty the per-label scores kept by :meth:`decide_candidate` (for measurements)."""
        self._label_scores.clear()  # type: ignore[attr-defined]

    def scores(self, feats: Iterable[str]) -> list[float]:
        """The summed weights of ``feats`` for each class."""
        rows = [w for w in map(self.weights.get, feats) if w is not None]
        return [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * len(self.classes)

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
        cache: dict[tuple[str, str], list[float]] = self._label_scores  # type: ignore[attr-defined]
        key = (c.label, c.rule_type)
        base = cache.get(key)
        if base is None:
            if len(cache) >= 65536:
                cache.clear()
            base = cache[key] = self.scores(label_features(c.label, c.rule_type))
        return self.decide(context_features(c), broad=c.found_by == ("chunk",), base=base)

    def to_json(self) -> str:
        rows = {f: [round(x, 5) for x in w] for f, w in sorted(self.weights.items())}
        head = {"classes": self.classes, "threshold": self.threshold, "broad_threshold": self.broad_threshold}
        return json.dumps({**head, "weights": rows}) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        weights = {f: tuple(w) for f, w in data["weights"].items()}
        return cls(tuple(data["classes"]), weights, data["threshold"], data["broad_threshold"])


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The model shipped with papergraph, or ``None`` where none is (the rules decide alone)."""
    path = resources.files("papergraph.extract").joinpath(_DATA)
    if not path.is_file():
        return None
    return Model.from_json(path.read_text(encoding="utf-8"))
