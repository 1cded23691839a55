"""Reading the model's reply, and asking for it in the form each server understands."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.drafting.llm.client import ChatRequest, LLMClient, retry_after
from generator.drafting.llm.config import SERVER_PROFILES, resolve_llm
from generator.drafting.llm.reply import ReplyError, SectionDraft, parse_reply, reply_schema
from generator.errors import ConfigError
from generator.settings import Settings
from tests.chat_server import ChatServer, completion

NAMES = ["headline", "lead"]
GOOD = '{"headline": {"heading": "Bitcoin falls", "paragraphs": []}, "lead": {"heading": "", "paragraphs": ["A."]}}'


@pytest.mark.parametrize("content", [
    GOOD,
    f"```json\n{GOOD}\n```",
    f"Here is the rewrite you asked for:\n{GOOD}\nLet me know if you need more.",
    '{"sections": ' + GOOD + "}",
])
def test_json_is_found_however_it_is_wrapped(content: str) -> None:
    drafts = parse_reply(content, NAMES)
    assert drafts["headline"] == SectionDraft(heading="Bitcoin falls", paragraphs=[])
    assert drafts["lead"] == SectionDraft(heading="", paragraphs=["A."])


@pytest.mark.parametrize(("content", "message"), [
    ("I cannot do that.", "contains no JSON object"),
    ('{"headline": {"heading": "x",', "not valid JSON"),
    ("[1, 2]", "is a JSON list"),
])
def test_unreadable_replies(content: str, message: str) -> None:
    with pytest.raises(ReplyError, match=message):
        parse_reply(content, NAMES)


def test_one_bad_section_does_not_sink_the_others() -> None:
    drafts = parse_reply('{"headline": {"heading": "Bitcoin falls", "paragraphs": []}, '
                         '"lead": {"heading": "", "paragraphs": "not a list"}}', NAMES)
    assert isinstance(drafts["headline"], SectionDraft)
    assert drafts["lead"] == "schema mismatch in 'lead' at paragraphs: Input should be a valid list"
    assert parse_reply('{"headline": {"heading": "x", "paragraphs": []}}', NAMES)["lead"] == (
        "the reply has no 'lead' section")


def test_schema_is_strict_mode_compatible() -> None:
    schema = reply_schema(NAMES)
    assert schema["required"] == NAMES and schema["additionalProperties"] is False
    section = schema["properties"]["lead"]
    assert section["required"] == ["heading", "paragraphs"] and section["additionalProperties"] is False


def settings(**kw: object) -> Settings:
    return Settings(llm="on", llm_base_url="http://127.0.0.1:9/v1", **kw)


@pytest.mark.parametrize(("server", "mode"), [(name, p.mode) for name, p in SERVER_PROFILES.items()])
def test_each_server_gets_its_default_mode(server: str, mode: str) -> None:
    config = resolve_llm(settings(llm_server=server))
    assert config is not None and config.mode == mode


@pytest.mark.parametrize(("server", "mode", "expected"), [
    ("openai", "auto", {"type": "json_schema"}),
    ("llamacpp", "auto", {"type": "json_object", "schema": True}),
    ("ollama", "json_object", {"type": "json_object"}),
    ("lmstudio", "text", None),
])
def test_response_format_on_the_wire(tmp_path: Path, server: str, mode: str, expected: dict | None) -> None:
    from generator.drafting.llm.client import response_format

    with ChatServer([completion(GOOD)]) as srv:
        config = resolve_llm(Settings(llm="on", llm_server=server, llm_mode=mode, llm_base_url=srv.url))
        assert config is not None
        fmt = response_format(config.mode, reply_schema(NAMES), config.json_object_schema)
        request = ChatRequest(purpose="sections", model="m", messages=[{"role": "user", "content": "JSON please"}],
                              temperature=0.2, max_tokens=100, response_format=fmt)
        reply = LLMClient(config).complete(request)
        sent = srv.requests[0]
    assert reply.content == GOOD and (reply.prompt_tokens, reply.completion_tokens) == (1000, 400)
    tokens_param = "max_completion_tokens" if server == "openai" else "max_tokens"
    assert (sent["temperature"], sent[tokens_param]) == (0.2, 100)
    if expected is None:
        assert "response_format" not in sent
        return
    assert sent["response_format"]["type"] == expected["type"]
    if expected["type"] == "json_schema":
        assert sent["response_format"]["json_schema"]["strict"] is True
        assert sent["response_format"]["json_schema"]["schema"] == reply_schema(NAMES)
    assert ("schema" in sent["response_format"]) == bool(expected.get("schema"))


def test_auto_is_off_without_a_key_or_url() -> None:
    assert resolve_llm(Settings()) is None
    assert resolve_llm(Settings(llm="off", llm_api_key="test-key")) is None
    assert resolve_llm(Settings(llm_api_key="test-key")) is not None
    assert resolve_llm(Settings(llm_base_url="http://127.0.0.1:8080/v1")) is not None


def test_auto_picks_up_openai_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    config = resolve_llm(Settings())
    assert config is not None and config.api_key.get_secret_value() == "test-key"


def test_on_without_a_key_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no API key is set"):
        resolve_llm(Settings(llm="on"))
    # A local server needs no key: it gets its default address.
    config = resolve_llm(Settings(llm="on", llm_server="llamacpp"))
    assert config is not None and config.base_url == "http://127.0.0.1:8080/v1"


def test_the_key_is_never_in_the_config_repr() -> None:
    config = resolve_llm(Settings(llm_api_key="test-key-123"))
    assert "test-key-123" not in repr(config) and "test-key-123" not in config.model_dump_json()


def test_credentials_in_the_url_are_not_logged() -> None:
    config = resolve_llm(Settings(llm_base_url="https://user:secret@llm.example.com/v1"))
    assert config is not None and config.where == "https://llm.example.com/v1"


@pytest.mark.parametrize(("headers", "seconds"), [
    ({"retry-after": "2"}, 2.0), ({"retry-after-ms": "1500"}, 1.5), ({"retry-after": "soon"}, None), ({}, None),
])
def test_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after(headers) == seconds


def test_a_one_sentence_draft_may_be_rewritten_as_one_short_sentence() -> None:
    # On a market with little data the lead is "Bitcoin traded at {price.current}." (four words): the model's
    # same-length sentence is not "a paragraph that is not a full sentence"; a fragment still is.
    from generator.drafting.llm.proof import shape_of, substance_problems

    shape = shape_of("lead", "{article.date} — Bitcoin traded at {price.current}.", prefix="{article.date} — ")
    assert substance_problems(shape, "Bitcoin stood at {price.current}.", ["Bitcoin stood at {price.current}."]) == []
    assert substance_problems(shape, "Bitcoin {price.current}", ["Bitcoin {price.current}"]) \
        == ["has a paragraph that is not a full sentence"]


def test_a_placeholder_before_the_object_is_not_taken_for_its_start() -> None:
    from generator.drafting.llm.reply import extract_json

    reply = 'Rewritten with {price.current} kept: {"sections": {"lead": "Bitcoin fell to {price.current}."}}'
    assert extract_json(reply) == {"sections": {"lead": "Bitcoin fell to {price.current}."}}
    assert extract_json('{levels.broken} {"a": {"b": 1}} trailing {x}') == {"a": {"b": 1}}
