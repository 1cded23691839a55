"""The review site: queue, draft proof, editor, approve and reject (Flask, server-rendered).

Flask because the store is synchronous SQLite and every page is a plain
server-rendered form: a WSGI app needs no event loop, form parsing and an
in-process test client come built in, and its templates are jinja2 like the
rest of marketnews. No page needs JavaScript, and the Content-Security-Policy
allows none.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, g, redirect, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from generator.desk import auth
from generator.desk.actions import (
    Checker,
    accept_proposal,
    approve,
    discard_proposal,
    foreign_in,
    reject,
    save_revision,
)
from generator.desk.checking import check_body, describe, summarise
from generator.desk.migrations import STATUSES
from generator.desk.proof import VERDICT_LABELS, mention_views, proof_html
from generator.desk.proposals import diff_html, diff_pair
from generator.desk.signin import SignInThrottle, safe_target
from generator.desk.store import Store
from generator.errors import ConflictError, InputError, MarketnewsError, NotAllowed, NotFound
from generator.facts import format_datetime
from generator.kinds import KINDS
from generator.publishing import configured_targets
from generator.settings import Settings

SESSION_COOKIE = "marketnews_session"
LOGIN_COOKIE = "marketnews_login"  # double-submit CSRF token for the sign-in form (no session yet)
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
_PUBLIC = {"login", "static", "favicon"}
PAGE_SIZE = 50
SORTS = ("date", "updated", "status")
log = logging.getLogger("marketnews.review")


def _when(value: datetime | None, local: ZoneInfo) -> str:
    """'February 6, 2018, 09:05 UTC (10:05 Europe/Berlin)': UTC, with the desk's local time beside it."""
    if value is None:
        return ""
    text = format_datetime(value)
    if local.key == "UTC":
        return text
    moment = value.astimezone(local)
    day = "" if moment.date() == value.astimezone(timezone.utc).date() else f"{moment:%b} {moment.day}, "
    return f"{text} ({day}{moment:%H:%M} {local.key})"


def _queue_url(args: dict[str, Any], **changes: Any) -> str:
    """The queue's address with the current search, filters and sort, some of them changed (None: removed)."""
    merged = {k: v for k, v in {**args, **changes}.items() if v is not None}
    return url_for("queue", **merged)


