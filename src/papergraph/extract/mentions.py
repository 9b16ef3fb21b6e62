"""Find and type the spans of a text that name research entities: the words of a sentence
(:func:`tokens`) and the names authors coin (:func:`name_mentions`: ``LoRA``, ``GPT-4``,
``Llama2-7B``, ``ImageNet``, ``Stable Diffusion``, ``BabyLM Challenge``), typed by
:func:`type_name`.

The other detectors, each a plain function over one sentence, live beside it: common-noun terms
in :mod:`papergraph.extract.terms` (``knowledge distillation``, ``memory footprint``), abbreviation
definitions in :mod:`papergraph.extract.abbreviations` (``Low-Rank Adaptation (LoRA)``), and the
types that spread along lists in :mod:`papergraph.extract.lists`.

>>> [(m.text, m.type) for m in name_mentions("We fine-tune Llama2-7B on ImageNet and GLUE.", 0)]
[('Llama2-7B', 'Method'), ('ImageNet', 'Dataset'), ('GLUE', 'Dataset')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from papergraph.extract import lexicon as lx
from papergraph.extract.caseless import Caseless
from papergraph.model import Mention

__all__ = [
    "GENERIC_TAILS",
    "METHOD_TAILS",
    "RUN_ENDERS",
    "TERM_HEADS",
    "TOKEN",
    "in_model_family",
    "is_namey",
    "name_mentions",
    "token_spans",
    "tokens",
    "type_name",
]

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
GENERIC_TAILS = {
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
METHOD_TAILS = {
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
RUN_ENDERS = {
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
    if (
        len(tok) <= 2
        and tok.isupper()
        and not (in_model_family(tok) or _known_dataset(tok) or low in lx.METRICS)
    ):
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
def in_model_family(name: str) -> bool:
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
    if in_model_family(name):
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
            known = len(words) == 1 and (in_model_family(text) or _known_dataset(text)) and len(text) > 2
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
        if len(words) == 1 and _LINK_WORD.search(text) and _next_word(following) in TERM_HEADS:
            continue  # "AMR-to-text generation", "Image-to-Image Translation": a modifier of a term
        out.append(
            Mention(text, type_name(text, following), offset + span_toks[0][1], offset + span_toks[-1][2])
        )
    return out


TERM_HEADS = lx.METHOD_HEADS | lx.TASK_HEADS
