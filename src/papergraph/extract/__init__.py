"""Extract entity mentions and paper-level relations, each with its evidence, from one record.

Extraction is a sequence of small named steps (:data:`papergraph.extract.steps.STEPS`) over one
:class:`~papergraph.extract.document.Document` per record, which each step reads and fills in
order; the finders they call (``sentences``, ``abbreviations``, ``mentions``, ``terms``,
``lists``, ``relations``) are plain functions, each testable alone.

>>> from papergraph.model import Record, SourceRef
>>> rec = Record(SourceRef("x", 1, "test"), title="LoRA: Low-Rank Adaptation of Large Language Models",
...              abstract="We propose Low-Rank Adaptation (LoRA). LoRA outperforms adapters on GLUE.")
>>> sorted({(r.relation, r.mention.text) for r in extract(rec).relations})
[('proposes', 'Low-Rank Adaptation'), ('uses', 'GLUE')]
"""

from __future__ import annotations

from collections.abc import Callable

from papergraph.extract import decision
from papergraph.extract.decision import Candidate
from papergraph.extract.document import Decider, Document, document_text
from papergraph.extract.steps import run_steps
from papergraph.model import Extraction, Record

__all__ = ["Decider", "candidates", "document_text", "extract", "extract_learned"]


def extract(record: Record, decide: Decider | decision.Model | str = "rules") -> Extraction:
    """Mentions and relations of one record, each relation with the sentence stating it.

    ``decide`` settles which candidates become entities, and their type: ``"rules"`` (the
    default) the rules alone; ``"learned"`` the model shipped with papergraph
    (:mod:`papergraph.extract.decision`), which also weighs broad noun-phrase candidates (those its
    gate lets through); another :class:`~papergraph.extract.decision.Model`; or any function of a
    :class:`~papergraph.extract.decision.Candidate` (which then sees every broad candidate).
    """
    if decide == "rules":
        return _extract(record, None)
    if decide == "learned":
        learned = decision.model()
        if learned is None:
            raise RuntimeError("no learned model is installed (data/decision_model.json)")
        decide = learned
    if isinstance(decide, decision.Model):
        relate = decide.relate if decide.relation_weights else None
        return _extract(record, decide.decide_candidate, decide.choose_chunk, relate)
    return _extract(record, decide)  # type: ignore[arg-type]


def extract_learned(record: Record) -> Extraction:
    """:func:`extract` with the learned decision: an extractor for ``build(extractor=...)``."""
    return extract(record, "learned")


extract_learned.fingerprint = "learned"  # type: ignore[attr-defined]  # cacheable, see parallel.Extractor


def candidates(
    record: Record, choose_chunk: Callable[[str, str], tuple[int, int, str] | None] | None = None
) -> list[Candidate]:
    """Every candidate group of ``record`` the learned decision sees, with what the rules know of
    it (for training the decision: ``scripts/train_extractor.py``); ``choose_chunk`` picks the span
    of each broad candidate (``None``: each whole)."""
    found: list[Candidate] = []

    def keep_all(c: Candidate) -> str | None:
        found.append(c)
        return c.rule_type

    _extract(record, keep_all, choose_chunk)
    return found


def _extract(
    record: Record,
    decide: Decider | None,
    choose_chunk: Callable[[str, str], tuple[int, int, str] | None] | None = None,
    relate: Callable[[Candidate], str | None] | None = None,
) -> Extraction:
    return run_steps(Document(record, decide, choose_chunk, relate)).extraction()
