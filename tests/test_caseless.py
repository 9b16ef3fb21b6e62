"""Caseless patterns find exactly the spans that the same pattern finds under re.IGNORECASE."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papergraph.extract import lists, relations
from papergraph.extract.caseless import Caseless

PATTERNS = {
    "improve": relations._IMPROVE,
    "compare": relations._COMPARE,
    "naming": relations._NAMING,
    "we-verb": relations._WE_VERB,
    "own-subject": relations._OWN_SUBJECT,
    "evaluation": lists._EVALUATION,
    "data-after": lists._DATA_AFTER,
}

#: Words the patterns look for, and the letters where case-folding and lower-casing differ.
WORDS = ["We", "PROPOSE", "outperforms", "Compared", "to", "our", "Method", "called", "datasets"]
ODD = ["İ", "ı", "ſ", "K", "ß", "é", " ", ",", "-", "\n"]


@pytest.mark.parametrize("name", sorted(PATTERNS))
@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(WORDS + ODD) | st.text(max_size=3), max_size=12))
def test_same_spans_as_ignorecase(name: str, parts: list[str]) -> None:
    caseless = PATTERNS[name]
    text = " ".join(parts)
    reference = re.compile(caseless.pattern, re.IGNORECASE)
    assert [m.span() for m in caseless.finditer(text, text.lower())] == [
        m.span() for m in reference.finditer(text)
    ]


def test_real_sentences_with_odd_letters() -> None:
    cue = relations._IMPROVE
    for text in ["Our model outperforms BERT.", "OUR MODEL OUTPERFORMS BERT.", "İt outperforms BERT."]:
        assert cue.search(text, text.lower()) is not None
    # "ſ" (long s) matches "s" under IGNORECASE but is kept by lower(): the slow path answers
    text = "Our model ſurpasses BERT."
    assert cue.search(text, text.lower()) is not None


def test_capital_letters_in_a_pattern_are_refused() -> None:
    with pytest.raises(ValueError, match="lower case"):
        Caseless(r"\bOutperforms\b")
    assert Caseless(r"(?P<verb>\S+)").pattern == r"(?P<verb>\S+)"
