"""Decide how a paper relates to each entity it mentions, from the sentence that mentions it.

* ``proposes``: the title's name prefix ("CLIMB: Curriculum Learning for …"), a name after a
  naming cue ("a framework called X", "termed X"), or the first name after "we propose /
  introduce / present …";
* ``improves-on``: a method named after an improvement cue ("outperforms X", "better than X",
  "compared to X" in a sentence that claims a gain) in a sentence whose subject is the paper's own;
* ``compares-to``: a method named after a comparison cue without a claim of being better;
* ``uses``: every other mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from papergraph.extract import lexicon as lx
from papergraph.extract.sentences import Sentence
from papergraph.model import Mention

_WE_VERB = re.compile(
    r"\b(?:we|this (?:paper|work|study|report|article)|our (?:paper|work|study)|in this (?:paper|work))"
    r"(?:\s+\w+ly)?(?:\s+(?:also|further|then|first|here|now))?\s+(?P<verb>"
    + "|".join(sorted((v for v in lx.PROPOSE_VERBS if " " not in v), key=len, reverse=True))
    + r")\b(?!\s+to\b)",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:" + "|".join(sorted(lx.NAMING_CUES)) + r")\b[\s:,\"'“]*"
    # appositions that introduce the paper's own artefact: "our proposed approach, Loki,"
    r"|\b(?:our|the proposed|a new|a novel)\s+(?:[\w-]+\s+){0,3}?(?:approach|method|model|framework|system|"
    r"algorithm|architecture|technique|dataset|benchmark|pipeline|library|tool|engine|module|suite|corpus|"
    r"family|series|agent)\s*[,:(]\s*",
    re.IGNORECASE,
)
_NAMING_STEMS = (*lx.NAMING_CUES, "our ", "proposed", "a new", "a novel")
_VERB_STEMS = ("we ", "this ", "our ", "in this")
_NOT_A_NAME_START = lx.BREAK_WORDS | lx.LEADING_STOP | lx.NOT_ENTITIES
_CAPITALISED_RUN = re.compile(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4}")
_OWN_SUBJECT = re.compile(
    r"\b(?:we|our|ours|proposed|this (?:method|approach|model|framework|work|paper|system)|"
    r"it|the (?:method|approach|model|framework|resulting|new))\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b")
_IMPROVE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in lx.IMPROVE_CUES) + r")\b", re.IGNORECASE)
_COMPARE = re.compile(
    r"(?:" + "|".join(re.escape(c.strip()) for c in lx.COMPARE_CUES) + r")\b", re.IGNORECASE
)
_GAIN = re.compile(r"\b(?:" + "|".join(sorted(lx.GAIN_WORDS)) + r")\b", re.IGNORECASE)


def title_name(title: str) -> str | None:
    """The name a title gives its paper's contribution: the part before the colon.

    >>> title_name("CLIMB: Curriculum Learning for Infant-inspired Model Building")
    'CLIMB'
    >>> title_name("1.5-Pints Technical Report: Pretraining in Days")
    '1.5-Pints'
    >>> title_name("Beyond Cosine Decay: On X") is None
    True
    """
    if ":" not in title:
        return None
    head = title.split(":", 1)[0].strip()
    head = re.sub(r"\s+(?:Technical Report|Tech Report|Report)$", "", head)
    words = head.split()
    if not words or len(words) > 5 or any(ch in head for ch in ",?!"):
        return None
    first = words[0].lower()
    if first in lx.BREAK_WORDS or first in lx.LEADING_STOP or (first.endswith("ing") and len(words) > 1):
        return None
    if first in {
        "beyond",
        "towards",
        "toward",
        "rethinking",
        "revisiting",
        "understanding",
        "when",
        "why",
        "how",
        "what",
        "less",
        "more",
        "get",
        "do",
        "does",
        "is",
        "are",
        "can",
        "on",
        "from",
    }:
        return None
    if not all(
        w[0].isupper() or w[0].isdigit() for w in words if w.lower() not in {"of", "for", "and", "the"}
    ):
        return None
    namey = any(any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) for w in words)
    if not namey and len(words) > 3:
        return None
    return head


def expansion_in_title(name: str, title: str) -> str | None:
    """The subtitle when ``name`` is its acronym.

    >>> expansion_in_title("CLIMB", "CLIMB: Curriculum Learning for Infant-inspired Model Building")
    'Curriculum Learning for Infant-inspired Model Building'
    """
    if ":" not in title or not name.isalpha() or not any(c.isupper() for c in name):
        return None
    rest = title.split(":", 1)[1].strip()
    initials = "".join(w[0] for w in re.split(r"[\s\-]+", rest) if w and w[0].isalnum()).lower()
    caps = "".join(w[0] for w in re.split(r"[\s\-]+", rest) if w and w[0].isupper()).lower()
    return rest if name.lower() in (initials, caps) else None


@lru_cache(maxsize=4096)
def naming_cues(text: str) -> tuple[tuple[int, ...], tuple[int, int] | None]:
    """Where a sentence names the paper's own work: ends of naming cues ("called", "our approach,"),
    and the end of a "we propose / introduce / present" verb with its clause end (or None).

    >>> naming_cues("We propose Loki, a method named Genie Net.")
    ((32,), (10, 42))
    """
    low = text.lower()
    ends = tuple(m.end() for m in _NAMING.finditer(text)) if any(s in low for s in _NAMING_STEMS) else ()
    verb = _WE_VERB.search(text) if any(v in low for v in _VERB_STEMS) else None
    return ends, ((verb.end(), _clause_end(text, verb.end())) if verb else None)


def named_after_cues(sentence: Sentence) -> list[Mention]:
    """Plain capitalised names right after a naming cue or "we propose": "our approach, Loki," → Loki.

    Coined names (``LoRA``) are found by shape anywhere; a plain capitalised word is a name only where
    the text says it is one.

    >>> [m.text for m in named_after_cues(Sentence("We propose Loki, a method named Genie Net.", 0, 42))]
    ['Loki', 'Genie Net']
    """
    out: list[Mention] = []
    text = sentence.text
    ends, verb = naming_cues(text)
    cues = list(ends)
    if verb:
        cues.append(verb[0] + len(text[verb[0] :]) - len(text[verb[0] :].lstrip()))
    for pos in sorted(cues):
        run = _CAPITALISED_RUN.match(text, pos)
        if not run:
            continue
        words = run.group(0).split()
        while words and words[-1].lower() in lx.BREAK_WORDS:
            words.pop()
        if not words or words[0].lower() in _NOT_A_NAME_START:
            continue
        name = " ".join(words)
        if name.lower() in lx.GENERIC:
            continue
        start = sentence.start + run.start()
        out.append(Mention(name, "Method", start, start + len(name)))
    return out


def proposed_in(sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions the sentence presents as the paper's own contribution."""
    ends, verb = naming_cues(sentence.text)
    if not ends and not verb:
        return []
    found: list[Mention] = []
    coined = [m for m in mentions if _coined(m)]
    for end in ends:
        pos = sentence.start + end
        found.extend(m for m in coined if 0 <= m.start - pos <= 2)
    if verb:
        pos, end = sentence.start + verb[0], sentence.start + verb[1]
        after = [m for m in coined if pos <= m.start < end]
        if after and after[0].start - pos <= 60:
            found.append(after[0])
    return found


