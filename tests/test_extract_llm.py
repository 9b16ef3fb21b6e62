"""The optional LLM extractor, against a fake OpenAI-compatible server on 127.0.0.1 (no network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from papergraph.extract import extract
from papergraph.extract.llm import LLMExtractor
from papergraph.model import Record, SourceRef

RECORD = Record(
    SourceRef("fake.jsonl", 1, "jsonl"),
    title="LoRA: Low-Rank Adaptation of Large Language Models",
    abstract=(
        "We propose Low-Rank Adaptation (LoRA), which freezes the pre-trained weights. "
        "LoRA outperforms adapters on GLUE while reducing the number of trainable parameters."
    ),
)

ANSWER = {
    "entities": [
        {"name": "Low-Rank Adaptation", "type": "Method", "relation": "proposes", "aliases": ["LoRA"]},
        {"name": "adapters", "type": "Method", "relation": "improves-on"},
        {"name": "GLUE", "type": "Dataset", "relation": "uses"},
        {"name": "SuperGLUE", "type": "Dataset", "relation": "uses"},  # not in the text
        {"name": "trainable parameters", "type": "Quantity", "relation": "uses"},  # not a type
    ]
}


class FakeServer:
    """Answers ``/v1/chat/completions`` with ``reply`` (a string: the message content) or ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, dict]] = []
        self.reply: str = json.dumps(ANSWER)
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append((dict(self.headers), body))
                payload = json.dumps({"choices": [{"message": {"content": owner.reply}}]}).encode()
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    fake.thread.start()
    yield fake
    fake.httpd.shutdown()
    fake.httpd.server_close()


def test_entities_come_with_the_sentence_that_names_them(server):
    ext = LLMExtractor(server.url, model="local-model", api_key="secret")
    found = ext(RECORD)
    facts = {(r.relation, r.mention.type, r.mention.text) for r in found.relations}
    assert facts == {
        ("proposes", "Method", "Low-Rank Adaptation"),
        ("improves-on", "Method", "adapters"),
        ("uses", "Dataset", "GLUE"),
    }
    text = f"{RECORD.title}\n{RECORD.abstract}"
    for r in found.relations:
        assert text[r.evidence.start : r.evidence.end] == r.mention.text
        assert r.mention.text in r.evidence.sentence
    lora = next(r for r in found.relations if r.relation == "proposes")
    assert lora.aliases == ("LoRA",)
    assert ext.failures == 0


def test_the_request_is_an_openai_chat_completion(server):
    LLMExtractor(server.url, model="local-model", api_key="secret")(RECORD)
    headers, body = server.requests[0]
    assert body["model"] == "local-model" and body["temperature"] == 0
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][1]["content"].startswith(RECORD.title)
    assert headers["Authorization"] == "Bearer secret"


def test_names_the_text_does_not_contain_are_dropped(server):
    server.reply = json.dumps({"entities": [{"name": "GPT-7", "type": "Method", "relation": "uses"}]})
    assert LLMExtractor(server.url, model="m")(RECORD).relations == ()


def test_a_fenced_answer_is_read(server):
    server.reply = "```json\n" + json.dumps(ANSWER) + "\n```"
    assert len(LLMExtractor(server.url, model="m")(RECORD).relations) == 3


@pytest.mark.parametrize("status,reply", [(500, "{}"), (200, "I cannot help with that."), (200, '{"x": 1}')])
def test_a_failed_answer_falls_back_to_the_rules(server, status, reply):
    server.status, server.reply = status, reply
    ext = LLMExtractor(server.url, model="m", timeout=5)
    assert ext(RECORD) == extract(RECORD)
    assert ext.failures == 1


def test_build_with_llm_uses_the_server(server, tmp_path):
    from papergraph.cli import main
    from papergraph.export.rdf_load import load

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "p1", "title": RECORD.title, "abstract": RECORD.abstract}) + "\n")
    out = tmp_path / "out"
    code = main(
        ["build", str(src), "--out", str(out), "--format", "ttl", "--llm", server.url, "--llm-model", "m"]
    )
    assert code == 0 and server.requests
    kg = load(out / "graph.ttl")
    assert {(e.type, e.label) for e in kg.entities} >= {("Method", "adapters"), ("Dataset", "GLUE")}
    assert not (out / ".papergraph-cache.sqlite").exists()  # an LLM's answers are not cached


def test_llm_needs_a_model(tmp_path, capsys):
    from papergraph.cli import main

    src = tmp_path / "in.txt"
    src.write_text("Abstract: We propose FooNet.\n")
    assert main(["build", str(src), "--out", str(tmp_path / "o"), "--llm", "http://127.0.0.1:9/v1"]) == 2
    assert "--llm needs --llm-model" in capsys.readouterr().err
