#!/usr/bin/env python3
"""Time entity resolution on 10k, 100k and 1M surface forms and record the growth.

    python benchmarks/resolve_benchmark.py                 # 10k, 100k, 1M; writes results/resolve.json
    python benchmarks/resolve_benchmark.py --sizes 10000   # any sizes

Not part of the test run. Each size runs in a fresh subprocess, so that the peak memory it reports
(``ru_maxrss``) belongs to that size alone; the table gives the wall time of the whole entity
resolution (:func:`papergraph.resolve.entities.resolve_entity_forms`: clustering, labels, keys, families and
the explanation of every merge), the number of rapidfuzz comparisons the blocking let through, and
the peak resident memory of the process (input names included) and the part of it that resolution
added on top of the generated input.

Names are generated from the reference corpus (see :func:`generate`): half are real names renamed
the way ``../shared/bench/make_corpus.py`` does (a family suffix drawn from a Zipf-like distribution:
``LoRA-17``, ``LoRA17``, ``LoRA 17``), so the number of distinct entities grows with the input; a
third are new Title Case phrases composed from the corpus's words, the hard case for blocking (many
names with the same first letters and no numbers); the rest are versions and checkpoints
(``Llama-2``, ``Llama 2-7B``). Then surface variation: case (``LORA-17``, ``lora-17``), hyphens and
spaces, plurals, one-letter typos in long names, and acronym definitions for multi-word names.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = HERE / "results" / "resolve.json"
SIZES = (10_000, 100_000, 1_000_000)

# make_corpus.py's name pattern, plus Title Case runs of two to four words
_NAME = re.compile(r"\b(?:[A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[A-Z]{2,})(?:-[A-Za-z0-9.]+)*\b")
_PHRASE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3}\b")
_FALLBACK = ["LoRA", "GPT-4", "ImageNet", "CIFAR-10", "Low-Rank Adaptation", "Mixture of Experts", "BERT"]


def base_names() -> list[str]:
    """Distinct real names from the reference corpus, most frequent first."""
    counts: dict[str, int] = {}
    for path in sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        for pattern in (_NAME, _PHRASE):
            for m in pattern.finditer(text):
                counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    names = sorted(counts, key=lambda n: (-counts[n], n))
    return names or _FALLBACK


def _typo(name: str, rng: random.Random) -> str:
    letters = [i for i in range(2, len(name) - 2) if name[i].isalpha()]
    if len(name) < 10 or not letters:
        return name
    i = rng.choice(letters)
    return name[:i] + name[i + 1 :]


def _words() -> list[str]:
    """Words of the corpus's names and Title Case phrases, most frequent first."""
    counts: dict[str, int] = {}
    for name in base_names():
        for w in re.split(r"[ -]", name):
            if len(w) >= 3 and w.isalpha():
                counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w)) or ["Adaptive", "Network", "Learning"]


def _pick(items: list[str], rng: random.Random, alpha: float) -> str:
    return items[min(int(rng.paretovariate(alpha)) - 1, len(items) - 1)]