def _coined(m: Mention) -> bool:
    """A mention written as a name: any capital letter or digit ("LoRA", "Loki", "k-means2")."""
    return not m.text.islower() or any(c.isdigit() for c in m.text)


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


_IMPROVE_STEMS = (
    "outperf",
    "surpass",
    "exceed",
    "than",
    "improv",
    "beat",
    "superior",
    "advantage",
    "gains",
    "favorabl",
    "outstrip",
    "dominat",
    "supersed",
)
_COMPARE_STEMS = (
    "compar",
    "against",
    "versus",
    " vs",
    "relative to",
    "on par",
    "match",
    "competitive",
    "baselines",
)


@dataclass(frozen=True)
class Cues:
    """Where a sentence claims or compares: each scope is (start, end) of the text a cue governs."""

    improve: tuple[tuple[int, int, bool], ...]  # (scope start, scope end, own subject before the cue)
    compare: tuple[tuple[int, int], ...]
    gain: bool  # the sentence claims a gain ("reduces", "faster", "higher")
    own: bool  # the sentence speaks of the paper's own work ("we", "our", "the proposed")


@lru_cache(maxsize=4096)
def sentence_cues(text: str) -> Cues:
    """Find the comparison cues of a sentence once, for all its mentions.

    >>> c = sentence_cues("Our model outperforms BERT; GPT-2 is compared with T5.")
    >>> c.improve, c.compare, c.own
    (((21, 26, True),), ((50, 54),), True)
    """
    low = text.lower()
    improve: tuple[tuple[int, int, bool], ...] = ()
    compare: tuple[tuple[int, int], ...] = ()
    # most sentences compare nothing: a few substring tests spare them the regular expressions
    if any(stem in low for stem in _IMPROVE_STEMS):
        improve = tuple(
            (cue.end(), _clause_end(text, cue.end()), bool(_OWN_SUBJECT.search(text, 0, cue.start())))
            for cue in _IMPROVE.finditer(text)
        )
    if any(stem in low for stem in _COMPARE_STEMS):
        compare = tuple((cue.end(), _clause_end(text, cue.end())) for cue in _COMPARE.finditer(text))
    return Cues(improve, compare, bool(_GAIN.search(text)), bool(_OWN_SUBJECT.search(text)))


def relation_in(sentence: Sentence, mention: Mention, proposed_before: bool) -> str:
    """The relation one mention of a method in ``sentence`` expresses (not ``proposes``)."""
    if mention.type != "Method":
        return "uses"
    cues = sentence_cues(sentence.text)
    pos = mention.start - sentence.start
    for start, end, own_subject in cues.improve:
        if start <= pos < end and (proposed_before or own_subject):
            return "improves-on"
    for start, end in cues.compare:
        if start <= pos < end:
            return "improves-on" if cues.gain and (proposed_before or cues.own) else "compares-to"
    return "uses"
