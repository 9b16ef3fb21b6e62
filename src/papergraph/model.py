"""The small immutable records that flow between papergraph's stages.

``sources`` yields :class:`Record`; ``extract`` turns a record into an :class:`Extraction`
(mentions and relations, each with the sentence that states it); ``resolve`` merges them into
:class:`Paper` and :class:`Entity` nodes joined by :class:`Edge`; ``graph.KnowledgeGraph`` holds
the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ENTITY_TYPES",
    "INFERRED_RELATIONS",
    "MERGE_REASONS",
    "RELATIONS",
    "Edge",
    "Entity",
    "Evidence",
    "ExternalWork",
    "Extraction",
    "InferredLink",
    "Mention",
    "Merge",
    "Paper",
    "Problem",
    "Record",
    "Reference",
    "Relation",
    "SourceRef",
]

#: Entity types, in the order they are reported.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Dataset", "Metric", "Task")
#: Paper-level relations, in the order they are reported (CLI, RDF local names in ``rdf``).
RELATIONS: tuple[str, ...] = ("proposes", "uses", "compares-to", "improves-on")


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a record was read: a file and the 1-based line its record starts on."""

    path: str
    line: int
    format: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a record's reference list as its source gives it: the reference's text (as
    written, possibly empty) and the canonical identifiers it carries (see
    :mod:`papergraph.identifiers`), when the source gives them apart from the text."""

    text: str = ""
    ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
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
    #: Canonical identifiers (``doi:…``, ``arXiv:…``, ``openalex:W…``, ``s2:…``, ``pmid:…``,
    #: ``scopus:…``, ``wos:…``) the reader found, besides ``id`` and ``url``.
    identifiers: tuple[str, ...] = ()
    #: References with structure (identifiers given apart from the text), besides ``references``.
    cited: tuple[Reference, ...] = ()
    #: Papers that cite this one, as the source lists them (Semantic Scholar ``citations``).
    cited_by: tuple[Reference, ...] = ()
    #: ``(author name as in authors, ORCID iD)`` for the authors the source gives an ORCID.
    orcids: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a reader could not use: the file, the line, and what is wrong.

    ``skipped`` is False for a warning: the part named was read, but not exactly as written
    (decoded as Latin-1, stray NUL bytes dropped, extra CSV fields ignored …).
    """

    path: str
    line: int | None
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence that states a fact, and the character span of the mention inside the text.

    ``start``/``end`` index into the document text the extractor saw (title, newline, abstract),
    so ``text[start:end]`` is the mention; ``sentence`` is the whole sentence around it.
    """

    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text naming a research entity."""

    text: str
    type: str  # one of ENTITY_TYPES
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Relation:
    """The paper (subject, implicit) relates to the entity named by ``mention``."""

    relation: str  # one of RELATIONS
    mention: Mention
    evidence: Evidence
    #: Other surface forms of the same entity in this text ("LoRA" for "Low-Rank Adaptation").
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Extraction:
    """What ``extract`` found in one record."""

    record: Record
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    #: (short form, long form) pairs defined in the text, e.g. ("LoRA", "Low-Rank Adaptation").
    abbreviations: tuple[tuple[str, str], ...] = ()

    def names(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(mention text, entity type, aliases) of each relation, in order: what naming the
        entities reads (a build's packed extractions give the same without making relations)."""
        return [(r.mention.text, r.mention.type, r.aliases) for r in self.relations]

    def facts(self) -> list[tuple[str, str, str, int, int]]:
        """(relation, mention text, evidence sentence, start, end) of each relation, in order: what
        making a paper's edges reads."""
        return [
            (r.relation, r.mention.text, r.evidence.sentence, r.evidence.start, r.evidence.end)
            for r in self.relations
        ]


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world research entity (a resolved node)."""

    key: str  # stable slug, e.g. "lora"
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None  # key of the family entity (checkpoint -> family)


@dataclass(frozen=True, slots=True)
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
    #: Where it appeared: the journal, conference or preprint server its records name.
    venue: str | None = None
    #: ``(author name, ORCID iD)`` as its records give them (not compared: a graph file keeps
    #: them on the persons, ``owl:sameAs`` their ORCID IRI).
    orcids: tuple[tuple[str, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed link between two nodes (paper or entity keys), backed by evidence when it has any."""

    source: str
    relation: str  # RELATIONS, or "cites" / "builds-on" / "broader" for derived links
    target: str
    evidence: Evidence | None = None
    paper: str | None = None  # key of the paper whose text states it
    extra: tuple[tuple[str, str], ...] = field(default=())


#: Why a surface form belongs to its entity (see :class:`Merge`), in the order they are explained.
MERGE_REASONS: tuple[str, ...] = (
    "label",  # the form chosen as the entity's label
    "normal-form",  # same normal form as ``via``: case, hyphens, spaces, plural
    "alias",  # named as one entity inside one paper (e.g. a title's name and its expansion)
    "acronym",  # acronym and expansion defined in ``paper``, and no paper expands it otherwise
    "expansion-variant",  # another expansion of the same acronym, differing by one inflected word
    "acronym-in-paper",  # an acronym with several expansions in the corpus, defined as ``via`` here
    "fuzzy",  # rapidfuzz ratio ``score`` with ``via`` (same prefix and numbers)
    "curated",  # a common abbreviation from papergraph's curated list, not contradicted by the corpus
)


@dataclass(frozen=True, slots=True)
class Merge:
    """Why one surface form is part of an entity: the resolution step that put it there.

    ``via`` is the form it was joined to (``None`` for the label); ``paper`` the paper whose text
    made the link (an acronym definition), ``score`` the fuzzy ratio; ``papers`` are the keys of
    the papers whose text uses the form.
    """

    entity: str
    form: str
    reason: str  # one of MERGE_REASONS
    via: str | None = None
    paper: str | None = None
    score: float | None = None
    papers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExternalWork:
    """A work cited by a paper of the graph but not itself in the input (not a :class:`Paper`)."""

    key: str  # e.g. "work/arxiv-2106.09685", "work/doi-10.1145-3442188"
    label: str  # the reference as written
    identifiers: tuple[str, ...] = ()  # "arXiv:2106.09685", "doi:10.1145/3442188"
    arxiv_id: str | None = None


#: Relations an inferred paper-to-paper link can take, in the order they are reported.
INFERRED_RELATIONS: tuple[str, ...] = (
    "uses-method-in",
    "uses-data-from",
    "builds-on",
    "compares-to",
    "improves-on",
)


@dataclass(frozen=True, slots=True)
class InferredLink:
    """Paper ``source`` uses / compares to / improves on entity ``via``, which paper ``target``
    proposes; ``relation`` is one of :data:`INFERRED_RELATIONS`. Never read from the input."""

    source: str
    relation: str
    target: str
    via: str
