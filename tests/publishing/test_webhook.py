"""The webhook against a receiver on 127.0.0.1 that checks the HMAC signature itself."""

from __future__ import annotations

import time

import pytest

from generator.errors import ConfigError, PublishError
from generator.publishing import PublishableArticle, make_target
from generator.publishing.webhook import Webhook, sign, verify_signature
from generator.settings import Settings
from tests.publishing.receiver import SECRET, Receiver, receiver  # noqa: F401 - receiver is a fixture


def test_signed_delivery_is_accepted(receiver: Receiver, example_article: PublishableArticle) -> None:
    post = Webhook(receiver.url, SECRET, backoff=0.01).publish(example_article)
    assert post.remote_id == "evt_1" and post.url == "https://cms.example.com/a/1"
    [delivery] = receiver.accepted
    body, headers = delivery["body"], delivery["headers"]
    assert headers["X-Marketnews-Event"] == "article.published" and headers["Content-Type"] == "application/json"
    assert body["event"] == "article.published" and body["article"]["guid"] == example_article.guid
    assert body["article"]["title"] == example_article.title and body["article"]["has_chart"] is True
    assert body["article"]["markdown"].startswith("---\ntitle: ")


def test_same_content_has_the_same_delivery_id(receiver: Receiver, second_article: PublishableArticle) -> None:
    hook = Webhook(receiver.url, SECRET, backoff=0.01)
    hook.publish(second_article)
    hook.publish(second_article)
    hook.publish(second_article.model_copy(update={"title": "Changed"}))
    ids = [d["headers"]["X-Marketnews-Delivery"] for d in receiver.accepted]
    assert ids[0] == ids[1] != ids[2]


def test_wrong_secret_is_a_clear_error(receiver: Receiver, second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError, match="answered 401.*webhook_secret"):
        Webhook(receiver.url, "not-the-secret", backoff=0.01).publish(second_article)
    assert receiver.rejected == 1 and not receiver.accepted


def test_replayed_old_delivery_is_rejected(receiver: Receiver, second_article: PublishableArticle) -> None:
    stale = Webhook(receiver.url, SECRET, backoff=0.01, clock=lambda: time.time() - 3600)
    with pytest.raises(PublishError, match="401"):
        stale.publish(second_article)


def test_server_errors_are_retried(receiver: Receiver, second_article: PublishableArticle) -> None:
    receiver.fail = [500, 502]
    assert Webhook(receiver.url, SECRET, backoff=0.01).publish(second_article).remote_id == "evt_1"
    receiver.fail = [500] * 5
    with pytest.raises(PublishError, match=r"answered 500: .*\(after 2 deliveries\)"):
        Webhook(receiver.url, SECRET, retries=1, backoff=0.01).publish(second_article)


def test_verify_signature_helper() -> None:
    body, now = b'{"event":"x"}', 1_700_000_000
    good = sign(SECRET, now, body)
    assert verify_signature(SECRET, body, str(now), good, now=now + 10)
    assert not verify_signature(SECRET, body + b" ", str(now), good, now=now)
    assert not verify_signature(SECRET, body, str(now), good, now=now + 301)  # replay window passed
    assert not verify_signature("other", body, str(now), good, now=now)
    assert not verify_signature(SECRET, body, "yesterday", good, now=now)


def test_settings() -> None:
    with pytest.raises(ConfigError, match="webhook_secret is not set"):
        make_target("webhook", Settings(webhook_url="https://hooks.example.com/x"))
    hook = make_target("webhook", Settings(webhook_url="https://hooks.example.com/x", webhook_secret=SECRET))
    assert isinstance(hook, Webhook) and hook.find_existing is not None
