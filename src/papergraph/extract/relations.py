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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from papergraph.extract import lexicon as lx
from papergraph.extract.caseless import Caseless
from papergraph.extract.lists import list_end
from papergraph.extract.sentences import Sentence
from papergraph.model import Mention


def _starts(words: Iterable[str]) -> str:
    """A lookahead for the first letters of ``words``: a pattern of many alternatives then fails
    fast at the positions where none can start (most positions of a sentence)."""
    return "(?=[" + "".join(sorted({re.escape(w[0].lower()) for w in words if w})) + "])"


_WE_VERB = Caseless(
    r"(?=[wtoiu])\b(?:we|us to|this (?:paper|work|study|report|article)|our (?:paper|work|study)|"
    r"in this (?:paper|work))"
    r"(?:\s+\w+ly)?(?:\s+(?:also|further|then|first|here|now))?\s+(?P<verb>"
    + "|".join(sorted((v for v in lx.PROPOSE_VERBS if " " not in v), key=len, reverse=True))
    + r")\b(?!\s+to\b)"
)
_NAMING = Caseless(
    _starts([*lx.NAMING_CUES, "our", "the", "a"])
    + r"(?:\b(?:"
    + "|".join(sorted(lx.NAMING_CUES))
    + r")\b(?:\s+as\b)?[\s:,\"'“]*"
    # appositions that introduce the paper's own artefact: "our proposed approach, Loki,"
    r"|\b(?:our|the proposed|a new|a novel)\s+(?:[\w-]+\s+){0,3}?(?:approach|method|model|framework|system|"
    r"algorithm|architecture|technique|dataset|benchmark|pipeline|library|tool|engine|module|suite|corpus|"
    r"family|series|agent)\s*[,:(]\s*)"
)
_PREPOSITION = re.compile(r"\b(?:for|on|of|to|with|from|using|via|by|in|over|upon|based|into|through)\b")
_NAMING_STEMS = (*lx.NAMING_CUES, "our ", "proposed", "a new", "a novel")
_VERB_STEMS = ("we ", "this ", "our ", "in this", "us to ")
_NOT_A_NAME_START = lx.BREAK_WORDS | lx.LEADING_STOP | lx.NOT_ENTITIES
#: A coined name that opens in lower case: "decoupleQ", "mBERT", "fastText".
_INNER_CAPITAL = re.compile(r"[a-z]+[A-Z][\w-]*$")
#: A run of capitalised words (the first may be a coined name in lower case, "decoupleQ").
_CAPITALISED_RUN = re.compile(r"(?:[A-Z]|[a-z]+[A-Z])[\w-]*(?:\s+[A-Z][\w-]*){0,4}")
_OWN_SUBJECT = Caseless(
    r"(?=[wopti])\b(?:we|our|ours|proposed|this (?:method|approach|model|framework|work|paper|system)|"
    r"it|the (?:method|approach|model|framework|resulting|new))\b"
)
_CLAUSE_END = re.compile(r"(?=[;wb])(?:;|\bwhile\b|\bwhereas\b|\bbut\b)")
_IMPROVE = Caseless(
    _starts(lx.IMPROVE_CUES) + r"\b(?:" + "|".join(re.escape(c) for c in lx.IMPROVE_CUES) + r")\b"
)
_COMPARE = Caseless(
    _starts(c.strip() for c in lx.COMPARE_CUES)
    + r"(?:"
    + "|".join(re.escape(c.strip()) for c in lx.COMPARE_CUES)
    + r")\b"
)
_GAIN = Caseless(_starts(lx.GAIN_WORDS) + r"\b(?:" + "|".join(sorted(lx.GAIN_WORDS)) + r")\b")

_REPORT = re.compile(r"\s+(?:Technical Report|Tech Report|Report)$")


