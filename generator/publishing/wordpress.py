"""The WordPress target: the REST API (``/wp-json/wp/v2``) with an application password.

A post is found before anything is created, so publishing again updates the same
post: by the id the desk recorded (``GET /posts/<id>``), since WordPress renames a
slug that another post holds (``...-2``), else by its slug or the renamed forms of it
(``GET /posts?slug=s,s-2,...,s-9&status=any``, only posts by the publishing account:
another author's post holding the slug is never overwritten), so a crash after the
create, before the desk recorded it, is recovered by the next run even when WordPress
renamed the slug. What the server returned (id, link and the slug it actually used)
is what the desk records. The chart is uploaded once to the media library
(``<slug>-chart.png``, found again by its slug) and set as the featured image; it is
left out of the post body so themes that show the featured image do not show it twice.
An update keeps the post's current status: an editor's decision on WordPress wins.
"""

from __future__ import annotations

import html
import logging
from datetime import timezone
from typing import Any

import requests

from generator.errors import ConfigError, PublishError
from generator.publishing.article import PublishableArticle, RemotePost
from generator.publishing.http import NOT_PROCESSED, error_detail, make_session, resends, transport_error

_RENAMED_FORMS = 8  # '<slug>-2' to '<slug>-9': how many other posts may hold our slug before a rerun loses ours
log = logging.getLogger(__name__)


