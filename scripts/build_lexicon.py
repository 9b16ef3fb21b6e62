#!/usr/bin/env python3
"""Build papergraph's typing lexicon from SciERC (../shared/train/scierc), Apache-2.0.

    python scripts/build_lexicon.py ../shared/train/scierc src/papergraph/extract/data/scierc_lexicon.json

For every annotated span it counts the types of the span's head word (its last word) and of
the whole lower-cased phrase. ``extract.typing`` reads the result to type common-noun phrases
("image classification" -> Task, "beam search" -> Method). Generic spans ("this approach") are
counted too, so a head that is mostly generic ("method", "approach") is known to be one.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

TYPES = {
    "Method": "Method",
    "Task": "Task",
    "Metric": "Metric",
    "Material": "Dataset",
    "Generic": "Generic",
    "OtherScientificTerm": "Other",
}


def spans(path: Path):
    current: list[str] = []
    kind = None
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 4 or parts[0] == "-DOCSTART-":
            if current:
                yield " ".join(current), kind
            current, kind = [], None
            continue
        token, tag = parts[0], parts[3]
        t = tag[2:] if tag != "O" else None
        if t != kind and current:
            yield " ".join(current), kind
            current = []
        kind = t
        if t:
            current.append(token)
        else:
            current = []
    if current:
        yield " ".join(current), kind


def main() -> int:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    heads: dict[str, Counter] = defaultdict(Counter)
    outside: Counter = Counter()
    inside: Counter = Counter()
    phrases: dict[str, Counter] = defaultdict(Counter)
    for name in ("ner_train.conll", "ner_dev.conll", "ner_test.conll"):
        for line in (src / name).read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[0] != "-DOCSTART-" and parts[0].isalpha():
                (outside if parts[3] in ("O", "I-Generic") else inside)[parts[0].lower()] += 1
        for text, kind in spans(src / name):
            t = TYPES[kind]
            words = text.lower().split()
            heads[words[-1]][t] += 1
            if 1 < len(words) <= 5:
                phrases[" ".join(words)][t] += 1
    data = {
        "source": "SciERC (Luan et al. 2018), train+dev+test, via allenai/scibert, Apache-2.0",
        "heads": {h: dict(sorted(c.items())) for h, c in sorted(heads.items()) if sum(c.values()) >= 2},
        "phrases": {p: dict(sorted(c.items())) for p, c in sorted(phrases.items())},
        # words seen at least 3 times, never inside an entity span: verbs, adverbs, evaluative adjectives
        "non_entity_words": sorted(w for w, n in outside.items() if n >= 3 and not inside[w]),
    }
    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{len(data['heads'])} heads, {len(data['phrases'])} phrases, "
        f"{len(data['non_entity_words'])} non-entity words -> {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