def title_name(title: str) -> str | None:
    """The name a title gives its paper's contribution: the part before the colon.

    >>> title_name("CLIMB: Curriculum Learning for Infant-inspired Model Building")
    'CLIMB'
    >>> title_name("1.5-Pints Technical Report: Pretraining in Days")
    '1.5-Pints'
    >>> title_name("decoupleQ: Towards 2-bit Post-Training Uniform Quantization")
    'decoupleQ'
    >>> title_name("Beyond Cosine Decay: On X") is None
    True
    """
    if ":" not in title:
        return None
    head = title.split(":", 1)[0].strip()
    head = _REPORT.sub("", head)
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
        w[0].isupper() or w[0].isdigit() or _INNER_CAPITAL.match(w)
        for w in words
        if w.lower() not in {"of", "for", "and", "the"}
    ):
        return None
    namey = any(any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w) for w in words)
    if not namey and len(words) > 3:
        return None
    return head


def expansion_in_title(name: str, title: str) -> str | None:
    """The part of the subtitle that ``name`` abbreviates, if any.

    >>> expansion_in_title("CLIMB", "CLIMB: Curriculum Learning for Infant-inspired Model Building")
    'Curriculum Learning for Infant-inspired Model Building'
    >>> expansion_in_title("CBQ", "CBQ: Cross-Block Quantization for Large Language Models")
    'Cross-Block Quantization'
    >>> expansion_in_title("YOCO", "YOCO: You Only Calibrate Once for Accurate Extrinsic Parameter")
    'You Only Calibrate Once'
    """
    if ":" not in title or not name.isalpha() or not any(c.isupper() for c in name):
        return None
    words = title.split(":", 1)[1].split()
    acronym = name.lower()
    for k in range(len(words), 0, -1):  # the longest prefix of the subtitle whose initials spell it
        parts = [p for w in words[:k] for p in w.split("-") if p and p[0].isalnum()]
        initials = "".join(p[0] for p in parts).lower()
        caps = "".join(p[0] for p in parts if p[0].isupper()).lower()
        if acronym in (initials, caps) and words[k - 1][0].isupper():
            return " ".join(words[:k]).rstrip(",;")
    return None


@lru_cache(maxsize=4096)
def naming_cues(text: str) -> tuple[tuple[int, ...], tuple[int, int] | None]:
    """Where a sentence names the paper's own work: ends of naming cues ("called", "our approach,"),
    and the end of a "we propose / introduce / present" verb with its clause end (or None).

    >>> naming_cues("We propose Loki, a method named Genie Net.")
    ((32,), (10, 42))
    """
    low = text.lower()
    named = any(map(low.__contains__, _NAMING_STEMS))
    ends = tuple(m.end() for m in _NAMING.finditer(text, low)) if named else ()
    verb = _WE_VERB.search(text, low) if any(map(low.__contains__, _VERB_STEMS)) else None
    return ends, ((verb.end(), _clause_end(text, verb.end())) if verb else None)


def named_after_cues(sentence: Sentence) -> list[Mention]:
    """Plain capitalised names right after a naming cue or "we propose": "our approach, Loki," → Loki.

    Coined names (``LoRA``) are found by shape anywhere; a plain capitalised word is a name only where
    the text says it is one.

    >>> [m.text for m in named_after_cues(Sentence("We propose Loki, a method named Genie Net.", 0, 42))]
    ['Loki', 'Genie Net']
    >>> [m.text for m in named_after_cues(Sentence("It leads us to propose decoupleQ, a method.", 0, 43))]
    ['decoupleQ']
    """
    out: list[Mention] = []
    text = sentence.text
    ends, verb = naming_cues(text)
    compared = sentence_cues(text)
    if not (ends or verb or compared.improve or compared.compare):
        return out  # most sentences: no cue, and no list of cues to build
    cues = [*ends, *(start for start, _, _ in compared.improve), *(start for start, _ in compared.compare)]
    if verb:
        cues.append(verb[0] + len(text[verb[0] :]) - len(text[verb[0] :].lstrip()))
    for pos in sorted(cues):
        while pos < len(text) and text[pos] == " ":
            pos += 1
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
    if verb and not found:
        pos, end = sentence.start + verb[0], sentence.start + verb[1]
        after = [m for m in coined if pos <= m.start < end]
        if after and after[0].start - pos <= 60:
            between = sentence.text[verb[0] : after[0].start - sentence.start]
            if not _PREPOSITION.search(between):  # "a framework for SAM": SAM is not the contribution
                found.append(after[0])
    return found


