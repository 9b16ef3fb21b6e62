#!/usr/bin/env python3
"""Check that the tests of issue 8 (bad input, hostile text, interrupted builds) fail when a
protection is removed: each mutation below takes one protection out of the source, runs the tests
that should catch it, and puts the source back.

    python scripts/check_protections.py [NAME ...]     # all mutations by default; about 2 minutes

Prints CAUGHT or MISSED per mutation and exits 1 if any was missed. Run it from a clean checkout:
it edits files in src/ while it runs (and restores them, also on Ctrl-C).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> (file, text of the protection, what replaces it, tests that must fail)
MUTS: dict[str, tuple[str, str, str, str]] = {
    "html-text-unescaped": (
        "src/papergraph/export/html.py",
        "    return html.escape(value, quote=True)",
        "    return value",
        "tests/test_hostile_text.py",
    ),
    "script-json-unescaped": (
        "src/papergraph/export/html.py",
        "    return _JSON_ESCAPE_RE.sub("
        'lambda m: _JSON_ESCAPES.get(m.group(), f"\\\\u{ord(m.group()):04x}"), text)',
        "    return text",
        "tests/test_hostile_text.py",
    ),
    "ttl-quote-unescaped": (
        "src/papergraph/export/rdf.py",
        "    ord('\"'): '\\\\\"',\n",
        "",
        "tests/test_hostile_text.py",
    ),
    "graphml-cr": (
        "src/papergraph/export/networkx_graph.py",
        'fh.write(buf.getvalue().replace(b"\\r", b"&#13;"))',
        "fh.write(buf.getvalue())",
        "tests/test_hostile_text.py",
    ),
    "surrogate-scrub": (
        "src/papergraph/sources/record_checks.py",
        "    bad = [name for name, text in texts if not text.isascii() and _SURROGATE.search(text)]",
        "    bad = []",
        "tests/test_bad_input.py tests/test_hostile_text.py",
    ),
    "json-recursion": (
        "src/papergraph/sources/json_records.py",
        "        except RecursionError:\n"
        '            yield Problem(path, number, f"record {index}: line {number} {_TOO_DEEP}")\n'
        "            continue\n",
        "",
        "tests/test_bad_input.py",
    ),
    "nul-strip": (
        "src/papergraph/sources/decoding.py",
        '        body = raw.rstrip(b"\\x00")',
        "        body = raw",
        "tests/test_bad_input.py",
    ),
    "field-limits": (
        "src/papergraph/sources/record_checks.py",
        "    reason = _too_long(record, texts)",
        "    reason = None",
        "tests/test_bad_input.py",
    ),
    "reader-net": (
        "src/papergraph/sources/__init__.py",
        "    except (Exception, RecursionError) as exc:\n        _log.debug",
        "    except ZeroDivisionError as exc:\n        _log.debug",
        "tests/test_bad_input.py",
    ),
    "sniff-net": (
        "src/papergraph/sources/__init__.py",
        '    except (Exception, RecursionError):\n        _log.debug("%s: the %s sniffer failed"',
        '    except ZeroDivisionError:\n        _log.debug("%s: the %s sniffer failed"',
        "tests/test_bad_input.py",
    ),
    "extract-net": (
        "src/papergraph/run/pipeline.py",
        "        except (Exception, RecursionError) as exc:",
        "        except ZeroDivisionError as exc:",
        "tests/test_bad_input.py",
    ),
    "debug-flag": (
        "src/papergraph/cli/__init__.py",
        'p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)',
        'p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)',
        "tests/test_bad_input.py",
    ),
    "debug-log": (
        "src/papergraph/cli/__init__.py",
        "    if args.debug:\n        _log_debug()",
        "    pass",
        "tests/test_bad_input.py",
    ),
    "summary": (
        "src/papergraph/cli/build.py",
        "        print(terminal_safe(problem_summary(kg.problems, kg.files)), file=sys.stderr)",
        "        pass",
        "tests/test_bad_input.py",
    ),
    "warning-label": (
        "src/papergraph/cli/build.py",
        'kind = "skipped" if problem.skipped else "warning"',
        'kind = "skipped"',
        "tests/test_bad_input.py",
    ),
    "file-size": (
        "src/papergraph/sources/__init__.py",
        "        if size > MAX_FILE_BYTES:",
        "        if False:",
        "tests/test_bad_input.py",
    ),
    "utf16-nobom": (
        "src/papergraph/sources/decoding.py",
        "    elif encoding := _bomless_utf16(raw[:_SAMPLE]):",
        "    elif encoding := None:",
        "tests/test_bad_input.py",
    ),
    "terminal-safe": (
        "src/papergraph/cli/common.py",
        "    return _TERMINAL_CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)",
        "    return text",
        "tests/test_bad_input.py",
    ),
    "staging": (
        "src/papergraph/cli/build.py",
        "            done = write_outputs(kg, staging, formats,",
        "            done = write_outputs(kg, out, formats,",
        "tests/test_interrupted_build.py",
    ),
}


def check(name: str) -> bool:
    path, old, new, tests = MUTS[name]
    source = ROOT / path
    original = source.read_text(encoding="utf-8")
    if original.count(old) != 1:
        raise SystemExit(f"{name}: the protection is no longer in {path} as written here; update MUTS")
    source.write_text(original.replace(old, new), encoding="utf-8")
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests.split()],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        source.write_text(original, encoding="utf-8")
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    print(f"{name:24s} {'CAUGHT' if run.returncode else 'MISSED'} {failed[0] if failed else ''}", flush=True)
    return run.returncode != 0


def main() -> int:
    names = sys.argv[1:] or list(MUTS)
    missed = [name for name in names if not check(name)]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
