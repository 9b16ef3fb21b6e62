"""The one record of a paper while extraction reads it: the :class:`Document` that the steps of
:data:`papergraph.extract.steps.STEPS` read and fill in order (its text and sentences, the
abbreviations it defines, the candidate mentions of each finder, the mentions kept, their groups,
what the paper proposes, the relations each sentence states, the learned decision's types and
relations), and the :class:`~papergraph.model.Extraction` made of it at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from papergraph.extract.decision import Candidate
from papergraph.extract.grouping import Group
from papergraph.extract.sentences import Sentence
from papergraph.model import Extraction, Mention, Record, Relation

__all__ = ["Decider", "Document", "Titled", "document_text"]

#: The decision on each candidate: its type, or ``None`` when it is no entity of the graph.
Decider = Callable[[Candidate], "str | None"]


class Titled(Protocol):
    """What has a title and an abstract: a :class:`~papergraph.model.Record`, a ``Paper``."""

    @property
    def title(self) -> str | None: ...
    @property
    def abstract(self) -> str: ...


def document_text(record: Titled) -> str:
    """The text evidence offsets refer to: the title, a newline, the abstract (or the abstract
    alone): of a record while it is extracted, of its paper when resolution reads the evidence."""
    return f"{record.title}\n{record.abstract}" if record.title else record.abstract


@dataclass(eq=False)
class Document:
    """A record and what the extraction steps found in it so far (each field names the step that
    fills it). ``decide``, ``choose_chunk`` and ``relate`` are the learned decision's parts
    (``None``: the rules decide alone); ``choose_chunk`` gives the span of a broad candidate to keep
    as ``(start, end, type)`` within it, or ``None`` to drop it."""

    record: Record
    decide: Decider | None = None
    choose_chunk: Callable[[str, str], tuple[int, int, str] | None] | None = None
    relate: Callable[[Candidate], str | None] | None = None
    # read_text
    text: str = ""
    low: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    title_sentence: Sentence | None = None
    title_end: int = 0
    # define_abbreviations (links: short form -> long form, by normal form)
    definitions: list[tuple[str, str, int, int]] = field(default_factory=list)
    abbr: list[Mention] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    # name_in_title, find_candidates: each finder's candidates (chunks: for a learned decision only)
    names: list[Mention] = field(default_factory=list)
    phrases: list[Mention] = field(default_factory=list)
    cued: list[Mention] = field(default_factory=list)
    chunks: list[Mention] = field(default_factory=list)
    proposed_spans: list[tuple[Mention, Sentence]] = field(default_factory=list)
    debris: list[tuple[int, int]] = field(default_factory=list)
    # select_mentions
    mentions: list[Mention] = field(default_factory=list)
    # group_mentions: normal form -> group; descriptions said once; mentions by sentence start
    groups: dict[str, Group] = field(default_factory=dict)
    weak: set[str] = field(default_factory=set)
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    # find_proposed: group key -> (mention, sentence) naming it as the paper's own
    proposed: dict[str, tuple[Mention, Sentence]] = field(default_factory=dict)
    # find_relations: (group key, relation) -> (mention, sentence); cue signals for the decision
    found: dict[tuple[str, str], tuple[Mention, Sentence]] = field(default_factory=dict)
    signals: defaultdict[str, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    improved: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    # decide: the decided type where it is not the rules', the relation the model's part decides
    kinds: dict[str, str] = field(default_factory=dict)
    chosen: dict[str, str] = field(default_factory=dict)
    # assemble_relations
    relations: list[Relation] = field(default_factory=list)

    def extraction(self) -> Extraction:
        """What extraction gives for the record: mentions, relations and abbreviation pairs."""
        pairs = tuple(sorted({(short, long_form) for short, long_form, _, _ in self.definitions}))
        return Extraction(
            record=self.record,
            mentions=tuple(self.mentions),
            relations=tuple(self.relations),
            abbreviations=pairs,
        )