def generate(n: int, seed: int = 1) -> tuple[list, list[tuple[str, str, str]]]:
    """``n`` (paper key, Relation) pairs and the acronym definitions among them.

    Half the names are corpus names renamed with a family suffix (make_corpus.py's scheme), a third
    are new Title Case phrases composed from the corpus's words ("Sparse Prompt Distillation"), so
    that many names share their first letters and no numbers (the hard case for blocking), and the
    rest are checkpoints and versions (``Llama2-7B``, ``GPT-4``).
    """
    from papergraph.model import Evidence, Mention, Relation

    rng = random.Random(seed)
    bases = base_names()
    words = _words()
    vocab = max(10, n // 5)
    evidence = Evidence("", 0, 0)
    uses = []
    definitions = []
    for i in range(n):
        r = rng.random()
        if r < 0.5:
            base = _pick(bases, rng, 0.4)
            k = min(int(rng.paretovariate(0.8)), vocab)
            styles = [f"{base}-{k}", f"{base}{k}", f"{base} {k}", f"{base.lower()}-{k}"]
            name = base if k <= 1 else styles[0] if rng.random() < 0.8 else rng.choice(styles)
        elif r < 0.85:
            base = " ".join(_pick(words, rng, 0.3) for _ in range(rng.randint(2, 4)))
            name = base
        else:
            base = _pick(bases, rng, 0.6)
            name = f"{base}{rng.choice(('', '-', ' '))}{rng.randint(1, 5)}"
            if rng.random() < 0.5:
                name += f"-{rng.choice((1, 3, 7, 8, 13, 70))}B"
        r = rng.random()
        if r < 0.10:
            name = name.upper()
        elif r < 0.20:
            name = name.lower()
        r = rng.random()
        if r < 0.10:
            name = name.replace("-", " ")
        elif r < 0.15:
            name = name.replace(" ", "-")
        if rng.random() < 0.05:
            name += "s"
        if rng.random() < 0.03:
            name = _typo(name, rng)
        paper = f"paper/{i // 10}"
        aliases: tuple[str, ...] = ()
        parts = [w for w in re.split(r"[ -]", name) if w]
        if len(parts) >= 2 and all(w[0].isalpha() for w in parts) and rng.random() < 0.2:
            acronym = "".join(w[0] for w in parts).upper()
            aliases = (acronym,)
            definitions.append((paper, acronym, name))
        kind = "Dataset" if rng.random() < 0.2 else "Method"
        uses.append((paper, Relation("uses", Mention(name, kind, 0, len(name)), evidence, aliases)))
    return uses, definitions


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(n: int, block_cap: int | None = None) -> dict:
    """Generate ``n`` names, resolve them, and report time, comparisons and memory."""
    from papergraph.resolve import entities
    from papergraph.resolve import names as resolve

    if block_cap is not None:
        resolve.BLOCK_CAP = block_cap

    uses, definitions = generate(n)
    before = _rss_mb()
    comparisons = 0
    original = resolve._fuzzy_ok

    def counting(a: str, b: str, threshold: float) -> float | None:
        nonlocal comparisons
        comparisons += 1
        return original(a, b, threshold)

    resolve._fuzzy_ok = counting
    t0 = time.perf_counter()
    found = entities.resolve_entity_forms(uses, definitions)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keys = len(found.by_key)
    sizes = sorted((len(b) for b in resolve.fuzzy_blocks(found.by_key).values()), reverse=True)
    return {
        "names": n,
        "distinct_forms": keys,
        "entities": len(found.entities),
        "merged_entities": len({m.entity for m in found.merges}),
        "fuzzy_comparisons": comparisons,
        "blocks": len(sizes),
        "largest_block": sizes[0] if sizes else 0,
        "blocks_over_cap": sum(1 for b in sizes if b > resolve.BLOCK_CAP),
        "seconds": round(seconds, 2),
        "microseconds_per_name": round(seconds / n * 1e6, 1),
        "peak_rss_mb": round(peak, 1),
        "rss_before_resolution_mb": round(before, 1),
        "resolution_memory_mb": round(peak - before, 1),
    }


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib import metadata

    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "rapidfuzz": metadata.version("rapidfuzz"),
    }


def table(rows: list[dict]) -> str:
    head = (
        "| names | distinct forms | entities | largest block (blocks > cap) | fuzzy comparisons | seconds "
        "| µs / name | peak RSS (MB) | added by resolution (MB) |"
    )
    lines = [head, "|" + "---:|" * 9]
    for r in rows:
        lines.append(
            f"| {r['names']:,} | {r['distinct_forms']:,} | {r['entities']:,} "
            f"| {r['largest_block']:,} ({r['blocks_over_cap']:,}) | {r['fuzzy_comparisons']:,} "
            f"| {r['seconds']:.2f} | {r['microseconds_per_name']:.1f} | {r['peak_rss_mb']:,.0f} "
            f"| {r['resolution_memory_mb']:,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument(
        "--block-cap",
        type=int,
        help="compare blocks up to this size all-pairs (default: papergraph's BLOCK_CAP); a huge value "
        "shows what the cap saves",
    )
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(child(a.child, a.block_cap)))
        return 0
    rows = []
    for n in a.sizes:
        cap = ["--block-cap", str(a.block_cap)] if a.block_cap is not None else []
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), *cap], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"{n:>10,} names: {rows[-1]['seconds']:.2f} s", file=sys.stderr)
    result = {
        "benchmark": "papergraph.resolve.resolve_entity_forms on generated surface forms",
        "command": "python benchmarks/resolve_benchmark.py"
        + (f" --block-cap {a.block_cap}" if a.block_cap is not None else ""),
        "block_cap": a.block_cap,
        "machine": machine(),
        "rows": rows,
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    m = result["machine"]
    print(f"\n{m['cpu']}, {m['cores']} cores, {m['memory']}; ", end="")
    print(f"Python {m['python']}, rapidfuzz {m['rapidfuzz']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