def _coined(m: Mention) -> bool:
    return is_coined(m.text)


def is_coined(text: str) -> bool:
    """Whether ``text`` is written as a name: any capital letter or digit ("LoRA", "Loki",
    "k-means2"); the rules propose only such names.

    >>> [is_coined(t) for t in ("LoRA", "k-means2", "concept enhancement strategy")]
    [True, True, False]
    """
    return not text.islower() or any(c.isdigit() for c in text)


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
    "overcom",
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
    "similar to",
    "consistent with",
    "differ",
    "unlike",
    "contrast",
)


@dataclass(frozen=True)
class Cues:
    """Where a sentence claims or compares: each scope is (start, end) of the text a cue governs."""

    improve: tuple[tuple[int, int, bool], ...]  # (scope start, scope end, own subject before the cue)
    compare: tuple[tuple[int, int], ...]
    gain: bool  # the sentence claims a gain ("reduces", "faster", "higher")
    own: bool  # the sentence speaks of the paper's own work ("we", "our", "the proposed")


#: The cues of most sentences, made once (a frozen dataclass is slow to make).
_NO_CUES = Cues((), (), False, False)


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
    if any(map(low.__contains__, _IMPROVE_STEMS)):
        improve = tuple(
            (cue.end(), _clause_end(text, cue.end()), bool(_OWN_SUBJECT.search(text, low, 0, cue.start())))
            for cue in _IMPROVE.finditer(text, low)
        )
    if any(map(low.__contains__, _COMPARE_STEMS)):
        compare = tuple((cue.end(), _clause_end(text, cue.end())) for cue in _COMPARE.finditer(text, low))
    if not improve and not compare:
        return _NO_CUES
    return Cues(improve, compare, bool(_GAIN.search(text, low)), bool(_OWN_SUBJECT.search(text, low)))


def sentence_relations(sentence: Sentence, mentions: Sequence[Mention], own: Sequence[bool]) -> list[str]:
    """The relation each mention of ``sentence`` expresses (``proposes`` is decided elsewhere).

    A claim ("outperforms", "surpasses", "compared with … faster") governs the first method named
    after its cue and the names listed with it ("such as A, B and C"); it is the paper's own claim
    unless its subject names someone else's method or reads as background ("prior work", "has
    been shown"). ``own`` flags the mentions of the paper's own contributions.

    >>> s = Sentence("Our model outperforms BERT and RoBERTa on GLUE.", 0, 47)
    >>> ms = [Mention("BERT", "Method", 22, 26), Mention("RoBERTa", "Method", 31, 38),
    ...       Mention("GLUE", "Dataset", 42, 46)]
    >>> sentence_relations(s, ms, [False, False, False])
    ['improves-on', 'improves-on', 'uses']
    """
    out = ["uses"] * len(mentions)
    cues = sentence_cues(sentence.text)
    if not cues.improve and not cues.compare:
        return out
    offsets = [m.start - sentence.start for m in mentions]
    scopes = [(start, end, "improves-on") for start, end, _ in cues.improve]
    scopes += [(start, end, "improves-on" if cues.gain else "compares-to") for start, end in cues.compare]
    for start, end, relation in sorted(scopes):
        targets = _compared(sentence.text, mentions, offsets, own, start, end)
        if not targets or not _own_claim(sentence.text[:start], mentions, offsets, own, start):
            continue
        for k in targets:
            if out[k] == "uses" or (out[k] == "compares-to" and relation == "improves-on"):
                out[k] = relation
    return out


