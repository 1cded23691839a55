"""Every review route through Flask's in-process client: sign-in, CSRF, the rules and conflicts."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from generator.desk.auth import hash_password
from generator.desk.store import Store
from generator.desk.web import SESSION_COOKIE, create_app
from generator.settings import Settings
from tests.desk.conftest import RIGHT, WRONG

PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)


def csrf(page: bytes | str) -> str:
    text = page.decode() if isinstance(page, bytes) else page
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def version(page: bytes) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page.decode()).group(1))


def make_client(store: Store, check: Any, password_hash: str | None = _HASH) -> FlaskClient:
    app = create_app(Settings(review_password_hash=password_hash), store, check=check)
    app.testing = True
    return app.test_client()


def sign_in(client: FlaskClient, name: str = "Ann", password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf(page.data), "name": name, "password": password})


@pytest.fixture
def client(store: Store, check: Any) -> FlaskClient:
    return make_client(store, check)


@pytest.fixture
def signed_in(client: FlaskClient) -> FlaskClient:
    assert sign_in(client).status_code == 302
    return client


# --- sign-in -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/drafts/1", "/drafts/1/edit", "/drafts/1/chart.png"])
def test_every_page_needs_a_sign_in(client: FlaskClient, register, path: str) -> None:  # noqa: ANN001
    register()
    resp = client.get(path)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/drafts/1/approve", "/drafts/1/reject", "/drafts/1/edit", "/logout"])
def test_every_action_needs_a_sign_in(client: FlaskClient, store: Store, register, path: str) -> None:  # noqa: ANN001
    register()
    resp = client.post(path, data={"version": "1", "reason": "x", "markdown": "x"})
    assert resp.status_code == 401
    assert store.article(1).status == "draft" and store.article(1).version == 1


def test_sign_in_sets_an_httponly_samesite_session_cookie(client: FlaskClient, store: Store) -> None:
    resp = sign_in(client)
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    assert store.audit(None)[0].action == "signed in" and store.audit(None)[0].actor == "Ann"
    with store.connect() as conn:  # the store never holds the cookie's token itself
        token = re.search(rf"{SESSION_COOKIE}=([^;]+)", cookie).group(1)
        assert conn.execute("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", (token,)).fetchone()[0] == 0


def test_a_wrong_password_or_a_missing_token_does_not_sign_in(client: FlaskClient) -> None:
    assert sign_in(client, password="wrong password").status_code == 401
    assert client.post("/login", data={"name": "Ann", "password": PASSWORD}).status_code == 403
    assert client.get("/").status_code == 302


def test_repeated_failures_are_throttled(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, password="nope nope nope").status_code == 401
    assert sign_in(client).status_code == 429


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "https://evil.example/"])
def test_sign_in_never_redirects_off_site(client: FlaskClient, target: str) -> None:
    page = client.get("/login")
    resp = client.post("/login", data={"csrf_token": csrf(page.data), "name": "Ann", "password": PASSWORD,
                                       "next": target})
    assert resp.headers["Location"] == "/"


def test_sign_out_ends_the_session(signed_in: FlaskClient) -> None:
    page = signed_in.get("/")
    assert signed_in.post("/logout", data={"csrf_token": csrf(page.data)}).status_code == 302
    assert signed_in.get("/").status_code == 302


def test_changing_the_password_ends_existing_sessions(signed_in: FlaskClient, store: Store, check: Any) -> None:
    other = make_client(store, check, password_hash=hash_password("another long password"))
    other.set_cookie(SESSION_COOKIE, signed_in.get_cookie(SESSION_COOKIE).value)
    assert other.get("/").status_code == 302


def test_without_a_password_a_name_is_enough_on_loopback(store: Store, check: Any) -> None:
    client = make_client(store, check, password_hash=None)
    page = client.get("/login")
    assert b"No review password is set" in page.data and b'type="password"' not in page.data
    assert client.post("/login", data={"csrf_token": csrf(page.data), "name": "Ann"}).status_code == 302
    assert client.get("/").status_code == 200


def test_requests_for_other_host_names_are_refused(signed_in: FlaskClient) -> None:
    assert signed_in.get("/", headers={"Host": "rebound.example:8000"}).status_code == 400
    assert signed_in.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_pages_forbid_scripts_and_framing(signed_in: FlaskClient) -> None:
    resp = signed_in.get("/")
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"


# --- pages ---------------------------------------------------------------------


def test_the_queue_lists_drafts_by_date_with_check_and_llm_share(
    signed_in: FlaskClient, register, example,
) -> None:  # noqa: ANN001
    sections = {s.name: s.origin for s in example.draft.sections}
    sections.update(lead="llm", outlook="repaired")
    register(date="2018-02-06", sections=sections)
    register(example.body.replace(RIGHT, WRONG), date="2018-02-07")
    page = signed_in.get("/").data.decode()
    assert page.index("2018-02-07") < page.index("2018-02-06")
    assert "1 failed (1 mismatch)" in page and "all verified" in page
    assert f"LLM: 2 of {len(sections)} sections" in page
    blocked = signed_in.get("/?status=blocked").data.decode()
    assert "2018-02-07" in blocked and "<h2>2018-02-06</h2>" not in blocked
    assert signed_in.get("/?status=nonsense").status_code == 400


def test_alerts_are_listed_under_their_day_with_their_time(signed_in: FlaskClient, register) -> None:  # noqa: ANN001
    register(date="2018-02-06")
    register(date="2018-02-06 09:05", kind="alert")
    register(date="2018-02-06 15:40", kind="alert")
    page = signed_in.get("/").data.decode()
    assert page.count("<h2>2018-02-06</h2>") == 1
    assert page.index("alert · 15:40 UTC") < page.index("alert · 09:05 UTC") < page.index("BTC · daily<")


def test_the_draft_page_shows_the_proof_failures_facts_history_and_audit(signed_in: FlaskClient, register,
                                                                          example) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    page = signed_in.get(f"/drafts/{article.id}").data.decode()
    assert re.search(r'<mark class="mention v-mismatch"[^>]*>\$6,990<span class="tip"', page)
    assert re.search(r'<mark class="mention v-verified"[^>]*>\$412 million<span class="tip"', page)
    failures = page[page.index('<ol class="failures">'):]
    assert "Bitcoin tumbled 14.72% over the past 24 hours " in html.unescape(failures)
    assert "Bitcoin price" in page and "Bittrex" in page  # facts table with sources
    assert "generated" in page and "marketnews generate" in page  # revisions and audit
    assert "cannot be approved" in page
    assert signed_in.get("/drafts/99").status_code == 404


def test_the_chart_is_shown_when_the_folder_has_one(signed_in: FlaskClient, register, example) -> None:  # noqa: ANN001
    plain = register()
    assert signed_in.get(f"/drafts/{plain.id}/chart.png").status_code == 404
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    body = example.body.replace("## Price action", "![Chart of $6,960](chart.png)\n\n## Price action", 1)
    with_chart = register(body, date="2018-02-08", files=["article.md", "chart.png"])
    (with_chart.path / "chart.png").write_bytes(png)
    page = signed_in.get(f"/drafts/{with_chart.id}").data.decode()
    assert page.count(f'src="/drafts/{with_chart.id}/chart.png"') == 2  # embedded in the article and below it
    assert 'alt="Chart of $6,960"' in page
    resp = signed_in.get(f"/drafts/{with_chart.id}/chart.png")
    assert resp.status_code == 200 and resp.mimetype == "image/png" and resp.data == png


def test_an_older_revision_is_shown_read_only(
    signed_in: FlaskClient, store: Store, register, example, check,
) -> None:  # noqa: ANN001
    from generator.desk.actions import save_revision

    article = register(example.body.replace(RIGHT, WRONG))
    save_revision(store, article.id, example.body, by="Ann", expected_version=1, check=check)
    old = signed_in.get(f"/drafts/{article.id}?revision=1").data.decode()
    assert "You are looking at revision 1" in old and "/approve" not in old
    assert signed_in.get(f"/drafts/{article.id}?revision=9").status_code == 404


# --- actions -------------------------------------------------------------------


def test_a_bad_csrf_token_is_rejected_on_every_form(
    signed_in: FlaskClient, store: Store, register,
) -> None:  # noqa: ANN001
    article = register()
    for path, data in ((f"/drafts/{article.id}/approve", {}), (f"/drafts/{article.id}/reject", {"reason": "x"}),
                       (f"/drafts/{article.id}/edit", {"markdown": "# x\n"}), ("/logout", {})):
        for token in ({}, {"csrf_token": "forged"}):
            resp = signed_in.post(path, data={"version": "1", **data, **token})
            assert resp.status_code == 403, path
    assert store.article(article.id).version == 1 and signed_in.get("/").status_code == 200


def test_approve_is_refused_for_a_failing_revision(
    signed_in: FlaskClient, store: Store, register, example,
) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    page = signed_in.get(f"/drafts/{article.id}").data
    resp = signed_in.post(f"/drafts/{article.id}/approve", data={"csrf_token": csrf(page), "version": version(page)})
    assert resp.status_code == 409 and b"fails the fact-check" in resp.data
    assert store.article(article.id).status == "blocked"


def test_an_edit_with_the_right_fix_unblocks_and_then_approves(signed_in: FlaskClient, store: Store, register,
                                                               example) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    form = signed_in.get(f"/drafts/{article.id}/edit").data
    assert WRONG.encode() in form and b"To fix in revision 1" in form
    resp = signed_in.post(f"/drafts/{article.id}/edit", data={
        "csrf_token": csrf(form), "version": version(form), "markdown": example.body.replace("\n", "\r\n")})
    assert resp.status_code == 302
    page = signed_in.get(f"/drafts/{article.id}").data.decode()
    assert "Saved revision 2" in page and "The draft is unblocked." in page
    assert re.search(r'<mark class="mention v-verified"[^>]*>\$6,960<span', page)
    assert store.article(article.id).status == "draft"
    resp = signed_in.post(f"/drafts/{article.id}/approve", data={"csrf_token": csrf(page), "version": 2})
    assert resp.status_code == 302 and store.article(article.id).status == "approved"
    assert store.audit(article.id)[0].actor == "Ann"


def test_a_stale_edit_conflicts_and_keeps_the_editors_text(signed_in: FlaskClient, store: Store, register,
                                                           example, check) -> None:  # noqa: ANN001
    from generator.desk.actions import save_revision

    article = register()
    form = signed_in.get(f"/drafts/{article.id}/edit").data
    save_revision(store, article.id, example.body + "\nBob was here.\n", by="Bob", expected_version=1, check=check)
    mine = example.body + "\nAnn's careful paragraph.\n"
    resp = signed_in.post(f"/drafts/{article.id}/edit", data={"csrf_token": csrf(form), "version": 1,
                                                              "markdown": mine})
    assert resp.status_code == 409
    text = html.unescape(resp.data.decode())
    assert "changed by someone else" in text and "Bob edited it" in text and "Ann's careful paragraph." in text
    assert "Bob was here." in store.revision(article.id).markdown


def test_a_stale_approve_conflicts(
    signed_in: FlaskClient, store: Store, register, example, check,
) -> None:  # noqa: ANN001
    from generator.desk.actions import save_revision

    article = register()
    page = signed_in.get(f"/drafts/{article.id}").data
    save_revision(store, article.id, example.body.replace(RIGHT, WRONG), by="Bob", expected_version=1, check=check)
    resp = signed_in.post(f"/drafts/{article.id}/approve", data={"csrf_token": csrf(page), "version": version(page)})
    assert resp.status_code == 409 and b"Reload it and redo your change" in resp.data
    assert store.article(article.id).status == "blocked"


def test_reject_with_a_reason(signed_in: FlaskClient, store: Store, register) -> None:  # noqa: ANN001
    article = register()
    page = signed_in.get(f"/drafts/{article.id}").data
    resp = signed_in.post(f"/drafts/{article.id}/reject", data={"csrf_token": csrf(page), "version": 1, "reason": ""})
    assert resp.status_code == 400 and b"reason is required" in resp.data
    resp = signed_in.post(f"/drafts/{article.id}/reject", data={"csrf_token": csrf(page), "version": 1,
                                                                "reason": "Too similar to yesterday's"})
    assert resp.status_code == 302 and store.article(article.id).status == "rejected"
    assert "Too similar to yesterday&#39;s" in signed_in.get(f"/drafts/{article.id}").data.decode()


def test_a_form_without_a_version_is_refused(signed_in: FlaskClient, register) -> None:  # noqa: ANN001
    article = register()
    page = signed_in.get(f"/drafts/{article.id}").data
    assert signed_in.post(f"/drafts/{article.id}/approve", data={"csrf_token": csrf(page)}).status_code == 400
