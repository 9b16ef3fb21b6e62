"""Find abbreviation definitions, "Long Form (LF)", with the Schwartz & Hearst (2003) algorithm.

>>> find_abbreviations("We use Low-Rank Adaptation (LoRA) and Singular Value Decomposition (SVD).")
[('LoRA', 'Low-Rank Adaptation', 7, 26), ('SVD', 'Singular Value Decomposition', 38, 66)]
>>> find_abbreviations("the validation set of Static Facial Expressions in the Wild (SFEW 2.0)")
[('SFEW 2.0', 'Static Facial Expressions in the Wild', 22, 59)]
"""

from __future__ import annotations

import re

_PAREN = re.compile(r"\(([^()]{1,20})\)")
_SHORT_OK = re.compile(r"^[A-Za-z][\w\-+.&/]*$")
_VERSION = re.compile(r"^(?P<core>[A-Za-z][\w\-+&]*)\s+v?\d+(?:\.\d+)*$")

_WORD_BREAK = re.compile(r"[\s\-/]+")
_DIGIT_COMMA_DIGIT = re.compile(r"\d,\d")
_FUNCTION_WORDS = {"and", "of", "for", "the", "in", "on", "with", "to", "a", "an", "by", "via"}


def _best_long_form(short: str, candidate: str) -> int | None:
    """Schwartz-Hearst: index in ``candidate`` where the long form for ``short`` starts, or None.

    The first letter of the short form must start a word that is not a function word
    ("Abstraction and Reasoning Corpus (ARC)", not "and Reasoning Corpus").
    """
    s = short.lower()
    c = candidate.lower()
    si = len(s) - 1
    ci = len(c) - 1
    while si >= 0:
        ch = s[si]
        if not ch.isalnum():
            si -= 1
            continue
        while ci >= 0 and (
            c[ci] != ch
            or (si == 0 and ((ci > 0 and c[ci - 1].isalnum()) or c[ci:].split(" ", 1)[0] in _FUNCTION_WORDS))
        ):
            ci -= 1
        if ci < 0:
            return None
        si -= 1
        ci -= 1
    start = c.rfind(" ", 0, ci + 1) + 1
    return start


def _initials_agree(short: str, long_form: str) -> bool:
    """Most content words of the long form start with a letter of the short form.

    >>> _initials_agree("LoRA", "Low-Rank Adaptation")
    True
    >>> _initials_agree("BERT", "be applied to train multiple PTLMs")
    False
    """
    letters = {c for c in short.lower() if c.isalnum()}
    words = [w for w in _WORD_BREAK.split(long_form.lower()) if w and w not in _FUNCTION_WORDS]
    if not words:
        return False
    hits = sum(1 for w in words if w[0] in letters)
    return hits >= 0.6 * len(words)


def find_abbreviations(text: str) -> list[tuple[str, str, int, int]]:
    """(short form, long form, long-form start, long-form end) for each definition in ``text``."""
    out: list[tuple[str, str, int, int]] = []
    for m in _PAREN.finditer(text):
        short = m.group(1).strip()
        if "," in short and not _DIGIT_COMMA_DIGIT.search(short):
            continue  # "(BERT, BioBERT, GPT-2)" is a list of examples, not a definition
        if ";" in short:
            short = short.split(";")[0].strip()
        version = _VERSION.match(short)  # "(SFEW 2.0)": the letters define, the version stays
        core = version["core"] if version else short
        if not (2 <= len(core) <= 12) or not _SHORT_OK.match(core) or not any(ch.isupper() for ch in core):
            continue
        if sum(ch.isalpha() for ch in core) < 2 or core.lower() in {"e.g", "i.e", "ie", "eg"}:
            continue
        before = text[: m.start()].rstrip(" ")
        n_letters = sum(ch.isalpha() for ch in core)
        # the last words before the bracket (at least 4: n_letters >= 2); rsplit cuts off only
        # those, where split would cut up all the text before the bracket, at every bracket
        reach = min(n_letters + 5, 2 * n_letters)
        window = before.rsplit(" ", reach)[-reach:]
        candidate = " ".join(window)
        # never reach back over a clause boundary
        for sep in (". ", "; ", ": ", ", ", " -- ", "(", ")", "\n"):
            if sep in candidate:
                candidate = candidate.rsplit(sep, 1)[1]
        idx = _best_long_form(core, candidate)
        if idx is None:
            continue
        long_form = candidate[idx:].strip(" -\"'")
        if not long_form or len(long_form) <= len(short) or short.lower() in long_form.lower().split():
            continue
        if not _initials_agree(core, long_form):
            continue
        lstart = len(before) - len(candidate) + idx
        lstart = text.find(long_form, lstart)
        if lstart < 0:
            continue
        out.append((short, long_form, lstart, lstart + len(long_form)))
    return out
