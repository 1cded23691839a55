"""Markdown to sanitised HTML for articles."""

from __future__ import annotations

import html

import markdown
import nh3
from jinja2 import Environment

_ALLOWED_TAGS = {
    "a", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "img", "span", "figure", "figcaption",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "span": {"class", "title", "data-verdict", "data-fact", "tabindex"},
}


def sanitise(fragment: str) -> str:
    """Strip scripts, event handlers and dangerous URLs from an HTML fragment."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_html(text: str) -> str:
    """Markdown (with tables) to a sanitised HTML fragment."""
    return sanitise(markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html"))


def article_page(env: Environment, title: str, body_markdown: str) -> str:
    """A standalone HTML page for one article, from templates/article.html.j2."""
    page = env.get_template("article.html.j2")
    return page.render(title=html.escape(title), body=markdown_to_html(body_markdown))
