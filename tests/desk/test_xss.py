"""Hostile drafts render inert: scripts, event handlers, javascript: links and SVG payloads.

A draft's text comes from templates, an LLM or an editor; none of it may run
in an editor's browser. The browser test turns the Content-Security-Policy off
(bypass_csp) so that it proves the sanitiser alone makes the page safe; the
CSP is a second wall, checked in test_web.py.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from generator.desk.auth import hash_password
from generator.desk.proof import mention_views, proof_html
from generator.desk.store import Store
from generator.desk.web import create_app
from generator.factcheck.report import CheckReport, MentionResult
from generator.settings import Settings
from tests.desk.browser import chromium, live_server

PAYLOADS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img onerror')\">",
    '<img src=x alt="$6,960" onerror="alert(\'number in attribute\')">',
    "[click $6,960](javascript:alert('markdown link'))",
    "<a href=\"javascript:alert('html link')\">link</a> and <a href=\"jav&#x09;ascript:alert('encoded')\">x</a>",
    "<svg onload=\"alert('svg onload')\"><script>alert('svg script')</script></svg>",
    "<svg><animate onbegin=\"alert('animate')\" attributeName=x dur=1s></animate></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('mutation')\"></style></mglyph></table></mtext></math>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe><object data=\"javascript:alert('object')\"></object>",
    "<details open ontoggle=\"alert('details')\">x</details> <body onload=\"alert('body')\">",
    "<form action=\"javascript:alert('form')\"><button>go</button></form>",
    '<span class="mention v-verified" data-verdict="verified">$9,999</span> forged marker',
    "\ue0000\ue001$1\ue002 private-use marker characters",
    "<style>body{display:none}</style><link rel=stylesheet href=//evil.example/x.css>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert('meta')\">",
]
HOSTILE_TITLE = "# Bitcoin <img src=x onerror=\"alert('title')\"> at $6,960"


def hostile_body(body: str) -> str:
    lines = body.splitlines()
    return "\n".join([HOSTILE_TITLE, *lines[1:], "", *(p + "\n" for p in PAYLOADS)]) + "\n"


class _Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


def test_the_proof_html_keeps_no_active_content(example) -> None:  # noqa: ANN001
    text = hostile_body(example.body)
    report = CheckReport.from_results([
        MentionResult(text="$6,960", start=i, end=i + 6, kind="price", value=6960.0, verdict="verified", fact=None,
                      expected=None, reason="", sentence="")
        for i in range(len(text)) if text.startswith("$6,960", i)])
    inv = _Inventory()
    rendered = str(proof_html(text, mention_views(text, report, example.facts)))
    inv.feed(rendered)
    assert not {"script", "svg", "math", "iframe", "object", "style", "form", "meta", "link", "details"} & set(inv.tags)
    assert not [k for k, _ in inv.attrs if k.startswith("on")]
    assert not [v for k, v in inv.attrs if k in ("href", "src", "action") and not v.startswith(("http", "mailto", "/"))
                and v not in ("x",)]
    # Only the report places marks: not the forged span, not the private-use characters, and not the
    # mention inside the alt attribute (a mark cannot go inside an attribute).
    assert inv.attrs.count(("data-verdict", "verified")) == len(report.mentions) - 1
    assert 'alt="$6,960"' in rendered and "\ue000" not in rendered
    assert "$9,999 forged marker" in rendered and "verified\">$9,999" not in rendered


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as b:
        yield b


def test_hostile_drafts_are_inert_in_a_real_browser(
    browser: Any, store: Store, register, example, check,
) -> None:  # noqa: ANN001
    from generator.desk.actions import save_revision

    article = register()
    save_revision(store, article.id, hostile_body(example.body), by="Mallory", expected_version=1, check=check)
    assert "<img" in store.article(article.id).title  # the hostile headline really is the title now
    app = create_app(Settings(review_password_hash=hash_password("correct horse battery")), store, check=check)
    with live_server(app) as base:
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + "/login")
        page.fill("#name", "Ann")
        page.fill("#password", "correct horse battery")
        page.click("button[type=submit]")
        for path in ("/", f"/drafts/{article.id}", f"/drafts/{article.id}/edit", f"/drafts/{article.id}?revision=2"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # give animations and late handlers their chance
            for link in page.locator("article.proof a").all():
                link.focus()
            page.mouse.move(300, 400)
            assert dialogs == [], f"a dialog opened on {path}: {dialogs}"
            assert page.evaluate("document.querySelectorAll('article script, article svg, article iframe, "
                                 "article object, article form, article style').length") == 0
            assert page.evaluate("[...document.querySelectorAll('article *')].flatMap(e => [...e.attributes])"
                                 ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).length") == 0
            assert page.locator("body").is_visible()
        page.goto(base + "/")
        assert "Bitcoin <img" in page.locator("table.queue a").first.text_content()  # shown as text, not a tag
        assert not [u for u in requests if not u.startswith(base)], "the page fetched something off-site"
        context.close()
