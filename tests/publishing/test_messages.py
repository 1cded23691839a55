"""Publishing failures say what happened: a timeout is a timeout, a refusal a refusal, resends are counted."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from generator.errors import PublishError
from generator.publishing import PublishableArticle
from generator.publishing.webhook import Webhook
from generator.publishing.wordpress import WordPress
from tests.publishing.test_wordpress import PASSWORD


@pytest.fixture
def silent() -> Iterator[str]:
    """A server that accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def closed() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now


def test_a_wordpress_that_never_answers_is_a_timeout_not_a_connection_error(
        silent: str, second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError) as err:
        WordPress(silent, "editor", PASSWORD, timeout=0.3, retries=1, backoff=0.01).publish(second_article)
    text = str(err.value)
    assert text.startswith(f"WordPress at {silent} did not answer within 0.3 s") and "publish_timeout" in text
    assert "ConnectionError" not in text and "cannot reach" not in text


def test_a_webhook_post_that_timed_out_says_it_was_not_resent(silent: str,
                                                             second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError, match=r"did not answer within 0.3 s \(not resent: the server may have acted"):
        Webhook(silent, "s" * 32, timeout=0.3, retries=2, backoff=0.01).publish(second_article)


@pytest.mark.parametrize("target", ["wordpress", "webhook"])
def test_a_refused_connection_says_refused(closed: str, target: str, second_article: PublishableArticle) -> None:
    client = (WordPress(closed, "editor", PASSWORD, retries=0) if target == "wordpress"
              else Webhook(closed, "s" * 32, retries=0))
    with pytest.raises(PublishError, match=r"refused the connection: is it running, and is the address right\?"):
        client.publish(second_article)