_BACKGROUND = Caseless(
    r"\b(?:prior|previous|existing|earlier|recent|traditional|conventional|(?:has|have) been|"
    r"(?:studies|works|methods|approaches) (?:show|have)|it is known|known to)\b"
)


def _compared(
    text: str, mentions: Sequence[Mention], offsets: list[int], own: Sequence[bool], start: int, end: int
) -> list[int]:
    """Indices of the methods a cue compares with: the first after it and those listed with it."""
    first = next(
        (
            k
            for k, off in enumerate(offsets)
            if start <= off < end and mentions[k].type == "Method" and not own[k]
        ),
        None,
    )
    if first is None:
        return []
    base = mentions[first].start - offsets[first]
    last = list_end(text, mentions, first, base)
    return [
        k for k in range(first, last + 1) if offsets[k] < end and mentions[k].type == "Method" and not own[k]
    ]


def _own_claim(
    subject: str, mentions: Sequence[Mention], offsets: list[int], own: Sequence[bool], start: int
) -> bool:
    """Whether the text before a cue makes the claim the paper's own."""
    if any(own[k] and offsets[k] < start for k in range(len(mentions))):
        return True
    low = subject.lower()
    if _BACKGROUND.search(subject, low):
        return False
    if _OWN_SUBJECT.search(subject, low):
        return True
    return not any(
        not own[k] and offsets[k] < start and mentions[k].type == "Method" for k in range(len(mentions))
    )


def relation_signals(sentence: Sentence, mentions: Sequence[Mention]) -> list[tuple[str, ...]]:
    """What the cues of ``sentence`` say of each of its mentions, before the rules' conditions
    (a coined name, a method, the first after the cue, the paper's own claim): for the learned
    relation decision (:mod:`papergraph.extract.decision`), which weighs them itself.

    ``named``: right after a naming cue ("called X"); ``verb-sentence``: in a sentence that says
    "we propose"; ``verb``/``verb1``: in its clause, within 60 characters (``verb1``: the first
    mention there); ``improve``/``compare``: inside the scope of a claim ("outperforms X") or a
    comparison ("compared with X"), ``-first`` when it is the first mention there, ``-own`` when
    the paper's own subject makes the claim; ``gain``: the sentence claims a gain.

    >>> s = Sentence("We present a concept enhancement strategy that outperforms prior tuning.", 0, 72)
    >>> ms = [Mention("concept enhancement strategy", "Method", 13, 41),
    ...       Mention("prior tuning", "Method", 59, 71)]
    >>> relation_signals(s, ms)
    [('verb-sentence', 'verb', 'verb1'), ('verb-sentence', 'verb', 'improve', 'improve-first', 'improve-own')]
    """
    ends, verb = naming_cues(sentence.text)
    cues = sentence_cues(sentence.text)
    if not (ends or verb or cues.improve or cues.compare):
        return [()] * len(mentions)
    offsets = [m.start - sentence.start for m in mentions]
    out: list[list[str]] = [[] for _ in mentions]
    for end in ends:
        for k, off in enumerate(offsets):
            if 0 <= off - end <= 2:
                out[k].append("named")
    if verb:
        for signals in out:
            signals.append("verb-sentence")
        inside = [k for k, off in enumerate(offsets) if verb[0] <= off < verb[1] and off - verb[0] <= 60]
        for k in inside:
            out[k] += ["verb", "verb1"] if k == inside[0] else ["verb"]
    scopes = [("improve", start, end, own) for start, end, own in cues.improve]
    scopes += [("compare", start, end, False) for start, end in cues.compare]
    for name, start, end, own in scopes:
        inside = [k for k, off in enumerate(offsets) if start <= off < end]
        for k in inside:
            out[k].append(name)
            if k == inside[0]:
                out[k].append(f"{name}-first")
            if own:
                out[k].append(f"{name}-own")
    if cues.gain:
        for signals in out:
            signals.append("gain")
    return [tuple(dict.fromkeys(signals)) for signals in out]
