"""The review queue and draft page: search, filters, sort, pages, approvals, the publish button, local time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from generator.desk.actions import approve
from generator.desk.store import Store
from generator.desk.web import PAGE_SIZE, create_app
from generator.settings import Settings
from tests.desk.test_publish import settings_for, written
from tests.desk.test_web import _HASH, csrf, sign_in, version


def client_for(store: Store, check: Any, **settings: Any) -> FlaskClient:
    app = create_app(Settings(review_password_hash=_HASH, **settings), store, check=check)
    app.testing = True
    c = app.test_client()
    assert sign_in(c).status_code == 302
    return c


def ids(page: bytes) -> list[int]:
    return [int(x) for x in re.findall(rb'<td data-label="#">(\d+)</td>', page)]


def test_search_filters_sort_and_pages(store: Store, register, check: Any) -> None:  # noqa: ANN001
    days = [f"2018-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in range(1, 21)]  # 60 drafts
    made = [register(date=day) for day in days]
    eth = register(date="2018-04-01", asset="ETH")
    alert = register(date="2018-04-01 09:05", kind="alert")
    approve(store, made[0].id, by="Ann")
    c = client_for(store, check)
    first = c.get("/")
    assert len(ids(first.data)) == PAGE_SIZE and b"62 drafts" in first.data and b"page 1 of 2" in first.data
    assert ids(first.data)[:2] == [alert.id, eth.id]  # newest day first; the urgent alert leads it
    assert b'<span class="badge urgent">urgent</span>' in first.data
    second = c.get("/?page=2")
    assert len(ids(second.data)) == 62 - PAGE_SIZE and b'rel="prev"' in second.data
    assert set(ids(first.data)).isdisjoint(ids(second.data))
    assert ids(c.get("/?q=eth").data) == [eth.id]
    assert ids(c.get("/?kind=alert").data) == [alert.id]
    assert ids(c.get("/?status=approved").data) == [made[0].id]
    assert ids(c.get("/?sort=status&page=2").data)[-1] == made[0].id  # approved after every draft
    assert c.get("/?q=100%25_").status_code == 200 and ids(c.get("/?q=100%25_").data) == []  # LIKE escapes
    for bad in ("/?status=nope", "/?kind=weekly", "/?sort=random"):
        assert c.get(bad).status_code == 400
    approved = c.get("/?status=approved").data.decode()
    assert re.search(r"approved by Ann at \w+ \d+, 2\d{3}, \d\d:\d\d UTC", approved)
    assert 'rel="next"' not in c.get("/?q=eth").data.decode()  # one page: no link to another


def test_filters_keep_the_search_when_paging(store: Store, register, check: Any) -> None:  # noqa: ANN001
    for day in [f"2018-01-{d:02d}" for d in range(1, 29)] + [f"2018-02-{d:02d}" for d in range(1, 28)]:
        register(date=day)
    page = client_for(store, check).get("/?q=bitcoin&sort=updated").data.decode()
    assert 'href="/?q=bitcoin&amp;sort=updated&amp;page=2"' in page


def test_the_draft_page_says_who_approved_and_publishes_per_target(store: Store, check: Any,
                                                                   tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)  # generate writes the folder publishing reads
    article = store.article(written(settings))
    approve(store, article.id, by="Ann Editor")
    c = client_for(store, check, static_site_url="https://news.example.com/", static_site_dir=tmp_path / "site",
                   review_timezone="Europe/Berlin", desk_db=store.desk_db, output_dir=tmp_path / "out")
    page = c.get(f"/drafts/{article.id}")
    text = page.data.decode()
    # The local time carries its own date when the day differs from UTC's (after 23:00 UTC in Berlin's winter).
    assert re.search(r'id="approved-by">approved by Ann Editor at \w+ \d+, \d{4}, \d\d:\d\d UTC \((\w+ \d+, )?'
                     r"\d\d:\d\d Europe/Berlin\)", text)
    assert 'id="publication-static_site"' in text and "not sent yet" in text
    assert 'id="publish"' in text and "Publish to static site" in text
    done = c.post(f"/drafts/{article.id}/publish", data={"csrf_token": csrf(page.data), "version": version(page.data)})
    assert done.status_code == 302, done.data
    after = c.get(f"/drafts/{article.id}").data.decode()
    assert store.article(article.id).status == "published", re.findall(r"class=\"flash\"[^<]*", after)
    assert "static_site: created: https://news.example.com/2018-02-06-btc-daily/" in after
    assert (tmp_path / "site" / "2018-02-06-btc-daily" / "index.html").is_file()


def test_publishing_a_changed_draft_is_refused(store: Store, register, check: Any, tmp_path: Path) -> None:  # noqa: ANN001
    article = register()
    approve(store, article.id, by="Ann")
    c = client_for(store, check, static_site_url="https://news.example.com/", static_site_dir=tmp_path / "site")
    page = c.get(f"/drafts/{article.id}")
    resp = c.post(f"/drafts/{article.id}/publish", data={"csrf_token": csrf(page.data), "version": "1"})
    assert resp.status_code == 409 and b"changed since you opened it" in resp.data
    assert store.publications(article.id) == []


def test_every_page_has_a_skip_link(store: Store, register, check: Any) -> None:  # noqa: ANN001
    article = register()
    c = client_for(store, check)
    for path in ("/", f"/drafts/{article.id}", f"/drafts/{article.id}/edit"):
        text = c.get(path).data.decode()
        assert '<a class="skip" href="#main">Skip to content</a>' in text and '<main id="main"' in text
