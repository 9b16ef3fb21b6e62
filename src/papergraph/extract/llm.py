"""An optional extractor that asks a local LLM server (an OpenAI-compatible chat API) for the entities.

Off by default: papergraph's own extractor (:func:`papergraph.extract.extract`) needs no model and
no network. Point this one at a server you run yourself (llama.cpp's ``llama-server``, vLLM,
Ollama's ``/v1`` API, LM Studio ...): ``LLMExtractor("http://127.0.0.1:8080/v1", model="qwen2.5")``.

The model is asked for JSON; what it answers is checked, never trusted:

- an entity is kept only if its name is written in the title or abstract (no invented names), and
  its type and relation are among papergraph's (:data:`papergraph.model.ENTITY_TYPES`,
  :data:`papergraph.model.RELATIONS`);
- the evidence of every relation is the sentence of the text that names the entity, with its
  offsets, found by papergraph itself, not a sentence the model wrote;
- a record the server cannot answer, or answers with something that is not the JSON asked for,
  gets the rule-based extraction instead, and the failure is counted in :attr:`LLMExtractor.failures`.

>>> ext = LLMExtractor("http://127.0.0.1:9/v1", model="m", timeout=0.2)  # nothing listens there
>>> from papergraph.model import Record, SourceRef
>>> rec = Record(SourceRef("x", 1, "test"), title="LoRA: Low-Rank Adaptation", abstract="We use GLUE.")
>>> [r.mention.text for r in ext(rec).relations]  # rule-based fallback
['LoRA', 'GLUE']
>>> ext.failures
1
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from papergraph.extract import document_text, extract
from papergraph.extract.sentences import split_sentences
from papergraph.model import ENTITY_TYPES, RELATIONS, Evidence, Extraction, Mention, Record, Relation

__all__ = ["PROMPT", "LLMExtractor", "parse_answer"]

_log = logging.getLogger(__name__)

#: The instructions sent with every record (the annotation guidelines, in short).
PROMPT = """You annotate research paper abstracts for a knowledge graph.
Return JSON only: {"entities": [{"name": ..., "type": ..., "relation": ..., "aliases": [...]}]}
- type: one of Method, Dataset, Metric, Task.
  Method: techniques, models, architectures, named checkpoints (Llama2-7B).
  Dataset: named datasets, benchmarks, corpora. Metric: accuracy, perplexity, F1, latency, FLOPs...
  Task: the research problem or application addressed.
- relation of the paper to the entity: proposes (the paper's own named contribution), uses (builds
  on, evaluates on, reports, addresses), compares-to (a baseline, no claim of being better),
  improves-on (explicitly beaten: outperforms, surpasses, better than).
- name: the most complete surface form exactly as written in the text; aliases: other forms in the
  text (acronym, expansion).
- Never a generic phrase ("our method", "baselines", "the model"), a person, an organisation, a URL
  or a number alone."""


@dataclass
class LLMExtractor:
    """A callable ``Record -> Extraction`` backed by an OpenAI-compatible ``/chat/completions`` API."""

    base_url: str
    model: str
    timeout: float = 60.0
    api_key: str | None = None
    failures: int = field(default=0, init=False)

    def __call__(self, record: Record) -> Extraction:
        text = document_text(record)
        try:
            answer = self._ask(text)
            return parse_answer(record, answer)
        except (OSError, ValueError, KeyError, TypeError, urllib.error.URLError) as exc:
            self.failures += 1
            _log.warning(
                "%s: the LLM server gave no usable answer (%s); the rules extracted it", record.source, exc
            )
            return extract(record)

    def _ask(self, text: str) -> str:
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}],
        }
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            reply = json.loads(response.read().decode("utf-8"))
        return reply["choices"][0]["message"]["content"]


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def parse_answer(record: Record, answer: str) -> Extraction:
    """The :class:`Extraction` a model's JSON ``answer`` states, keeping only what the text supports.

    >>> from papergraph.model import SourceRef
    >>> rec = Record(SourceRef("x", 1, "t"), title="", abstract="Our FooNet beats BERT on GLUE.")
    >>> answer = '''{"entities": [{"name": "FooNet", "type": "Method", "relation": "proposes"},
    ...   {"name": "BERT", "type": "Method", "relation": "improves-on"},
    ...   {"name": "GPT-9", "type": "Method", "relation": "uses"},
    ...   {"name": "GLUE", "type": "Benchmark", "relation": "uses"}]}'''
    >>> [(r.relation, r.mention.text) for r in parse_answer(rec, answer).relations]
    [('proposes', 'FooNet'), ('improves-on', 'BERT')]
    >>> parse_answer(rec, answer).relations[0].evidence.sentence
    'Our FooNet beats BERT on GLUE.'
    """
    data = json.loads(_FENCE.sub("", answer.strip()))
    items = data["entities"] if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("the answer holds no list of entities")
    text = document_text(record)
    sentences = split_sentences(text)
    mentions: list[Mention] = []
    relations: list[Relation] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name", "")).strip()
        kind = str(item.get("type", "")).strip().title()
        relation = str(item.get("relation", "uses")).strip().lower().replace("_", "-").replace(" ", "-")
        if kind not in ENTITY_TYPES or relation not in RELATIONS or len(name) < 2:
            continue
        found = _find(text, name)
        if found is None or (name.casefold(), relation) in seen:
            continue  # not written in the text: never a node
        seen.add((name.casefold(), relation))
        start, end = found
        mention = Mention(text[start:end], kind, start, end)
        sentence = next((s for s in sentences if s.start <= start < s.end), None)
        if sentence is None:
            continue
        aliases = tuple(
            sorted(
                {
                    text[a[0] : a[1]]
                    for alias in item.get("aliases") or ()
                    if isinstance(alias, str) and (a := _find(text, alias.strip())) is not None
                }
                - {mention.text}
            )
        )
        mentions.append(mention)
        relations.append(Relation(relation, mention, Evidence(sentence.text, start, end), aliases))
    mentions.sort(key=lambda m: (m.start, m.end))
    relations.sort(key=lambda r: (r.evidence.start, RELATIONS.index(r.relation), r.mention.text))
    return Extraction(record=record, mentions=tuple(mentions), relations=tuple(relations))


def _find(text: str, name: str) -> tuple[int, int] | None:
    """Where ``name`` is first written in ``text`` as whole words (case-insensitive), or None."""
    if not name:
        return None
    m = re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None
