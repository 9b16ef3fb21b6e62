#!/usr/bin/env python3
"""Extraction speed: abstracts per second on one core, extraction alone (no reading, no resolution).

    python benchmarks/extract_speed.py [--repeat 5] [--synthetic 10000] [--extractor rules|learned]

Measures on every distinct real abstract in ../shared (the reference corpus and the SciREX dev
abstracts), each pass with the per-sentence caches cleared so that no sentence is seen twice, and
on a synthetic corpus from ../shared/bench/make_corpus.py (whose sentences repeat, as sentences
of a large real corpus do not: reported separately). The process is set up as a build's worker
processes are (``papergraph.run.parallel``): lexicons loaded, then frozen out of the cyclic garbage
collector's view (``gc.freeze``). Prints a table and writes benchmarks/results/extract_speed.json,
with the extraction modules that ran compiled (docs/compiled.md; none from a source checkout).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_model  # benchmarks/machine.py (run as scripts from the project root)

from papergraph.compiled import compiled_modules
from papergraph.extract import decision, extract, mentions, relations
from papergraph.sources import read_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def clear_sentence_caches() -> None:
    """Forget what was computed per sentence, and per label for the learned decision (a label seen
    in an earlier pass would otherwise cost one look-up)."""
    for cached in (mentions.tokens, relations.sentence_cues, relations.naming_cues, decision.label_features):
        cached.cache_clear()
    learned = decision.model()
    if learned is not None:
        learned.forget()


def rate(records: list, repeat: int, decide: str = "rules") -> tuple[float, list[float]]:
    rates = []
    for _ in range(repeat):
        clear_sentence_caches()
        start = time.perf_counter()
        for record in records:
            extract(record, decide)
        rates.append(len(records) / (time.perf_counter() - start))
    return statistics.median(rates), rates


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=10000, help="papers in the synthetic corpus (0: skip)")
    ap.add_argument(
        "--extractor",
        choices=("rules", "learned"),
        default="rules",
        help="the decision measured (build --extractor)",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "extract_speed.json")
    args = ap.parse_args()
    real = list(read_paths([SHARED / "corpus", SHARED / "eval" / "scirex_dev.jsonl"]).records)
    # one warm-up pass loads the lexicons and fills the token-level caches, as in any long run;
    # then what is loaded is frozen out of the collector's view, as a build's worker processes do
    for record in real:
        extract(record, args.extractor)
    gc.freeze()
    rows = []
    median, runs = rate(real, args.repeat, args.extractor)
    rows.append(
        {
            "corpus": "real abstracts (corpus + SciREX dev)",
            "abstracts": len(real),
            "abstracts_per_second": round(median),
            "runs": [round(r) for r in runs],
        }
    )
    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "synthetic.jsonl"
            subprocess.run(
                [
                    sys.executable,
                    str(SHARED / "bench" / "make_corpus.py"),
                    "--papers",
                    str(args.synthetic),
                    "--out",
                    str(path),
                ],
                check=True,
            )
            synthetic = list(read_paths([path]).records)
        median, runs = rate(synthetic, 1, args.extractor)
        rows.append(
            {
                "corpus": f"synthetic ({args.synthetic:,} papers, make_corpus.py)",
                "abstracts": len(synthetic),
                "abstracts_per_second": round(median),
                "runs": [round(r) for r in runs],
            }
        )
    result = {
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version()},
        "extractor": args.extractor,
        # the extraction modules imported compiled (docs/compiled.md): none from a source checkout
        "compiled": compiled_modules(),
        "results": rows,
    }
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, "
        f"Python {result['machine']['python']}; "
        f"{len(result['compiled'])} extraction modules compiled"
    )
    print(f"{'corpus':<48}{'abstracts':>10}{'per second':>12}")
    for row in rows:
        print(f"{row['corpus']:<48}{row['abstracts']:>10,}{row['abstracts_per_second']:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
