"""Find and type the spans of a text that name research entities.

Three detectors, each a plain function over one sentence:

* :func:`name_mentions`: names as authors coin them: ``LoRA``, ``GPT-4``, ``Llama2-7B``,
  ``ImageNet``, ``Stable Diffusion``, ``BabyLM Challenge``;
* :func:`phrase_mentions`: established common-noun terms ending in a known head noun:
  ``knowledge distillation``, ``image classification``, ``memory footprint``;
* abbreviation definitions (``Low-Rank Adaptation (LoRA)``), found once per text.

>>> [(m.text, m.type) for m in name_mentions("We fine-tune Llama2-7B on ImageNet and GLUE.", 0)]
[('Llama2-7B', 'Method'), ('ImageNet', 'Dataset'), ('GLUE', 'Dataset')]
>>> [(m.text, m.type) for m in phrase_mentions("It improves image classification accuracy.", 0)]
[('classification accuracy', 'Metric')]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import and_
from typing import Any

from papergraph.extract import lexicon as lx
from papergraph.extract.caseless import Caseless
from papergraph.model import Mention

#: A word: runs of letters and digits joined by "-", "+", "/" or a "." before a lower-case letter or
#: digit ("GPT-3.5", "C++", "k-NN/SVM"), written as runs so that the engine never backtracks.
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[\-+/]+[A-Za-z0-9]+|\.(?=[a-z0-9])[A-Za-z0-9]+|\++)*")
#: Quantisation settings and similar codes that look like names: W4A16, 4A4W, W8A8KV8.
_CODE = re.compile(r"^(?:W\d+A\d+(?:KV\d+)?|\d+A\d+W|[AW]\d+|FP\d+|INT\d+|BF\d+)$", re.IGNORECASE)
#: Adjectival suffixes on a name: "ChatGPT-generated" names ChatGPT.
_ADJ_SUFFIX_WORDS = (
    r"based|generated|like|style|driven|pretrained|pre-trained|specific|aware|"
    r"powered|guided|tuned|sized|scale|level|only|free|friendly|compatible|native"
)
_ADJ_SUFFIX = re.compile(rf"-(?:{_ADJ_SUFFIX_WORDS})$", re.IGNORECASE)
#: Heads of organisation names, which are not research entities.
_ORG_WORDS = {
    "university",
    "institute",
    "laboratory",
    "lab",
    "labs",
    "inc",
    "corporation",
    "company",
    "academy",
    "college",
    "school",
    "center",
    "centre",
    "department",
    "foundation",
    "group",
}
_SIZE = re.compile(r"^[\d.,]+[A-Za-z]{0,2}$|^[\d.,]+x$|^\d+(?:st|nd|rd|th)$")
#: Heads that say what kind of thing a phrase is without naming it: "image editing framework",
#: "classification tasks", "batch normalization layers".
_GENERIC_TAILS = {
    "framework",
    "frameworks",
    "method",
    "methods",
    "approach",
    "approaches",
    "system",
    "systems",
    "pipeline",
    "pipelines",
    "task",
    "tasks",
    "problem",
    "problems",
    "strategy",
    "strategies",
    "scheme",
    "schemes",
    "technique",
    "techniques",
    "paradigm",
    "setting",
    "settings",
    "module",
    "modules",
    "capability",
    "capabilities",
    "performance",
    "process",
    "procedure",
    "procedures",
    "algorithm",
    "algorithms",
    "architecture",
    "architectures",
    "layer",
    "layers",
    "block",
    "blocks",
    "component",
    "components",
    "mechanism",
    "mechanisms",
    "results",
    "result",
    "metrics",
    "metric",
    "applications",
    "application",
    "tool",
    "tools",
    "solution",
    "solutions",
    "design",
    "designs",
    "variant",
    "variants",
}
#: Generic heads that still make a named technique of a specific modifier ("buffer-replay strategy").
_METHOD_TAILS = {
    "framework",
    "method",
    "approach",
    "strategy",
    "scheme",
    "technique",
    "algorithm",
    "module",
    "mechanism",
    "procedure",
    "pipeline",
    "architecture",
}
#: Plural generic nouns that end a noun-phrase run ("methods conduct ..." is two runs).
_RUN_ENDERS = {
    "methods",
    "approaches",
    "techniques",
    "works",
    "studies",
    "results",
    "experiments",
    "models",
    "systems",
    "tasks",
    "data",
}


#: A dash used as punctuation, glued to the next word: "... the Language Model-the first ...".
_DASH_WORDS = r"the|and|which|that|this|these|we|our"
_DASH_THEN_WORD = re.compile(rf"(?<=[A-Za-z0-9])-(?:{_DASH_WORDS})$")
#: Where a token of a sentence may end in a match of :data:`_ADJ_SUFFIX` or :data:`_DASH_THEN_WORD`:
#: the hyphen and word, in any case, that no letter, digit or joined part (:data:`TOKEN` goes on
#: over "-art" in "state-of-the-art") follows. Each such token end is a match, so a sentence
#: without one has no token to cut; most sentences with hyphens have none ("fine-tuning").
_CUT_HINT = re.compile(rf"-(?i:{_ADJ_SUFFIX_WORDS}|{_DASH_WORDS})(?![A-Za-z0-9]|[\-+/]+[A-Za-z0-9])")


#: Punctuation that often wraps a plain word: "(LoRA)", "datasets,", "\"GLUE\"".
_WRAPPING = "(),.;:\"'[]"


def token_spans(sentence: str) -> list[tuple[str, int, int]]:
    """The matches of :data:`TOKEN` with their offsets, found faster than by ``TOKEN.finditer``.

    A token never holds a space, so the text is cut at spaces first (offsets stay exact); a plain
    ASCII word, bare or wrapped in punctuation, is a token as it is, and only the other chunks
    ("GPT-3.5,", "k-NN/SVM") go through the pattern. Most words of a sentence are plain.

    >>> token_spans("We fine-tune (LoRA) GPT-3.5, too.")
    [('We', 0, 2), ('fine-tune', 3, 12), ('LoRA', 14, 18), ('GPT-3.5', 20, 27), ('too', 29, 32)]
    """
    out: list[tuple[str, int, int]] = []
    pos = 0
    for chunk in sentence.split(" "):
        if chunk.isalnum() and chunk.isascii():
            out.append((chunk, pos, pos + len(chunk)))
        elif chunk:
            word = chunk.strip(_WRAPPING)
            if word.isalnum() and word.isascii():  # punctuation holds no letter: the word is where it is
                start = pos + chunk.index(word)
                out.append((word, start, start + len(word)))
            else:
                out.extend((m.group(), pos + m.start(), pos + m.end()) for m in TOKEN.finditer(chunk))
        pos += len(chunk) + 1
    return out


@lru_cache(maxsize=4096)
def tokens(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """Word tokens of ``sentence`` with their offsets; "ChatGPT-generated" gives "ChatGPT".

    >>> tokens("ChatGPT-generated text")
    (('ChatGPT', 0, 7), ('text', 18, 22))
    >>> tokens("Model-the")
    (('Model', 0, 5),)
    """
    out = token_spans(sentence)
    if "-" not in sentence or not _CUT_HINT.search(sentence):
        return tuple(out)  # no token to cut: no walk over the tokens, no search in the hyphenated ones
    for k, (tok, start, _) in enumerate(out):
        if "-" not in tok:
            continue
        adj = _ADJ_SUFFIX.search(tok)
        if adj and adj.start() > 0 and any(c.isupper() or c.isdigit() for c in tok[1 : adj.start()]):
            out[k] = (tok[: adj.start()], start, start + adj.start())
        elif dash := _DASH_THEN_WORD.search(tok):
            out[k] = (tok[: dash.start()], start, start + dash.start())
    return tuple(out)


#: A long lower-case word glued to a capitalised one. Coined names start with a short lower-case
#: prefix, if any ("mBERT", "fastText", "spaCy"); five letters or more are debris of a conversion.
_GLUED_WORD = re.compile(r"^[a-z]{5,}[A-Z]")


@lru_cache(maxsize=65536)
def is_namey(tok: str) -> bool:
    """A token shaped like a coined name: inner capitals, or capitals with digits.

    >>> [is_namey(t) for t in ["LoRA", "GPT-4", "CIFAR-10", "k-means", "Transformer", "7B", "LLMs"]]
    [True, True, True, False, False, False, False]
    >>> [is_namey(t) for t in ["fastText", "mBERT", "blackEnsemble", "compressFigures"]]
    [True, True, False, False]
    """
    low = tok.lower()
    if low in lx.NOT_ENTITIES or _SIZE.match(tok) or _CODE.match(tok):
        return False
    if tok[0].isdigit() or len(tok) > 30:
        return False  # "6DoF", "17August07-11", run-together text from a PDF
    if _GLUED_WORD.match(tok):
        return False  # "blackEnsemble", "compressFigures": a LaTeX macro or colour glued to a word
    if len(tok) <= 2 and tok.isupper() and not (_family(tok) or _known_dataset(tok) or low in lx.METRICS):
        return False  # "AR", "SR", "LM": an undefined two-letter acronym is too ambiguous to be a node
    if not any(c.isalpha() for c in tok):
        return False
    if "/" in tok and any(part.lower() in lx.NOT_ENTITIES for part in tok.split("/")):
        return False
    if any(c.isupper() and tok[k - 1] != "-" for k, c in enumerate(tok) if k > 0):
        return True
    parts = tok.split("-")
    if (
        len(parts) >= 3
        and parts[0][:1].isupper()
        and parts[-1][:1].isupper()
        and any(p.islower() for p in parts)
    ):
        return True  # "Chart-to-Text"
    return tok[0].isupper() and any(c.isdigit() for c in tok)


_DIMENSION = re.compile(r"^[1-9]D$")
_LINK_WORD = re.compile(r"-(?:to|and|of)-", re.IGNORECASE)


#: Patterns run once per name are compiled here: ``re.sub(pattern, ...)`` looks its pattern up in
#: ``re``'s cache of compiled patterns on every call.
_NEXT_WORD = re.compile(r" +([A-Za-z-]+)")
_FAMILY_BASE_END = re.compile(r"[\s\-_.0-9]")
_VERSION_SUFFIX = re.compile(r"[\s\-_.]*\d[\w.\-]*$")
_NOT_LOWER_ALNUM = re.compile(r"[^a-z0-9]")
_METRIC_SUFFIX = re.compile(r"[\s\-_@]*\d+[kKmM]?$")


def _next_word(text: str) -> str:
    """The lower-cased word that ``text`` starts with, after spaces ("" when it starts otherwise)."""
    m = _NEXT_WORD.match(text)
    return m.group(1).lower() if m else ""


def _capitalised(tok: str) -> bool:
    return tok[0].isupper() and (len(tok) == 1 or not tok.isupper() or len(tok) <= 4)


@lru_cache(maxsize=65536)
def _family(name: str) -> bool:
    low = name.lower()
    base = _FAMILY_BASE_END.split(low, maxsplit=1)[0]
    return low in lx.MODEL_FAMILIES or base in lx.MODEL_FAMILIES


@lru_cache(maxsize=65536)
def _known_dataset(name: str) -> bool:
    low = name.lower()
    if low in lx.DATASETS:
        return True
    stripped = _VERSION_SUFFIX.sub("", low)
    if stripped and stripped in lx.DATASETS:
        return True
    squeezed = _NOT_LOWER_ALNUM.sub("", low)
    return any(
        squeezed.endswith(s.replace("-", "")) and len(squeezed) > len(s) + 1
        for s in lx.DATASET_SUFFIXES
        if s not in ("set", "stories")
    ) or low.endswith(("bench",))


#: "X, a large-scale, diverse dataset ..." types X as data.
_DATA_APPOSITION = Caseless(
    r"^\s*,\s*(?:a|an|the)\s+(?:[\w-]+,?\s+){0,4}?(?:dataset|benchmark|corpus|suite|collection)\b"
)


_YEAR = re.compile(r"^(?:19|20)\d\d$")
_EVALUATION = Caseless(
    r"(?=[ebrastop])\b(?:experiment|evaluat|benchmark|results?\b|achiev|accurac|state-of-the-art|outperform|"
    r"tested|"
    r"report|score|performance)"
)
#: Where :data:`_EVALUATION` can start (found with ``str.find`` first: cheaper than the pattern).
_EVALUATION_STEMS = (
    "experiment",
    "evaluat",
    "benchmark",
    "result",
    "achiev",
    "accurac",
    "state-of-the-art",
    "outperform",
    "tested",
    "report",
    "score",
    "performance",
)
_ON_BEFORE = Caseless(
    r"(?=[oa])(?<!improvement )(?<!improvements )(?<!based )\b(?:on|across)\s+(?:the\s+)?"
    r"(?:challenging\s+|popular\s+|standard\s+)?$"
)


def evaluation_targets(text: str, mentions: list[Mention], low: str | None = None) -> list[Mention]:
    """Names evaluated on are data: "state-of-the-art results on SVHN and NORB-small".

    In a text that reports an evaluation, a name right after "on" / "across" that is not a known
    model family becomes a Dataset (``propagate_list_types`` then extends it to its list).
    ``low``, if given, is ``text.lower()`` (extraction lower-cases a text once for all its steps).

    >>> ms = [Mention("FooNet", "Method", 4, 10), Mention("SVHN", "Method", 35, 39)]
    >>> [m.type for m in evaluation_targets("Our FooNet achieves top results on SVHN.", ms)]
    ['Method', 'Dataset']
    """
    low = text.lower() if low is None else low
    found = [k for k in map(low.find, _EVALUATION_STEMS) if k >= 0]
    if not found or not _EVALUATION.search(text, low, min(found)):  # the pattern can start no earlier
        return mentions
    out = list(mentions)
    for k, m in enumerate(out):
        if (
            m.type == "Method"
            and not _family(m.text)
            and not m.text.islower()
            and (
                "on " in text[max(0, m.start - 40) : m.start]
                or "across " in text[max(0, m.start - 40) : m.start]
            )
            and _ON_BEFORE.search(text, low, max(0, m.start - 30), m.start)
        ):
            out[k] = Mention(m.text, "Dataset", m.start, m.end)
    return out


def type_name(name: str, following: str) -> str:
    """Type a coined name from its shape and the words after it."""
    low = name.lower()
    following_low = following.lower()
    nxt = following_low.lstrip(" ()-,")
    last = low.split()[-1]
    if low in lx.METRICS or _METRIC_SUFFIX.sub("", low) in lx.METRICS:
        return "Metric"
    if last in lx.DATASET_HEADS or last in ("test", "track") or _YEAR.match(last):
        return "Dataset"  # "BabyLM Challenge", "Children's Book Test", "ILSVRC 2015"
    if nxt.startswith(lx.DATASET_CUE_PREFIXES) or _DATA_APPOSITION.match(following, following_low):
        return "Dataset"
    if _family(name):
        return "Method"
    if _known_dataset(name):
        return "Dataset"
    if last in lx.TASK_HEADS and " " in low:
        return "Task"
    return "Method"


def name_mentions(sentence: str, offset: int, *, title: bool = False) -> list[Mention]:
    """Coined names in ``sentence`` (which starts at ``offset`` in the text)."""
    toks = tokens(sentence)
    out: list[Mention] = []
    i = 0
    # an all-lower-case token never starts a name: visit only the others
    for start_i in [k for k, t in enumerate(toks) if not t[0].islower()]:
        if start_i < i:
            continue  # inside the previous name
        i = start_i
        tok = toks[i][0]
        namey = (
            is_namey(tok)
            or (  # "3D U-Net": a dimension opens the name it qualifies
                _DIMENSION.match(tok) is not None
                and i + 1 < len(toks)
                and sentence[toks[i][2] : toks[i + 1][1]] in (" ", "-")
                and (is_namey(toks[i + 1][0]) or any(c.isupper() for c in toks[i + 1][0][1:]))
            )
        )
        low = tok.lower()
        cap = _capitalised(tok) and low not in lx.BREAK_WORDS and (i > 0 or low not in lx.LEADING_STOP)
        if not (namey or (cap and not title)) or (low in lx.NOT_ENTITIES and not _DIMENSION.match(tok)):
            continue
        # extend over capitalised words, names and version numbers: "Stable Diffusion XL", "Llama 2 7B"
        j = i + 1
        n_cap = 1
        n_namey = int(namey)
        while j < len(toks):
            t2, s2, _ = toks[j]
            gap = sentence[toks[j - 1][2] : s2]
            if gap not in (" ", "-"):
                if (  # "Children's Book Test": a possessive inside a name
                    t2 == "s"
                    and gap in ("'", "’", " ’", " '")
                    and j + 1 < len(toks)
                    and _capitalised(toks[j + 1][0])
                    and not title
                ):
                    j += 1
                    continue
                break
            if t2.islower() and t2[0].isalpha():
                # a lower-case word (most words after a name) is no name, size or capitalised word:
                # it ends the name unless "of" / "for" joins two capitalised parts; told apart
                # here before the tests below, which it would fail one by one
                if not (
                    t2 in ("of", "for")
                    and j + 1 < len(toks)
                    and _capitalised(toks[j + 1][0])
                    and not title
                    and toks[j + 1][0].lower() not in lx.BREAK_WORDS
                ):
                    break
            elif is_namey(t2):
                n_namey += 1
            elif _SIZE.match(t2) and (n_namey or n_cap) and not t2.endswith("x"):
                pass
            elif (
                _capitalised(t2)
                and not title
                and t2.lower() not in lx.BREAK_WORDS
                and t2.lower() not in lx.NOT_ENTITIES
            ):
                n_cap += 1
            else:
                break
            j += 1
        while j - 1 > i and toks[j - 1][0] in ("of", "for"):
            j -= 1
        span_toks = toks[i:j]
        i = j
        text = sentence[span_toks[0][1] : span_toks[-1][2]]
        words = [t for t, _, _ in span_toks]
        if not n_namey:
            # plain capitalised words: a name only when several, mid-sentence, in running text
            known = len(words) == 1 and (_family(text) or _known_dataset(text)) and len(text) > 2
            if (title or len(words) < 2) and not known:
                continue
            if len(words) < 3 and (
                start_i == 0 or sentence[: span_toks[0][1]].strip() in ("", "(", '"')  # sentence-initial
            ):
                continue
        if title and not n_namey:
            continue
        if text.lower() in lx.GENERIC or text.lower() in lx.NOT_ENTITIES or max(map(len, words)) > 30:
            continue
        if any(w.lower() in _ORG_WORDS for w in words) and not n_namey:
            continue
        following = sentence[span_toks[-1][2] : span_toks[-1][2] + 60]
        if len(words) == 1 and _LINK_WORD.search(text) and _next_word(following) in _HEADS:
            continue  # "AMR-to-text generation", "Image-to-Image Translation": a modifier of a term
        out.append(
            Mention(text, type_name(text, following), offset + span_toks[0][1], offset + span_toks[-1][2])
        )
    return out


def _head_type(head: str, phrase: str) -> str | None:
    if phrase in lx.METRICS:
        return "Metric"
    if head in ("learning", "training") and any(w in lx.SETTING_WORDS for w in phrase.split()[:-1]):
        return "Task"
    counts = lx.scierc()["phrases"].get(phrase)
    if counts:
        typed = Counter({k: v for k, v in counts.items() if k in ("Method", "Task", "Metric")}).most_common(2)
        best, n = typed[0] if typed else ("", 0)
        tied = len(typed) > 1 and typed[1][1] == n  # "language modeling": 1 Method, 1 Task; the head decides
        if best and not tied and n >= counts.get("Generic", 0) and n >= counts.get("Other", 0):
            return best
    if head in lx.TASK_HEADS:
        return "Task"
    if head in lx.METHOD_HEADS:
        return "Method"
    if head in lx.METRICS:
        return "Metric"
    dist = lx.scierc()["heads"].get(head)
    if dist:
        typed = {k: v for k, v in dist.items() if k in ("Method", "Task", "Metric")}
        total = sum(dist.values())
        if typed:
            best = max(typed, key=lambda k: typed[k])
            if typed[best] >= 5 and typed[best] >= 0.6 * total:
                return best
    return None


_VERBAL = ("s", "ed", "ing", "ize", "ise", "ate", "ify")


_METRIC_TOKEN = re.compile(r"^(?:top|pass|hits|recall|precision|rouge|map|ap|f)[-@]?\d+$", re.IGNORECASE)


#: Adverbs that belong to a term ("weakly supervised", "fully convolutional") and dimensions ("3D").
_TERM_ADVERB_OR_DIMENSION = re.compile(r"^(?:weakly|fully|densely|sparsely|partially|[1-9]d)$")


@lru_cache(maxsize=65536)
def _is_phrase_word(tok: str) -> bool:
    low = tok.lower()
    if _METRIC_TOKEN.match(tok):
        return True
    if _TERM_ADVERB_OR_DIMENSION.match(low):
        return True  # "weakly supervised object detection", "3D human pose estimation"
    if low in lx.BREAK_WORDS or low.endswith("ly") or any(c.isdigit() for c in tok) or "/" in tok:
        return False
    if low in lx.non_entity_words() and low.endswith(_VERBAL):
        return False
    return tok.islower() or (tok[0].isupper() and tok[1:].islower() and len(tok) > 1) or "-" in tok


@lru_cache(maxsize=65536)
def _leading_stop(word: str) -> bool:
    low = word.lower()
    return low in lx.LEADING_STOP or low in lx.non_entity_words()


def _phrase_word_kind(word: str) -> int:
    """0 when ``word`` cannot be part of a term, 1 when it can and is lower case, 2 when capitalised."""
    if not _is_phrase_word(word):
        return 0
    return 2 if word[0].isupper() else 1


class WordTable:
    """A property of words, computed once per distinct word and looked up for a whole sentence.

    A plain dict read through ``map`` costs a fraction of an ``lru_cache`` call per word; the
    table is emptied when it reaches ``limit`` words, so memory stays bounded on any corpus.

    >>> lengths = WordTable(len, limit=2)
    >>> lengths.of_all(["LoRA", "adapts", "LoRA"]), len(lengths.values)
    ([4, 6, 4], 2)
    """

    def __init__(self, compute: Callable[[str], Any], limit: int = 262_144) -> None:
        self.compute = compute
        self.limit = limit
        self.values: dict[str, Any] = {}

    def of_all(self, words: Sequence[str]) -> list[Any]:
        values = list(map(self.values.get, words))
        if None in values:
            if len(self.values) >= self.limit:
                self.values.clear()
            for k, word in enumerate(words):
                if values[k] is None:
                    values[k] = self.values[word] = self.compute(word)
        return values


@lru_cache(maxsize=65536)
def _phrase_term(run: tuple[str, ...]) -> tuple[str, int, int] | None:
    """(type, first word, last word) of the term the words of a noun-phrase run name, or None.

    Works on the words alone, so a phrase seen in an earlier abstract costs one lookup.

    >>> _phrase_term(("image", "editing", "framework")), _phrase_term(("learning", "strategy"))
    (('Task', 0, 1), None)
    """
    first, last = 0, len(run) - 1
    while first <= last:
        words = [t.lower() for t in run[first : last + 1]]
        head = words[-1]
        if head in _GENERIC_TAILS:
            if last == first:
                return None
            rest_type = _head_type(words[-2], " ".join(words[:-1]))
            if rest_type is not None:
                if last - first == 1 and not (
                    rest_type == "Task" and head in ("task", "tasks", "problem", "problems")
                ):
                    return None  # "quantization scheme", "learning strategy": too vague
                last -= 1
                continue
            if _leading_stop(run[last - 1]) or head not in _METHOD_TAILS:
                return None
            kind = "Method"  # "buffer-replay strategy", "homologous reconstruction scheme"
        else:
            if head in ("network", "networks", "model", "models") and not any(
                w in lx.ARCHITECTURE_KINDS for w in words[:-1]
            ):
                return None
            phrase = " ".join(words)
            kind = _head_type(head, phrase)
            if kind is None:
                # shorten from the right: "curriculum learning objective" -> "curriculum learning"
                if last - first > 1 and head not in _HEADS:
                    last -= 1
                    continue
                return None
            if kind == "Metric" and phrase not in lx.METRICS:
                suffix = next((k for k in range(1, len(words)) if " ".join(words[k:]) in lx.METRICS), None)
                if suffix is not None:
                    first += suffix
                    words = words[suffix:]
            if (first == last and " ".join(words) not in lx.METRICS) or " ".join(words) in lx.GENERIC:
                return None
            if first == last and run[first] in lx.WORDLIKE_METRICS:
                return None  # "each feature map", not mAP
        return kind, first, last
    return None


_HEADS = lx.METHOD_HEADS | lx.TASK_HEADS


def _possible_head(word: str) -> bool:
    """Whether a phrase ending in ``word`` could be typed at all (a cheap filter before typing)."""
    low = word.lower()
    if (
        low in _HEADS
        or low in _GENERIC_TAILS
        or low in lx.METRICS
        or low in ("network", "networks", "model", "models")
    ):
        return True
    return low in _metric_heads() or low in lx.scierc()["heads"]


@lru_cache(maxsize=1)
def _metric_heads() -> frozenset[str]:
    return frozenset(m.split()[-1] for m in lx.METRICS)


_KIND, _POSSIBLE_HEAD, _RUN_ENDER, _LEADING_STOP, _GERUND = 3, 4, 8, 16, 32


def _phrase_word_features(word: str) -> int:
    """What phrase detection asks of a word, as bits: its kind (:func:`_phrase_word_kind`, bits
    0-1), whether it can head a term (4), whether it ends a run of words (8), whether a term never
    starts with it (16: :func:`_leading_stop`) and whether it is an "-ing" word that heads no term
    (32: "using", not "training"), which a run of three words or more drops from its start."""
    low = word.lower()
    return (
        _phrase_word_kind(word)
        | (_POSSIBLE_HEAD if _possible_head(word) else 0)
        | (_RUN_ENDER if low in _RUN_ENDERS else 0)
        | (_LEADING_STOP if _leading_stop(word) else 0)
        | (_GERUND if low.endswith("ing") and low not in _HEADS else 0)
    )


_PHRASE_WORD_FEATURES = WordTable(_phrase_word_features)


def _title_method(text: str) -> bool:
    """A Title Case technique name in a title: several words ending in an architecture-like head."""
    words = text.split()
    return 2 <= len(words) <= 6 and words[-1].lower() in lx.TITLE_METHOD_HEADS and words[0][:1].isupper()


def _term_start(features: list[int], first: int, end: int) -> int:
    """Where a term of the run ``first:end`` starts: past its leading stop words, and past an
    "-ing" word that heads no term when three words or more remain."""
    while first < end and (
        features[first] & _LEADING_STOP or (end - first > 2 and features[first] & _GERUND)
    ):
        first += 1
    return first


def phrase_mentions(sentence: str, offset: int, *, title: bool = False) -> list[Mention]:
    """Common-noun terms ending in a head noun of known type."""
    toks = tokens(sentence)
    n = len(toks)
    words = [t for t, _, _ in toks]
    features = _PHRASE_WORD_FEATURES.of_all(words)
    kinds = list(map(and_, features, repeat(_KIND)))  # 0: no phrase word, 1: lower case, 2: capitalised
    heads = list(map(and_, features, repeat(_POSSIBLE_HEAD)))
    out: list[Mention] = []
    i = 0
    for start in [k for k in range(n) if kinds[k] == 1 or (kinds[k] and (title or k == 0))]:
        if start < i:
            continue  # inside the previous run
        i = start
        j = i + 1
        if not features[i] & _RUN_ENDER:
            while (
                j < n
                and (kinds[j] == 1 or (title and kinds[j]))
                and toks[j - 1][2] + 1 == toks[j][1]
                and sentence[toks[j][1] - 1] == " "
            ):
                j += 1
                if features[j - 1] & _RUN_ENDER:
                    break
        first = i
        i = j
        # strip leading stop words; _phrase_term drops generic heads ("image editing framework")
        first = _term_start(features, first, j)
        if first < j - 4:
            first = j - 4  # a term has four words at most
        if first == j or not any(heads[first:j]):
            continue
        found = _phrase_term(tuple(words[first:j]))
        if found is None:
            continue
        kind, a, b = found
        start_char, end_char = toks[first + a][1], toks[first + b][2]
        text = sentence[start_char:end_char]
        if not (title and kind == "Method" and not _title_method(text)):
            out.append(Mention(text, kind, offset + start_char, offset + end_char))
    return out


#: What separates the names of a list: "A, B and C", "A or B", "Apple's OpenELM and Microsoft's Phi".
LIST_GAP = re.compile(r"^\s*(?:,|;|/|and|or|&|,\s*and|,\s*or|as well as)\s*(?:\w+'s\s+|[a-z]+-based\s+)?$")


def list_end(text: str, mentions: Sequence[Mention], k: int, base: int = 0) -> int:
    """Index of the last of the mentions listed together with ``mentions[k]`` ("A, B and C").

    ``base`` is the offset of ``text`` in the document the mentions' offsets refer to.

    >>> ms = [Mention("A1", "Method", 0, 2), Mention("B1", "Method", 4, 6), Mention("C1", "Method", 11, 13)]
    >>> list_end("A1, B1 and C1 are good", ms, 0)
    2
    """
    while k + 1 < len(mentions) and LIST_GAP.match(
        text[mentions[k].end - base : mentions[k + 1].start - base]
    ):
        k += 1
    return k


_DATA_LIST_CUE = Caseless(
    r"(?:datasets?|benchmarks?|corpora|corpus|suites?)(?:\s*(?:,|:|\(|such as|including|like|"
    r"namely|e\.g\.,?|i\.e\.,?))*\s*(?:namely,?|the)?\s*(?:[a-z]+-[a-z]+\s+)?$"
    r"|\b(?:(?:validation|test|training|dev|development|evaluation)\s+(?:set|split)s?|subsets?|splits?)"
    r"\s+of\s+(?:the\s+)?$"
)


#: What :data:`_DATA_LIST_CUE` needs somewhere before it can match (a cheap test first).
_DATA_LIST_WORD = ("data", "bench", "corp", "suite", "set", "split")
_DATA_AFTER = Caseless(r"\s+(?:datasets?|benchmarks?|corpora|corpus|test sets?|(?:news\s+)?data)\b")


def propagate_list_types(text: str, mentions: list[Mention], low: str | None = None) -> list[Mention]:
    """Names listed together are of one kind: "on ChartQA, Chart-to-Text and ChartX" are all data sets.

    A coordinated list of names becomes Dataset when one member is a known data set or the list
    follows "datasets/benchmarks (such as|including|:)"; well-known model families keep their type.
    ``low``, if given, is ``text.lower()``.

    >>> ms = [Mention("ImageNet", "Dataset", 3, 11), Mention("FooBench2", "Method", 13, 22)]
    >>> [m.type for m in propagate_list_types("on ImageNet, FooBench2.", ms)]
    ['Dataset', 'Dataset']
    """
    out = list(mentions)
    low = text.lower() if low is None else low
    i = 0
    while i < len(out):
        j = list_end(text, out, i)
        chain = range(i, j + 1)
        after = _DATA_AFTER.match(text, low, out[j].end)
        before = text[max(0, out[i].start - 40) : out[i].start]
        before_low = before.lower()
        cue = (
            any(map(before_low.__contains__, _DATA_LIST_WORD)) and _DATA_LIST_CUE.search(before, before_low)
        ) or after
        if cue or (j > i and any(out[k].type == "Dataset" for k in chain)):
            # "the CNN and Daily Mail datasets": a list that ends in the word names data, whatever
            # the names look like
            named_data = bool(after) and "data" not in text[after.start() : after.end()].split()[-1:]
            for k in chain:
                m = out[k]
                if m.type == "Method" and (named_data or not _family(m.text)) and not m.text.islower():
                    out[k] = Mention(m.text, "Dataset", m.start, m.end)
        i = j + 1
    return out


def chunk_mentions(sentence: str, offset: int) -> list[Mention]:
    """Every noun-phrase-like run of two to four words, whatever its head: the broad candidates
    that the learned decision (:mod:`papergraph.extract.decision`) weighs, typed by their head
    where the lexicons know it (``Method`` otherwise).

    >>> [m.text for m in chunk_mentions("We study stochastic petri nets for performance evaluation.", 0)]
    ['stochastic petri nets', 'performance evaluation']
    """
    toks = tokens(sentence)
    n = len(toks)
    words = [t for t, _, _ in toks]
    features = _PHRASE_WORD_FEATURES.of_all(words)
    out: list[Mention] = []
    i = 0
    while i < n:
        if not features[i] & _KIND:
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and features[j] & _KIND
            and not features[j - 1] & _RUN_ENDER
            and toks[j - 1][2] + 1 == toks[j][1]
            and sentence[toks[j][1] - 1] == " "
        ):
            j += 1
        first = _term_start(features, i, j)
        last = j
        while last > first and features[last - 1] & _LEADING_STOP:
            last -= 1
        first = max(first, last - 4)
        if last - first >= 2:
            text = sentence[toks[first][1] : toks[last - 1][2]]
            kind = _head_type(words[last - 1].lower(), text.lower()) or "Method"
            out.append(Mention(text, kind, offset + toks[first][1], offset + toks[last - 1][2]))
        i = j
    return out
