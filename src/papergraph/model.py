"""The small immutable records that flow between papergraph's stages.

``sources`` yields :class:`Record`; ``extract`` turns a record into an :class:`Extraction`
(mentions and relations, each with the sentence that states it); ``resolve`` merges them into
:class:`Paper` and :class:`Entity` nodes joined by :class:`Edge`; ``graph.KnowledgeGraph`` holds
the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Entity types, in the order they are reported.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Dataset", "Metric", "Task")
#: Paper-level relations, in the order they are reported (CLI, RDF local names in ``rdf``).
RELATIONS: tuple[str, ...] = ("proposes", "uses", "compares-to", "improves-on")


@dataclass(frozen=True)
class SourceRef:
    """Where a record was read: a file and the 1-based line its record starts on."""

    path: str
    line: int
    format: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Record:
    """One paper listing as read from one file, before any interpretation of its text."""

    source: SourceRef
    abstract: str
    title: str | None = None
    id: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    byline: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY)
    url: str | None = None
    upvotes: int | None = None
    references: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Problem:
    """Something a reader could not use: the file, the line, and what is wrong."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Evidence:
    """The sentence that states a fact, and the character span of the mention inside the text.

    ``start``/``end`` index into the document text the extractor saw (title, newline, abstract),
    so ``text[start:end]`` is the mention; ``sentence`` is the whole sentence around it.
    """

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A span of text naming a research entity."""

    text: str
    type: str  # one of ENTITY_TYPES
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    """The paper (subject, implicit) relates to the entity named by ``mention``."""

    relation: str  # one of RELATIONS
    mention: Mention
    evidence: Evidence
    #: Other surface forms of the same entity in this text ("LoRA" for "Low-Rank Adaptation").
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """What ``extract`` found in one record."""

    record: Record
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    #: (short form, long form) pairs defined in the text, e.g. ("LoRA", "Low-Rank Adaptation").
    abbreviations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Entity:
    """One real-world research entity (a resolved node)."""

    key: str  # stable slug, e.g. "lora"
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None  # key of the family entity (checkpoint -> family)


@dataclass(frozen=True)
class Paper:
    """One real paper (a resolved node), remembering every record that carried it."""

    key: str
    label: str
    title: str | None
    abstract: str
    identifiers: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    byline: str | None = None
    date: str | None = None
    url: str | None = None
    upvotes: int | None = None
    arxiv_id: str | None = None


@dataclass(frozen=True)
class Edge:
    """A typed link between two nodes (paper or entity keys), backed by evidence when it has any."""

    source: str
    relation: str  # RELATIONS, or "cites" / "builds-on" / "broader" for derived links
    target: str
    evidence: Evidence | None = None
    paper: str | None = None  # key of the paper whose text states it
    extra: tuple[tuple[str, str], ...] = field(default=())
