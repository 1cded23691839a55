"""The webhook target: a JSON POST per article, signed with HMAC-SHA256.

Headers sent with every delivery:

- ``X-Marketnews-Event``: ``article.published`` (or the event given to ``notify``)
- ``X-Marketnews-Delivery``: an id that is the same for the same event and content,
  so a receiver can drop a delivery it has already processed
- ``X-Marketnews-Timestamp``: Unix seconds when the request was signed
- ``X-Marketnews-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>." + raw body``
  with the shared secret. Signing the timestamp with the body stops replays: a
  receiver rejects timestamps older than a few minutes (see :func:`verify_signature`).

A webhook cannot be asked what it already has, so ``find_existing`` returns None and
idempotency rests on the receiver de-duplicating by delivery id or article guid.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import requests

from generator.errors import ConfigError, PublishError
from generator.publishing.article import PublishableArticle, RemotePost
from generator.publishing.http import RETRY_STATUSES, error_detail, make_session, resends, transport_error

EVENT_HEADER = "X-Marketnews-Event"
DELIVERY_HEADER = "X-Marketnews-Delivery"
TIMESTAMP_HEADER = "X-Marketnews-Timestamp"
SIGNATURE_HEADER = "X-Marketnews-Signature"
REPLAY_WINDOW_S = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, body: bytes, timestamp: str, signature: str, now: float | None = None,
                     tolerance: float = REPLAY_WINDOW_S) -> bool:
    """For receivers written in Python: True when the signature matches and the timestamp is fresh."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent, body), signature)


def article_payload(article: PublishableArticle) -> dict[str, Any]:
    """The JSON an ``article.published`` delivery carries."""
    return {
        "slug": article.slug, "guid": article.guid, "title": article.title,
        "date": article.date.isoformat().replace("+00:00", "Z"), "asset": article.asset,
        "asset_name": article.asset_name, "kind": article.kind, "summary": article.summary,
        "tags": article.tags, "categories": article.categories, "markdown": article.markdown,
        "html": article.html_with_chart(None), "has_chart": article.chart_path is not None,
    }


class Webhook:
    """POSTs signed JSON to one URL; remote id = the receiver's ``id`` if it answers with one."""

    name = "webhook"

    def __init__(self, url: str, secret: str, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5,
                 clock: Callable[[], float] = time.time) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"webhook_url must be an absolute http(s) URL, got {url!r}")
        if not secret:
            raise ConfigError("webhook_secret is empty; deliveries are always signed")
        self.url, self.secret, self.timeout, self.clock = url, secret, timeout, clock
        # Receivers de-duplicate by delivery id, so a POST may be resent on any 5xx, as webhook senders do.
        self.session = make_session(retries, backoff, post_statuses=RETRY_STATUSES)

    @classmethod
    def from_settings(cls, settings) -> Webhook:  # noqa: ANN001 - generator.settings.Settings
        if not settings.webhook_url:
            raise ConfigError("webhook_url is not set (see docs/configuration.md)")
        if settings.webhook_secret is None:
            raise ConfigError("webhook_secret is not set; deliveries are always signed")
        return cls(settings.webhook_url, settings.webhook_secret.get_secret_value(), settings.publish_timeout,
                   settings.publish_retries)

    def find_existing(self, article: PublishableArticle) -> RemotePost | None:
        return None

    def publish(self, article: PublishableArticle, previous: RemotePost | None = None) -> RemotePost:
        """Deliver the article (a receiver tells repeats apart by the delivery id; ``previous`` is not used)."""
        return self.notify("article.published", {"article": article_payload(article)})

    def notify(self, event: str, data: dict[str, Any]) -> RemotePost:
        """Deliver ``{"event", "sent_at", **data}``; PublishError when the receiver does not accept it."""
        content = json.dumps(data, sort_keys=True, ensure_ascii=False)
        delivery = hashlib.sha256(f"{event}\n{content}".encode()).hexdigest()[:32]
        sent = int(self.clock())
        body = json.dumps({"event": event, "sent_at": datetime.fromtimestamp(sent, timezone.utc).isoformat(),
                           **data}, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json", EVENT_HEADER: event, DELIVERY_HEADER: delivery,
            TIMESTAMP_HEADER: str(sent), SIGNATURE_HEADER: sign(self.secret, sent, body),
        }
        try:
            response = self.session.post(self.url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as err:
            raise transport_error("the webhook", self.url, err, "POST", self.timeout) from None
        if not response.ok:
            code, message = error_detail(response)
            hint = "; check that webhook_secret matches the receiver's" if response.status_code in (401, 403) else ""
            deliveries = resends(response) + 1
            counted = f" (after {deliveries} deliveries)" if deliveries > 1 else ""
            raise PublishError(f"the webhook at {self.url} answered {response.status_code}: {message}{counted}{hint}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        answer = answer if isinstance(answer, dict) else {}
        return RemotePost(target=self.name, remote_id=str(answer.get("id") or delivery), url=answer.get("url"),
                          created=True)
