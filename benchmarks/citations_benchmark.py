"""Reference matching at scale: time, comparisons, precision and recall of papergraph.resolve.citations.

    python benchmarks/citations_benchmark.py [--sizes 1000 10000 100000] [--refs 10]

For each size N, N papers get generated titles (6-12 words drawn Zipf-like from the words of the
real exports in ../shared/inputs, so some words are very common and most are rare), years and
first authors. Each paper then has ``--refs`` references written in the Scopus style: 20 % cite a
paper of the graph (its title re-cased, re-punctuated, and for a third of them with one typo),
5 % are hard negatives (a paper's title with one word changed, or the right title with another
first author and year), the rest cite works outside the graph. Every reference goes through
``citation_edges`` (parse, block, rapidfuzz, external-work keys); the result is compared with
what was generated. Writes benchmarks/results/citations.json.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
INPUTS = HERE.parent.parent / "shared" / "inputs"
RESULTS = HERE / "results" / "citations.json"
SIZES = (1_000, 10_000, 100_000)

from machine import cpu_model  # noqa: E402

import papergraph.resolve.citations as citations  # noqa: E402
from papergraph.model import Paper  # noqa: E402

STOP = set(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "this",
        "that",
        "are",
        "was",
        "were",
        "which",
        "have",
        "has",
        "been",
        "their",
        "these",
        "into",
        "using",
    ]
)


def vocabulary() -> list[str]:
    """Words of the real exports, most frequent first (function words left out: titles get a few
    of their own in :func:`title`)."""
    words: dict[str, int] = {}
    for path in sorted(INPUTS.glob("*")):
        for w in re.findall(r"[A-Za-z][a-z]{3,}", path.read_text(encoding="utf-8-sig", errors="replace")):
            if w.lower() not in STOP:
                words[w.lower()] = words.get(w.lower(), 0) + 1
    return sorted(words, key=lambda w: (-words[w], w))


def surnames(rng: random.Random, n: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "sto", "va", "bel", "tur", "ni", "gor", "sha", "pe", "dri", "mo"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize() for _ in range(n)]


def title(rng: random.Random, vocab: list[str]) -> str:
    n = rng.randint(5, 10)
    words = [vocab[min(int(rng.paretovariate(0.5)) - 1, len(vocab) - 1)] for _ in range(n)]
    for _ in range(rng.randint(0, 3)):
        words.insert(rng.randrange(1, len(words)), rng.choice(("of", "for", "and", "in", "with", "the")))
    return " ".join(words).capitalize()


def typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :] if text[i].isalpha() else text


def generate(n: int, refs: int, seed: int = 1):
    rng = random.Random(seed)
    vocab = vocabulary()
    names = surnames(rng, 5000)
    papers = []
    for i in range(n):
        year = rng.randint(1980, 2024)
        papers.append(
            Paper(
                f"paper/{i}", "", title(rng, vocab), "", date=str(year), authors=(f"{rng.choice(names)} A.",)
            )
        )
    citing, truth = [], {}
    for p in papers:
        lst = []
        for _ in range(refs):
            r = rng.random()
            if r < 0.20:
                q = papers[rng.randrange(n)]
                t = q.title.lower() if rng.random() < 0.5 else q.title.title()
                t = typo(t, rng) if rng.random() < 1 / 3 else t
                text = f"{q.authors[0].split()[0]}, A., {t} ({q.date}) J Test, 12, pp. 1-10"
                truth[text] = q.key
            elif r < 0.25:
                q = papers[rng.randrange(n)]
                if rng.random() < 0.5:
                    words = q.title.split()
                    words[rng.randrange(len(words))] = rng.choice(vocab[200:])
                    text = f"{q.authors[0].split()[0]}, A., {' '.join(words)} ({q.date}) J Test, 12"
                else:
                    text = f"{rng.choice(names)}, B., {q.title} ({int(q.date) + 5}) J Test, 12"
                truth.setdefault(text, None)
            else:
                text = f"{rng.choice(names)}, C., {title(rng, vocab)} ({rng.randint(1950, 2024)}) Other J, 3"
                truth.setdefault(text, None)
            lst.append(text)
        citing.append((p.key, lst, []))
    return papers, citing, truth


def run(n: int, refs: int) -> dict:
    papers, citing, truth = generate(n, refs)
    calls = 0
    original = citations.PaperIndex.candidates

    def counting(self, title):  # type: ignore[no-untyped-def]
        nonlocal calls
        found = original(self, title)
        calls += len(found)
        return found

    citations.PaperIndex.candidates = counting  # type: ignore[method-assign]
    t0 = time.perf_counter()
    edges, works, reasons = citations.citation_edges(citing, papers)
    seconds = time.perf_counter() - t0
    citations.PaperIndex.candidates = original  # type: ignore[method-assign]
    index = citations.PaperIndex(papers)
    tp = fp = fn = 0
    for text, expected in truth.items():
        found = index.match(citations.parse(text)).paper
        if found is not None and found == expected:
            tp += 1
        elif found is not None:
            fp += 1
        if expected is not None and found != expected:
            fn += 1
    total = sum(len(lst) for _, lst, _ in citing)
    return {
        "papers": n,
        "references": total,
        "distinct_references": len(truth),
        "cites_edges": len(edges),
        "external_works": len(works),
        "matched": {k: v for k, v in sorted(reasons.items())},
        "title_comparisons": calls,
        "comparisons_per_reference": round(calls / len(truth), 2),
        "seconds": round(seconds, 2),
        "microseconds_per_reference": round(seconds / total * 1e6, 1),
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--refs", type=int, default=10)
    ap.add_argument("--out", type=Path, default=RESULTS)
    a = ap.parse_args(argv)
    rows = []
    for n in a.sizes:
        rows.append(run(n, a.refs))
        print(json.dumps(rows[-1]), file=sys.stderr)
    import platform

    result = {
        "benchmark": "papergraph.resolve.citations.citation_edges on generated Scopus-style references",
        "command": "python benchmarks/citations_benchmark.py " + " ".join(sys.argv[1:]),
        "machine": {"cpu": cpu_model(), "python": platform.python_version()},
        "rows": rows,
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
