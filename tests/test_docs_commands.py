"""The commands of the documentation, run, so that the documentation cannot drift from the code.

The convention for fenced blocks in ``README.md`` and ``docs/*.md`` (also in docs/contributing.md):

- ```` ```bash ```` blocks are commands, and this test runs them: each block in its own ``bash -e``, in
  order, all the blocks of one file sharing one temporary working folder (so that ``papergraph build``
  in an early block makes ``exports/graph.ttl`` for the later ones). One test case per block, named
  ``FILE:LINE``; it fails with the commands and their output when the block exits with anything but 0.
- ```` ```python ```` blocks run too, in the same folder, with the interpreter running the tests.
- ```` ```console ````, ```` ```text ```` and every other block are shown, not run (output, synopses,
  ``papergraph serve`` which runs until stopped, ``papergraph push`` which needs a triple store,
  commands on the developers' ``../shared``). Their ``papergraph`` command lines are still checked:
  the subcommand exists and each ``--option`` is one that ``papergraph SUBCOMMAND --help`` lists.
- The command lines of ```` ```bash ```` blocks that match a pattern of :data:`NOT_RUN` are not run,
  for the reason given there; the extras that any ``pip install ".[EXTRA]"`` of the documentation
  names must exist in ``pyproject.toml``.

The commands run with the ``papergraph`` installed beside ``sys.executable`` (its folder comes first
on ``PATH``). The files the README's "your own exports" example reads are copied into every working
folder from ``tests/data/exports`` (:data:`SAMPLES`; provenance in ``tests/data/exports/SOURCES.md``).
Nothing reaches the network: the blocks run with HTTP(S) proxies pointing at a closed local port.

Also checked here: every relative link of the documentation names a file that exists (and a heading
that exists, for a ``#fragment`` into a Markdown file), and ``README.md`` stays under 250 lines
without mentioning the developers' ``../shared``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = Path(__file__).resolve().parent / "data" / "exports"

#: Pages whose blocks are run (in this order of files; blocks in the order of the page).
RUN_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Pages whose links are checked.
LINK_PAGES = [*RUN_PAGES, ROOT / "benchmarks" / "README.md", ROOT / "ontologies" / "README.md"]

#: Command lines of ```bash blocks that are not run, each with its reason.
NOT_RUN: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^\s*pip install\b"),
        "installs into the environment that runs the tests (the extras it names are checked "
        "against pyproject.toml by test_pip_install_names_existing_extras)",
    ),
    (re.compile(r"^\s*python -m pytest\b"), "runs the test suite, which is what is running this test"),
]

#: Files the documentation's examples read, copied into each working folder: name used -> sample.
SAMPLES = {
    "scopus.csv": "scopus_sample.csv",
    "library.bib": "library_sample.bib",
    "openalex.json": "openalex_page.json",
}

RUN_LANGUAGES = {"bash", "python"}
TIMEOUT_S = 300  # per block; building the example corpus takes 1 to 3 s
README_MAX_LINES = 250
CLOSED_PORT_PROXY = "http://127.0.0.1:9"


# ---- reading the pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page, with their language (the info string's first word)."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening or "`" in opening["info"]:
            i += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        language = (opening["info"].split() or [""])[0].lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = _FENCE.match(lines[j])
            if closing and closing["fence"][0] == fence[0] and len(closing["fence"]) >= len(fence) \
                    and not closing["info"].strip():
                break
            line = lines[j]
            body.append(line[indent:] if not indent or line[:indent].isspace() else line.lstrip())
            j += 1
        found.append(Block(page, i + 1, language, "\n".join(body) + "\n"))
        i = j + 1
    return found


def outside_blocks(page: Path) -> list[str]:
    """The lines of a page that are not inside a fenced code block."""
    lines = page.read_text(encoding="utf-8").splitlines()
    inside = set()
    for block in blocks(page):
        inside.update(range(block.line - 1, block.line + block.text.count("\n") + 1))
    return [line for n, line in enumerate(lines) if n not in inside]


RUNNABLE = [b for page in RUN_PAGES for b in blocks(page) if b.language in RUN_LANGUAGES]
SHOWN = [b for page in RUN_PAGES for b in blocks(page) if b.language not in RUN_LANGUAGES]


# ---- running the blocks -----------------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
        env[name] = CLOSED_PORT_PROXY
    env["NO_PROXY"] = env["no_proxy"] = ""
    env.pop("PYTHONPATH", None)
    return env


def _not_run(line: str) -> str | None:
    for pattern, reason in NOT_RUN:
        if pattern.search(line):
            return reason
    return None


def script_of(block: Block) -> tuple[str, list[str]]:
    """The bash script to run for a block, and the command lines left out (with their reasons)."""
    kept, left_out = [], []
    for line in block.text.splitlines():
        reason = _not_run(line)
        if reason is None:
            kept.append(line)
        else:
            assert not line.rstrip().endswith("\\"), f"{block.name}: a line not run may not continue: {line}"
            kept.append(":  # not run")
            left_out.append(f"{line.strip()}  ({reason})")
    return "\n".join(kept) + "\n", left_out


@dataclass
class PageRun:
    folder: Path
    done: int = 0  # blocks of the page run so far
    failed: str | None = None  # name of the block that failed, if one did


def _run(block: Block, folder: Path) -> tuple[int, str, list[str]]:
    env = _environment()
    if block.language == "python":
        command, left_out = [sys.executable, "-c", block.text], []
    else:
        script, left_out = script_of(block)
        command = ["bash", "-e", "-c", script]
    try:
        done = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        return -1, f"timed out after {TIMEOUT_S} s\n{exc.stdout or ''}{exc.stderr or ''}", left_out
    return done.returncode, done.stdout + done.stderr, left_out


def _failure(block: Block, code: int, output: str) -> str:
    numbered = "\n".join(
        f"{block.line + n:5d}  {line}" for n, line in enumerate(block.text.splitlines(), start=1)
    )
    return (
        f"the {block.language} block at {block.name} exited with {code}\n"
        f"--- commands ---\n{numbered}\n--- output ---\n{output.rstrip()}"
    )


@pytest.fixture(scope="session")
def page_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, PageRun]:
    papergraph = Path(sys.executable).parent / ("papergraph.exe" if os.name == "nt" else "papergraph")
    if not papergraph.exists():
        pytest.fail(f"no papergraph command beside {sys.executable}: install the project (pip install -e .)")
    runs = {}
    for page in RUN_PAGES:
        folder = tmp_path_factory.mktemp(page.stem)
        for name, sample in SAMPLES.items():
            shutil.copyfile(EXPORTS / sample, folder / name)
        runs[page] = PageRun(folder)
    return runs


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_block_runs(block: Block, page_runs: dict[Path, PageRun]) -> None:
    run = page_runs[block.page]
    page_blocks = [b for b in RUNNABLE if b.page == block.page]
    index = page_blocks.index(block)
    # Blocks before this one set up its folder; they run here when this case runs alone (-k).
    while run.done < index:
        earlier = page_blocks[run.done]
        if run.failed is None:
            code, output, _ = _run(earlier, run.folder)
            if code != 0:
                run.failed = earlier.name
                pytest.fail(f"an earlier block failed, setting up:\n{_failure(earlier, code, output)}")
        run.done += 1
    if run.failed is not None:
        pytest.fail(f"not run: the earlier block {run.failed} of this page failed (see its test)")
    code, output, left_out = _run(block, run.folder)
    run.done = index + 1
    if code != 0:
        run.failed = block.name
        pytest.fail(_failure(block, code, output))
    if left_out:
        print(f"{block.name}: not run:\n  " + "\n  ".join(left_out))


# ---- shown command lines ----------------------------------------------------------------------


_HELP: dict[str, str] = {}


def _help(subcommand: str | None) -> str:
    key = subcommand or ""
    if key not in _HELP:
        papergraph = str(Path(sys.executable).parent / "papergraph")
        args = [papergraph, subcommand, "--help"] if subcommand else [papergraph, "--help"]
        done = subprocess.run(args, capture_output=True, text=True, env=_environment(), check=False)
        _HELP[key] = done.stdout if done.returncode == 0 else ""
    return _HELP[key]


def command_lines(block: Block) -> list[tuple[int, str]]:
    """The ``papergraph`` command lines of a shown block (``$ `` prompts removed, continuation lines
    of a synopsis joined, comments dropped), with their line numbers in the page."""
    found: list[tuple[int, str]] = []
    for n, raw in enumerate(block.text.splitlines(), start=block.line + 1):
        line = raw.removeprefix("$ ")
        if re.match(r"papergraph(\s|$)", line):
            found.append((n, line))
        elif found and raw.startswith(" ") and found[-1][0] == n - 1 and raw.strip().startswith("["):
            found[-1] = (n, found[-1][1] + " " + raw.strip())
    return [(n, re.sub(r"\s#\s.*$", "", line)) for n, line in found]


def test_shown_papergraph_commands_use_existing_options() -> None:
    subcommands = set(re.findall(r"^    ([a-z][a-z-]+)\s", _help(None), flags=re.M))
    assert {"build", "query", "serve"} <= subcommands, _help(None)
    wrong = []
    for block in SHOWN:
        for n, line in command_lines(block):
            words = line.split()[1:]
            while words and words[0].startswith("--"):  # global options: papergraph --debug COMMAND
                words.pop(0)
            if not words or words[0] == "COMMAND":
                continue
            sub = words[0]
            where = f"{block.page.relative_to(ROOT).as_posix()}:{n}"
            if sub not in subcommands:
                wrong.append(f"{where}: no subcommand {sub!r}: {line}")
                continue
            known = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", _help(sub)))
            for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", " ".join(words[1:])):
                if option not in known:
                    wrong.append(f"{where}: papergraph {sub} has no option {option}: {line}")
    assert not wrong, "shown commands that papergraph would refuse:\n" + "\n".join(wrong)


def test_pip_install_names_existing_extras() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(pyproject["project"]["optional-dependencies"])
    install = re.compile(r"pip install (?:-e )?[\"']?\.\[([a-z][a-z0-9,-]*)\]")  # not placeholders
    named = {
        (page.relative_to(ROOT).as_posix(), extra)
        for page in LINK_PAGES
        for group in install.findall(page.read_text(encoding="utf-8"))
        for extra in group.split(",")
    }
    assert named, "no pip install of an extra found in the documentation"
    unknown = sorted(f"{page}: .[{extra}]" for page, extra in named if extra not in extras)
    assert not unknown, f"extras not in pyproject.toml ({sorted(extras)}):\n" + "\n".join(unknown)


# ---- links and the README's size -------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in outside_blocks(page):
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            base = slug(heading[1])
            count = seen.get(base, 0)
            seen[base] = count + 1
            out.add(base if count == 0 else f"{base}-{count}")
    return out


_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", LINK_PAGES, ids=[p.relative_to(ROOT).as_posix() for p in LINK_PAGES])
def test_links_resolve(page: Path) -> None:
    broken = []
    for line in outside_blocks(page):
        for target in _LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                continue
            path_part, _, fragment = target.partition("#")
            path = (page.parent / path_part).resolve() if path_part else page
            if not path.exists():
                broken.append(f"{target}: no such file")
            elif fragment and path.suffix == ".md" and fragment not in anchors(path):
                broken.append(f"{target}: no heading #{fragment} in {path.relative_to(ROOT).as_posix()}")
    assert not broken, f"broken links in {page.relative_to(ROOT).as_posix()}:\n" + "\n".join(broken)


def test_readme_is_short_and_needs_nothing_beside_the_clone() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < README_MAX_LINES, f"README.md has {len(text.splitlines())} lines"
    assert "../shared" not in text, "README.md must not send a user to ../shared, which users do not have"