class WordPress:
    """Publishes posts to one WordPress site; remote id = post id, URL = the post's link."""

    name = "wordpress"

    def __init__(self, url: str, user: str, app_password: str, status: str = "draft", timeout: float = 30.0,
                 retries: int = 3, backoff: float = 0.5) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"wordpress_url must be an absolute http(s) URL, got {url!r}")
        self.site = url.rstrip("/")
        self.api = f"{self.site}/wp-json/wp/v2/"
        self.user = user
        self.status = status
        self.timeout = timeout
        self.session = make_session(retries, backoff, auth=(user, app_password))
        self._terms: dict[tuple[str, str], int] = {}
        self._me: int | None = None

    @classmethod
    def from_settings(cls, settings) -> WordPress:  # noqa: ANN001 - generator.settings.Settings
        missing = [n for n in ("wordpress_url", "wordpress_user", "wordpress_app_password") if not getattr(settings, n)]
        if missing:
            raise ConfigError(f"WordPress is not configured: set {', '.join(missing)} (see docs/configuration.md)")
        return cls(settings.wordpress_url, settings.wordpress_user,
                   settings.wordpress_app_password.get_secret_value(), settings.wordpress_status,
                   settings.publish_timeout, settings.publish_retries)

    # --- the target interface -------------------------------------------------

    def find_existing(self, article: PublishableArticle) -> RemotePost | None:
        post = self._find_post(article.slug)
        return None if post is None else self._remote(post, created=False)

    def publish(self, article: PublishableArticle, previous: RemotePost | None = None) -> RemotePost:
        """Create the post, or update the one recorded in ``previous`` or else the one with this slug."""
        existing = self._known_post(previous) or self._find_post(article.slug)
        payload: dict[str, Any] = {
            "title": article.title,
            "content": article.html_with_chart(None),
            "excerpt": article.summary,
            "slug": article.slug,
            "date_gmt": article.date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
            "categories": [self._term_id("categories", n) for n in article.categories],
            "tags": [self._term_id("tags", n) for n in article.tags],
        }
        media = self._chart_media(article)
        if media is not None:
            payload["featured_media"] = media
        if existing is None:
            payload["status"] = self.status
            post = self._call("POST", "posts", "create posts", json=payload, expect=201)
        else:
            post = self._call("PUT", f"posts/{existing['id']}", "edit posts", json=payload)
        if post.get("slug") and post["slug"] != article.slug:
            # WordPress renames a slug another post holds; the desk records the id, so the next run finds it.
            log.warning("WordPress stored post %s under slug %r instead of %r", post.get("id"), post["slug"],
                        article.slug)
        return self._remote(post, created=existing is None)

    # --- REST calls -----------------------------------------------------------

    def _known_post(self, previous: RemotePost | None) -> dict[str, Any] | None:
        """The post the desk recorded, unless it has since been deleted or trashed on WordPress."""
        if previous is None or previous.target != self.name or not previous.remote_id.isdigit():
            return None
        try:
            post = self._call("GET", f"posts/{previous.remote_id}", "look up posts", params={"context": "edit"})
        except _PostGone:
            return None
        return post if isinstance(post, dict) and post.get("status") != "trash" else None

    def _find_post(self, slug: str) -> dict[str, Any] | None:
        """Our post with this slug, or with the '<slug>-N' WordPress gave it when another post held the slug:
        one written by the publishing account. Another author's post is left alone, never overwritten. Our
        slugs name one article each (date, asset, kind), so our post under a renamed form is this article."""
        forms = [slug, *(f"{slug}-{n}" for n in range(2, 2 + _RENAMED_FORMS))]
        # The slug parameter takes a list (WordPress 4.7+), so one request covers the renamed forms too.
        found = self._call("GET", "posts", "look up posts",
                           params={"slug": ",".join(forms), "status": "any", "context": "edit", "per_page": 20})
        if not isinstance(found, list) or not found:
            return None
        me = self._user_id()
        ours = sorted((p for p in found if p.get("author") == me and p.get("slug") in forms),
                      key=lambda p: forms.index(p["slug"]))
        if not ours:
            log.warning("WordPress post %s with slug %r belongs to another author; it is left alone",
                        found[0].get("id"), found[0].get("slug"))
            return None
        return ours[0]

    def _user_id(self) -> int | None:
        """The publishing account's user id (asked once)."""
        if self._me is None:
            self._me = self._call("GET", "users/me", "read its own user").get("id")
        return self._me

    def _term_id(self, taxonomy: str, name: str) -> int:
        """The id of the category or tag called ``name``, created when it does not exist yet."""
        key = (taxonomy, name.casefold())
        if key not in self._terms:
            matches = self._call("GET", taxonomy, f"read {taxonomy}", params={"search": name, "per_page": 100})
            hit = next((t for t in matches if html.unescape(t.get("name", "")).casefold() == name.casefold()), None)
            self._terms[key] = int(hit["id"]) if hit else self._create_term(taxonomy, name)
        return self._terms[key]

    def _create_term(self, taxonomy: str, name: str) -> int:
        try:
            return int(self._call("POST", taxonomy, f"create {taxonomy}", json={"name": name}, expect=201)["id"])
        except _TermExists as exists:  # created meanwhile, or search did not match it exactly
            return exists.term_id

    def _chart_media(self, article: PublishableArticle) -> int | None:
        if article.chart_path is None:
            return None
        slug = f"{article.slug}-chart"
        found = self._call("GET", "media", "read media", params={"slug": slug, "per_page": 1})
        if isinstance(found, list) and found:
            return int(found[0]["id"])
        try:
            data = article.chart_path.read_bytes()
        except OSError as err:
            raise PublishError(f"cannot read the chart {article.chart_path}: {err.strerror or err}") from None
        media = self._call("POST", "media", "upload media", data=data, expect=201, headers={
            "Content-Type": "image/png", "Content-Disposition": f'attachment; filename="{slug}.png"'})
        if article.chart_alt:
            self._call("PUT", f"media/{media['id']}", "edit media",
                       json={"alt_text": article.chart_alt, "title": article.chart_alt})
        return int(media["id"])

    def _call(self, method: str, path: str, action: str, expect: int = 200, **kwargs: Any) -> Any:
        url = self.api + path
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as err:
            raise transport_error("WordPress", self.site, err, method, self.timeout) from None
        if response.status_code in (expect, 200, 201):
            try:
                return response.json()
            except ValueError:
                raise PublishError(f"WordPress at {self.site} answered {method} {path} with something other than "
                                   "JSON; is wordpress_url the site's address?") from None
        raise self._failure(response, action)

    def _failure(self, response: requests.Response, action: str) -> Exception:
        code, message = error_detail(response)
        status = response.status_code
        if status == 400 and code == "term_exists":
            return _TermExists(int(response.json()["data"]["term_id"]))
        if status in (404, 410) and code in ("rest_post_invalid_id", "rest_already_trashed"):
            return _PostGone()
        if status == 401:
            return PublishError(f"WordPress refused the login of {self.user!r} ({message}); check wordpress_user "
                                "and wordpress_app_password (an application password, not the account password)")
        if status == 403:
            return PublishError(f"WordPress user {self.user!r} is not allowed to {action} ({message}); give the "
                                "user a role that may publish posts and upload files, such as Author or Editor")
        if status == 404:
            return PublishError(f"no WordPress REST API at {self.api} (404 {code}); check wordpress_url")
        if status >= 500 or status == 429:
            n = resends(response)
            if n:
                sent = f"resent {n} time{'s' if n > 1 else ''} with backoff"
            elif response.request.method in ("POST", "PATCH") and status not in NOT_PROCESSED:
                sent = "not resent: WordPress may have acted on it; the next run looks the post up first"
            else:
                sent = "not resent"
            return PublishError(f"WordPress at {self.site} failed to {action}: {status} {message} ({sent}); "
                                "try again later")
        return PublishError(f"WordPress rejected the request to {action}: {status} {code}: {message}")

    def _remote(self, post: dict[str, Any], created: bool) -> RemotePost:
        return RemotePost(target=self.name, remote_id=str(post["id"]), url=post.get("link"), slug=post.get("slug"),
                          created=created)


class _PostGone(PublishError):
    """The post no longer exists on WordPress (deleted meanwhile): the next run looks it up again or recreates it."""

    def __init__(self) -> None:
        super().__init__("the post was deleted on WordPress meanwhile; the next publish run creates it again")


class _TermExists(Exception):
    def __init__(self, term_id: int) -> None:
        super().__init__(term_id)
        self.term_id = term_id

