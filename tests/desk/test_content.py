"""Links and images an edit added that marketnews did not produce: listed, and approved only explicitly."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from generator.desk.actions import approve, save_revision
from generator.desk.console import show
from generator.desk.content import foreign_content, references, trusted_hosts
from generator.desk.store import Store
from generator.errors import NotAllowed
from tests.desk.test_web import csrf, make_client, sign_in, version

PIXEL = "\n\n![](https://tracker.example/p.gif)\n"
LINK = "\n\nMore at [our partner](https://unknown.example/offer).\n"


def test_references_find_markdown_and_raw_html() -> None:
    text = ("[a](https://x.example/1) ![b](chart.png) <img src='https://t.example/p.gif'> "
            "<iframe src='https://f.example/'></iframe> [c](/drafts/2) [d](mailto:ed@news.example)")
    assert references(text) == [("link", "https://x.example/1"), ("image", "chart.png"),
                                ("image", "https://t.example/p.gif"), ("image", "https://f.example/"),
                                ("link", "/drafts/2"), ("link", "mailto:ed@news.example")]


def test_the_generated_articles_own_sources_and_chart_are_trusted(example) -> None:  # noqa: ANN001
    trusted = trusted_hosts([example.body])
    assert "github.com" in trusted
    assert foreign_content(example.body + "\n\n![chart](chart.png)\n", trusted, ["article.md", "chart.png"]) == []
    found = foreign_content(example.body + PIXEL + LINK + "[again](https://unknown.example/offer)",
                            trusted, ["chart.png"])
    assert [(f.kind, f.host) for f in found] == [("image", "tracker.example"), ("link", "unknown.example")]
    assert [f.kind for f in foreign_content("[x](javascript:alert(1)) ![y](chart.jpg)", trusted,
                                            ["chart.png"])] == ["link", "image"]


def test_an_edit_with_a_pixel_is_not_approved_without_saying_so(store: Store, register, check: Any,
                                                                 example) -> None:  # noqa: ANN001
    article = register()
    saved = save_revision(store, article.id, example.body + PIXEL + LINK, by="Bob", expected_version=article.version,
                          check=check)
    assert saved.revision is not None and saved.revision.passed  # the fact-check has nothing against it
    text = show(store, article.id)
    assert "not produced by marketnews" in text and "image: https://tracker.example/p.gif" in text
    with pytest.raises(NotAllowed, match=r"content marketnews did not produce \(image https://tracker.example/p.gif; "
                                         r"link to unknown.example\)"):
        approve(store, article.id, by="Ann")
    assert store.article(article.id).status == "draft"
    approve(store, article.id, by="Ann", allow_external=True)
    entry = store.audit(article.id)[0]
    assert entry.action == "approved" and "external content approved: image https://tracker.example/p.gif" in entry.reason


def test_a_generated_draft_needs_no_extra_step(store: Store, register) -> None:  # noqa: ANN001
    article = register()
    assert approve(store, article.id, by="Ann").status == "approved"


def test_the_review_page_lists_them_and_asks_for_the_box(store: Store, register, check: Any,
                                                         example) -> None:  # noqa: ANN001
    article = register()
    save_revision(store, article.id, example.body + PIXEL, by="Bob", expected_version=article.version, check=check)
    client: FlaskClient = make_client(store, check)
    assert sign_in(client).status_code == 302
    page = client.get(f"/drafts/{article.id}")
    assert b"Not produced by marketnews" in page.data and b"https://tracker.example/p.gif" in page.data
    assert b'name="allow_external"' in page.data
    token, v = csrf(page.data), version(page.data)
    refused = client.post(f"/drafts/{article.id}/approve", data={"csrf_token": token, "version": v})
    assert refused.status_code == 409 and b"did not produce" in refused.data
    done = client.post(f"/drafts/{article.id}/approve", data={"csrf_token": token, "version": v,
                                                              "allow_external": "yes"})
    assert done.status_code == 302 and store.article(article.id).status == "approved"
