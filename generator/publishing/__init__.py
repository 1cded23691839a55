"""Publishing targets, one module each: static site, WordPress, webhook.

Every target takes a PublishableArticle and returns a RemotePost, and looks the
article up (``find_existing``) before creating it, so publishing again, or after
a crash between the remote create and the caller's record, never duplicates.
HTTP libraries are imported only when an HTTP target is built.
"""

from __future__ import annotations

from generator.errors import ConfigError
from generator.publishing.article import PublishableArticle, PublishTarget, RemotePost, article_slug, load_article

TARGETS = ("static_site", "wordpress", "webhook")

__all__ = [
    "PublishTarget", "PublishableArticle", "RemotePost", "TARGETS", "article_slug", "configured_targets",
    "load_article", "make_target",
]


def make_target(name: str, settings) -> PublishTarget:  # noqa: ANN001 - generator.settings.Settings
    """The target called ``name``, configured from settings (ConfigError if it is not configured)."""
    if name == "static_site":
        from generator.publishing.static_site import StaticSite

        return StaticSite.from_settings(settings)
    if name == "wordpress":
        from generator.publishing.wordpress import WordPress

        return WordPress.from_settings(settings)
    if name == "webhook":
        from generator.publishing.webhook import Webhook

        return Webhook.from_settings(settings)
    raise ConfigError(f"unknown publishing target {name!r}; expected one of {', '.join(TARGETS)}")


def configured_targets(settings) -> list[str]:  # noqa: ANN001 - generator.settings.Settings
    """Names of the targets whose required settings are present."""
    present = {
        "static_site": bool(settings.static_site_url),
        "wordpress": bool(settings.wordpress_url),
        "webhook": bool(settings.webhook_url),
    }
    return [name for name in TARGETS if present[name]]