def create_app(settings: Settings, store: Store, *, loopback_only: bool = True, check: Checker = check_body) -> Flask:
    """The review app. ``loopback_only`` refuses requests addressed to any other host (DNS rebinding)."""
    if settings.review_password_hash:
        auth.check_hash_format(settings.review_password_hash)
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=1_000_000, TEMPLATES_AUTO_RELOAD=False)
    app.jinja_env.globals.update(describe=describe, verdict_labels=VERDICT_LABELS, statuses=STATUSES)
    local = ZoneInfo(settings.review_timezone)
    app.jinja_env.filters["when"] = lambda d: _when(d, local)
    app.jinja_env.globals["queue_url"] = _queue_url
    throttle = SignInThrottle()
    password_hash = settings.review_password_hash

    def cookie(resp: WerkzeugResponse, name: str, value: str, max_age: int | None) -> None:
        resp.set_cookie(name, value, max_age=max_age, httponly=True, samesite="Lax",
                        secure=settings.review_secure_cookie, path="/")

    @app.before_request
    def guard() -> Any:
        host = urlsplit(f"//{request.host}").hostname or ""
        if loopback_only and host not in LOOPBACK_NAMES:
            abort(400, "This review server only answers requests addressed to 127.0.0.1 or localhost.")
        g.session = auth.load_session(store, request.cookies.get(SESSION_COOKIE), password_hash)
        g.flash = None
        if g.session is not None and g.session.flash:
            g.flash = g.session.flash
            auth.set_flash(store, g.session, None)
        if request.endpoint not in _PUBLIC and g.session is None:
            if request.method == "POST":
                abort(401, "Your sign-in has expired. Sign in again; nothing was changed.")
            return redirect(url_for("login", next=request.full_path.rstrip("?")))
        if request.method == "POST" and request.endpoint != "login":
            if not auth.csrf_ok(g.session.csrf_token, request.form.get("csrf_token")):
                abort(403, "The form's security token is missing or stale. Reload the page and try again.")
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = CSP
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> tuple[str, int]:
        return render_template("review/error.html", code=err.code, message=err.description), err.code or 500

    @app.errorhandler(NotFound)
    def not_found(err: NotFound) -> tuple[str, int]:
        return render_template("review/error.html", code=404, message=str(err)), 404

    def flash_next(message: str) -> None:
        auth.set_flash(store, g.session, message)

    # --- sign-in ---------------------------------------------------------------

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        target = safe_target(request.values.get("next"))  # never redirect off-site after signing in
        error, status = None, 200
        if request.method == "POST":
            client = request.remote_addr or "?"
            name = " ".join(request.form.get("name", "").split())[:80]
            wait = throttle.wait(name, client)
            if not auth.csrf_ok(request.cookies.get(LOGIN_COOKIE), request.form.get("csrf_token")):
                error, status = "The form's security token is missing or stale. Try again.", 403
            elif wait > 0:
                error, status = f"Too many failed sign-ins. Try again in {math.ceil(wait)} seconds.", 429
            else:
                ok = bool(name) and (password_hash is None or
                                     auth.verify_password(request.form.get("password", ""), password_hash))
                if ok:
                    throttle.succeed(name, client)
                    resp = redirect(target)
                    token = auth.create_session(store, name, settings.review_session_hours, password_hash)
                    cookie(resp, SESSION_COOKIE, token, int(settings.review_session_hours * 3600))
                    resp.delete_cookie(LOGIN_COOKIE, path="/")
                    return resp
                if name:  # a blank name is a form mistake, not a guess
                    count = throttle.fail(name, client)
                    log.warning("failed sign-in as %r from %s (%d in a row)", name, client, count)
                    with store.transaction() as conn:
                        store.log(conn, name, "sign-in failed", reason=f"wrong password from {client} "
                                  f"({count} in a row)")
                error = "Enter your name." if not name else "Wrong password."
                status = 400 if not name else 401
        # Keep the token while the browser has one: a second tab, or the browser's own favicon request,
        # must not invalidate the form already on screen.
        token = request.cookies.get(LOGIN_COOKIE) or ""
        if len(token) < 32:
            token = secrets.token_urlsafe(32)
        resp = app.make_response((render_template("review/login.html", csrf_token=token, next=target, error=error,
                                                   needs_password=password_hash is not None), status))
        cookie(resp, LOGIN_COOKIE, token, 3600)
        return resp

    @app.get("/favicon.ico")
    def favicon() -> tuple[str, int]:
        return "", 204

    @app.post("/logout")
    def logout() -> Any:
        auth.end_session(store, g.session)
        resp = redirect(url_for("login"))
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # --- pages -------------------------------------------------------------------

    @app.get("/")
    def queue() -> str:
        status = request.args.get("status") or None
        if status is not None and status not in STATUSES:
            abort(400, f"Unknown status {status!r}.")
        kind = request.args.get("kind") or None
        if kind is not None and kind not in KINDS:
            abort(400, f"Unknown kind {kind!r}.")
        sort = request.args.get("sort") or "date"
        if sort not in SORTS:
            abort(400, f"Unknown sort {sort!r}; one of {', '.join(SORTS)}.")
        text = " ".join(request.args.get("q", "").split())[:100]
        page = max(request.args.get("page", default=1, type=int) or 1, 1)
        articles, total = store.search(status=status, kind=kind, text=text, sort=sort, limit=PAGE_SIZE,
                                       offset=(page - 1) * PAGE_SIZE)
        groups: dict[str, list[Any]] = {}
        for a in articles:
            key = a.date[:10] if sort == "date" else ""  # alerts carry a time: '2018-02-06 09:05'
            groups.setdefault(key, []).append(a)
        counts = {s: 0 for s in STATUSES} | store.counts()
        pages = max(1, -(-total // PAGE_SIZE))
        args = {k: v for k, v in (("status", status), ("kind", kind), ("q", text), ("sort", sort)) if v}
        return render_template("review/queue.html", by_date=groups, status=status, counts=counts, kind=kind,
                               sort=sort, q=text, page=page, pages=pages, total=total, args=args, kinds=KINDS,
                               sorts=SORTS, approvals=store.approvals([a.id for a in articles]))

    def draft_page(article_id: int, number: int | None = None, *, error: str | None = None, status: int = 200,
                   reason: str = "") -> tuple[str, int]:
        article = store.article(article_id)
        revision = store.revision(article_id, number)
        facts = store.facts(article_id)
        mentions = mention_views(revision.markdown, revision.factcheck, facts)
        chart = (store.folder(article) / "chart.png").is_file()
        page = render_template(
            "review/draft.html", article=article, revision=revision, mentions=mentions,
            failed=[m for m in mentions if m.failed],
            proof=proof_html(revision.markdown, mentions, files_url=f"/drafts/{article_id}/"),
            summary=summarise(revision.factcheck),
            facts=list(facts), chart=chart, revisions=store.revisions(article_id), audit=store.audit(article_id),
            current=revision.number == article.current_revision, error=error, reason=reason,
            publications=store.publications(article_id), foreign=foreign_in(store, article, revision),
            targets=configured_targets(settings), approval=store.approvals([article_id]).get(article_id),
        )
        return page, status

    @app.get("/drafts/<int:article_id>")
    def draft(article_id: int) -> tuple[str, int]:
        number = request.args.get("revision", type=int)
        return draft_page(article_id, number)

    @app.get("/drafts/<int:article_id>/chart.png")
    def chart(article_id: int) -> Response:
        article = store.article(article_id)
        path = store.folder(article) / "chart.png"  # from the store: this host need not have generate's folder
        if not path.is_file():
            abort(404, "This draft has no chart.")
        return send_file(path, mimetype="image/png", max_age=0)

    def edit_page(article_id: int, *, text: str | None = None, version: int | None = None,
                  error: str | None = None, status: int = 200, correction: str = "") -> tuple[str, int]:
        article = store.article(article_id)
        revision = store.revision(article_id)
        mentions = mention_views(revision.markdown, revision.factcheck, store.facts(article_id))
        return render_template(
            "review/edit.html", article=article, revision=revision, failed=[m for m in mentions if m.failed],
            text=revision.markdown if text is None else text,
            version=article.version if version is None else version, error=error, correction=correction,
        ), status

    @app.get("/drafts/<int:article_id>/edit")
    def edit(article_id: int) -> tuple[str, int]:
        return edit_page(article_id)

    def _version() -> int:
        value = request.form.get("version", type=int)
        if value is None:
            abort(400, "The form did not say which version of the draft it was based on. Reload the page.")
        return value

    @app.post("/drafts/<int:article_id>/edit")
    def save(article_id: int) -> Any:
        text, version = request.form.get("markdown", ""), _version()
        note = request.form.get("correction", "")
        try:
            result = save_revision(store, article_id, text, by=g.session.editor, expected_version=version,
                                   check=check, correction=note)
        except ConflictError as err:
            return edit_page(article_id, text=text, version=version, error=str(err), status=409, correction=note)
        except NotAllowed as err:
            return edit_page(article_id, text=text, version=version, error=str(err), status=409, correction=note)
        except InputError as err:
            return edit_page(article_id, text=text, version=version, error=str(err), status=400, correction=note)
        if result.revision is None:
            flash_next("No changes to save.")
        else:
            summary = describe(result.article.factcheck)
            extra = " The draft is unblocked." if result.unblocked else (
                " The draft stays blocked." if result.article.status == "blocked" else "")
            flash_next(f"Saved revision {result.revision.number}: {summary}.{extra}")
        return redirect(url_for("draft", article_id=article_id))

    def act(article_id: int, do: Callable[[], Any], done: str) -> Any:
        try:
            do()
        except ConflictError as err:
            return draft_page(article_id, error=str(err), status=409, reason=request.form.get("reason", ""))
        except NotAllowed as err:
            return draft_page(article_id, error=str(err), status=409, reason=request.form.get("reason", ""))
        except InputError as err:
            return draft_page(article_id, error=str(err), status=400, reason=request.form.get("reason", ""))
        flash_next(done)
        return redirect(url_for("draft", article_id=article_id))

    @app.post("/drafts/<int:article_id>/approve")
    def approve_draft(article_id: int) -> Any:
        version = _version()
        external = request.form.get("allow_external") == "yes"
        return act(article_id, lambda: approve(store, article_id, by=g.session.editor, expected_version=version,
                                               allow_external=external), "Approved.")

    @app.post("/drafts/<int:article_id>/accept")
    def accept(article_id: int) -> Any:
        version = _version()
        return act(article_id, lambda: accept_proposal(store, article_id, by=g.session.editor,
                                                       expected_version=version),
                   "The regenerated text is now the current revision; review it before approving.")

    @app.post("/drafts/<int:article_id>/discard")
    def discard(article_id: int) -> Any:
        version = _version()
        return act(article_id, lambda: discard_proposal(store, article_id, by=g.session.editor,
                                                        expected_version=version),
                   "Proposal discarded; the current text stays.")

    @app.get("/drafts/<int:article_id>/diff")
    def diff(article_id: int) -> str:
        article = store.article(article_id)
        old, new = diff_pair(article, request.args.get("from", type=int), request.args.get("to", type=int))
        if old < 1:
            abort(404, "This draft has only one revision; there is nothing to compare.")
        a, b = store.revision(article_id, old), store.revision(article_id, new)
        return render_template("review/diff.html", article=article, old=a, new=b,
                               change=diff_html(a.markdown, b.markdown))

    @app.post("/drafts/<int:article_id>/publish")
    def publish(article_id: int) -> Any:
        from generator.desk.console import publish_lines
        from generator.desk.publish import publish_article

        version = _version()
        article = store.article(article_id)
        if article.version != version:
            return draft_page(article_id, error=f"draft {article_id} changed since you opened it (now version "
                              f"{article.version}, {article.status}); reload it and check it before publishing",
                              status=409)
        try:
            result = publish_article(store, settings, article_id, by=g.session.editor)
        except MarketnewsError as err:  # not approved, no target configured, another publish run in progress
            return draft_page(article_id, error=str(err), status=409)
        flash_next(" ".join(line.removeprefix(f"draft {article_id}: ") for line in publish_lines(result)))
        return redirect(url_for("draft", article_id=article_id))

    @app.post("/drafts/<int:article_id>/reject")
    def reject_draft(article_id: int) -> Any:
        version = _version()
        return act(article_id, lambda: reject(store, article_id, by=g.session.editor,
                                              reason=request.form.get("reason", ""), expected_version=version),
                   "Rejected.")

    return app
