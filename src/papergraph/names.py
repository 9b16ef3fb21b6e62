"""Name normalisation shared by extraction (grouping a paper's mentions) and resolution.

>>> normalize("LLaMA2-7B") == normalize("Llama 2 7B") == normalize("LLAMA2-7B")
True
>>> normalize("Diffusion Models") == normalize("diffusion model")
True
>>> normalize("GPT-3") == normalize("GPT-4")
False
>>> slug("Low-Rank Adaptation (LoRA)")
'low-rank-adaptation-lora'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9+]+")

#: Words for what kind of thing a name is, written after it ("ImageNet benchmark", "BLEU score",
#: "the BERT model"): regular-expression alternatives by entity type. Extraction keeps a name
#: written so as an alias; resolution takes the form for the bare name.
KIND_WORDS: dict[str, str] = {
    "Dataset": r"datasets?|data\s?sets?|benchmarks?|corpus|corpora|suites?|"
    r"(?:test|dev|test-dev|validation|val|training)\s+sets?|environments?|domain|track",
    "Metric": r"scores?|points|metrics?",
    "Task": r"tasks?|problems?",
    "Method": r"models?|architectures?|methods?|approach|framework|(?:neural\s+)?networks?|nets?|modules?|"
    r"algorithms?|systems?",
}
_SLUG = re.compile(r"[^a-z0-9]+")
_ACRONYM_PLURAL = re.compile(r"^(?P<stem>[A-Z][A-Za-z0-9-]*[A-Z0-9])s$")
_KEEP_S = ("ss", "us", "is", "ics", "ous", "ness", "sis", "xis")


def fold(text: str) -> str:
    """Case- and accent-folded text (NFKD, combining marks removed).

    ASCII text has nothing to decompose and no combining marks: it is only case-folded, without
    the walk over every character (most names and titles; a sixth of resolving 10k papers).

    >>> fold("Réseau ÉNORME"), fold("ResNet-50")
    ('reseau enorme', 'resnet-50')
    """
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def singular(name: str) -> str:
    """Singular form of the last word: "Transformers" -> "Transformer", "DMs" -> "DM".

    >>> singular("diffusion models"), singular("LLMs"), singular("Stanford Dogs"), singular("loss")
    ('diffusion model', 'LLM', 'Stanford Dog', 'loss')
    """
    head, sep, last = name.rpartition(" ")
    m = _ACRONYM_PLURAL.match(last)
    if m and any(c.islower() for c in last[:-1]) is False:
        last = m["stem"]
    elif len(last) > 3 and last.endswith("ies") and last[:-3].isalpha() and last.islower():
        last = last[:-3] + "y"
    elif (
        len(last) > 3
        and last.endswith("s")
        and not last.lower().endswith(_KEEP_S)
        and last[:-1].isalpha()
        and not last[:-1].isupper()
    ):
        last = last[:-1]
    return head + sep + last


@lru_cache(maxsize=262144)
def normalize(name: str) -> str:
    """The key two surface forms of one entity share: folded, singular, punctuation and spaces removed."""
    return _NON_ALNUM.sub("", fold(singular(name.strip())))


def slug(text: str, max_len: int = 60) -> str:
    """A readable IRI-safe slug."""
    s = _SLUG.sub("-", fold(text)).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0] or s[:max_len]
    return s or "x"
