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


def named_after_cues(sentence: Sentence) -> list[Mention]:
    """Plain capitalised names right after a naming cue or "we propose": "our approach, Loki," → Loki.

    Coined names (``LoRA``) are found by shape anywhere; a plain capitalised word is a name only where
    the text says it is one.

    >>> [m.text for m in named_after_cues(Sentence("We propose Loki, a method named Genie Net.", 0, 42))]
    ['Loki', 'Genie Net']
    """
    out: list[Mention] = []
    cues = [m.end() for m in _NAMING.finditer(sentence.text)]
    verb = _WE_VERB.search(sentence.text)
    if verb:
        cues.append(verb.end() + len(sentence.text[verb.end() :]) - len(sentence.text[verb.end() :].lstrip()))
    for pos in sorted(cues):
        run = _CAPITALISED_RUN.match(sentence.text, pos)
        if not run:
            continue
        words = run.group(0).split()
        while words and words[-1].lower() in lx.BREAK_WORDS:
            words.pop()
        if not words or words[0].lower() in lx.BREAK_WORDS | lx.LEADING_STOP | lx.NOT_ENTITIES:
            continue
        text = " ".join(words)
        if text.lower() in lx.GENERIC:
            continue
        start = sentence.start + run.start()
        out.append(Mention(text, "Method", start, start + len(text)))
    return out


def proposed_in(sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions the sentence presents as the paper's own contribution."""
    text = sentence.text
    found: list[Mention] = []
    coined = [m for m in mentions if _coined(m)]
    for cue in _NAMING.finditer(text):
        pos = sentence.start + cue.end()
        for m in coined:
            if 0 <= m.start - pos <= 2:
                found.append(m)
    verb = _WE_VERB.search(text)
    if verb:
        pos = sentence.start + verb.end()
        end = _clause_end(text, verb.end()) + sentence.start
        after = [m for m in coined if pos <= m.start < end]
        if after and after[0].start - pos <= 60:
            found.append(after[0])
    return found


def _coined(m: Mention) -> bool:
    return any(c.isupper() for c in m.text[1:]) or any(c.isdigit() for c in m.text) or m.text[:1].isupper()


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def relation_in(
    sentence: Sentence, mention: Mention, proposed_keys: set[str], key: str, proposed_before: bool
) -> str:
    """The relation one mention of a method in ``sentence`` expresses (not ``proposes``)."""
    if mention.type != "Method":
        return "uses"
    text = sentence.text
    rel_start = mention.start - sentence.start
    for cue in _IMPROVE.finditer(text):
        if cue.end() <= rel_start < _clause_end(text, cue.end()):
            subject = text[: cue.start()]
            if proposed_before or _OWN_SUBJECT.search(subject):
                return "improves-on"
    for cue in _COMPARE.finditer(text):
        if cue.end() <= rel_start < _clause_end(text, cue.end()):
            return (
                "improves-on"
                if _GAIN.search(text) and (proposed_before or _OWN_SUBJECT.search(text))
                else "compares-to"
            )
    return "uses"
