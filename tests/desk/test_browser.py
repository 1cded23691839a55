"""The review page in a real browser: an editor fixes a blocked draft and approves it.

Set UPDATE_SCREENSHOTS=1 to rewrite the screenshots in docs/ that README.md and docs/desk.md show.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.desk.actions import approve, reject
from generator.desk.auth import hash_password
from generator.desk.store import Store
from generator.desk.web import create_app
from generator.settings import Settings
from tests.conftest import ROOT, make_snapshot
from tests.desk.browser import chromium, live_server
from tests.desk.conftest import RIGHT, WRONG, Example

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as b:
        yield b


def screenshot_dir(tmp_path: Path) -> Path:
    return ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path


def test_an_editor_fixes_a_blocked_draft_and_approves_it(browser: Any, store: Store, register, example, check,
                                                         tmp_path: Path) -> None:  # noqa: ANN001
    sections = {s.name: s.origin for s in example.draft.sections}
    # Earlier days from real Bittrex candles (tests/fixtures), so the queue looks like a working week.
    for last_candle, status in (("2018-02-02", "approve"), ("2018-02-03", "reject"), ("2018-02-04", None)):
        earlier = Example(make_snapshot(until=last_candle))  # as of the next midnight
        article = register(date=earlier.date, source=earlier,
                           sections={**sections, "lead": "llm", "why_it_matters": "llm", "outlook": "repaired"})
        if status == "approve":
            approve(store, article.id, by="Ann Editor")
        elif status == "reject":
            reject(store, article.id, by="Ann Editor", reason="Superseded by the alert article")
    blocked = register(example.body.replace(RIGHT, WRONG), date="2018-02-06",
                       sections={**sections, "lead": "llm", "price_action": "llm", "scenarios": "fallback"})
    app = create_app(Settings(review_password_hash=hash_password(PASSWORD)), store, check=check)
    shots = screenshot_dir(tmp_path)
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(base + "/")
        assert "/login" in page.url
        page.fill("#name", "Ann Editor")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        assert page.locator("table.queue").count() == 4
        page.screenshot(path=str(shots / "review-queue.png"), full_page=True)

        page.click(f"a[href='/drafts/{blocked.id}']")
        assert page.locator("#status").text_content() == "blocked"
        wrong = page.locator("article.proof mark.v-mismatch", has_text="$6,990")
        assert wrong.count() == 1
        wrong.hover()
        assert page.locator(f"#tip{wrong.get_attribute('id')[1:]}").is_visible()
        assert "over the past 24 hours to $6,990, " in page.locator("ol.failures blockquote").inner_text()
        page.screenshot(path=str(shots / "review-draft.png"), full_page=False)

        page.click("a.button:text('Edit')")
        editor = page.locator("textarea#markdown")
        editor.fill(editor.input_value().replace(WRONG, RIGHT))
        page.click("button:text('Save and re-check')")
        assert "The draft is unblocked." in page.locator(".flash").inner_text()
        assert page.locator("#status").text_content() == "draft"
        assert page.locator("article.proof mark.v-mismatch").count() == 0
        assert page.locator("article.proof mark.v-verified", has_text="$6,960").count() >= 1

        page.click("button.approve")
        assert page.locator("#status").text_content() == "approved"
        assert page.locator(".flash").inner_text() == "Approved."
        assert "Ann Editor" in page.locator("table.audit").inner_text()
        assert dialogs == []
    assert store.article(blocked.id).status == "approved"


def test_a_wrong_figure_inside_a_verified_phrase_shows_red_and_its_link_leads_to_it(
        browser: Any, store: Store, register, example, check) -> None:  # noqa: ANN001
    blocked = register(example.body.replace("breaks $7,846 support", "breaks $7,864 support", 1))
    app = create_app(Settings(review_password_hash=hash_password(PASSWORD)), store, check=check)
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto(base + "/login")
        page.fill("#name", "Ann Editor")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/drafts/{blocked.id}")
        inner = page.locator("article.proof mark.v-verified > mark.v-mismatch", has_text="$7,864")
        assert inner.count() == 1 and inner.is_visible()
        phrase = inner.locator("xpath=..")
        assert phrase.evaluate("el => el.firstChild.textContent") == "breaks "  # the verified claim around it
        colour = "el => getComputedStyle(el).backgroundColor"
        assert inner.evaluate(colour) != phrase.evaluate(colour)  # the figure does not read as verified
        link = page.locator("ol.failures a", has_text="$7,864")
        assert link.get_attribute("href") == f"#{inner.get_attribute('id')}"
        assert "breaks $7,864 support" in page.locator("ol.failures li", has_text="$7,864").inner_text()
        link.click()
        assert page.url.endswith(f"#{inner.get_attribute('id')}")
        page.close()


def _signed_in(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(base + "/login")
    page.fill("#name", "Ann Editor")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_an_editor_reviews_a_proposal_as_a_diff_and_accepts_it(browser: Any, store: Store, register, example,
                                                               check) -> None:  # noqa: ANN001
    first = register()
    approve(store, first.id, by="Ann Editor")
    register(example.body.replace("slicing through support", "cutting through support", 1))  # a proposal
    app = create_app(Settings(review_password_hash=hash_password(PASSWORD)), store, check=check)
    with live_server(app) as base:
        page = _signed_in(browser, base)
        page.goto(f"{base}/drafts/{first.id}")
        assert page.locator("#status").text_content() == "approved"
        assert "New text from new data is waiting" in page.locator("#proposal").inner_text()
        page.click("#proposal a")
        added = page.locator(".diff p.changed ins", has_text="cutting")
        assert added.count() == 1
        assert added.evaluate("el => getComputedStyle(el).textDecorationLine") == "underline"
        page.click("button:text('Accept the new text')")
        assert page.locator("#status").text_content() == "draft"
        assert page.locator("#proposal").count() == 0
        assert "cutting through support" in page.locator("article.proof").inner_text()
        page.close()
    assert store.article(first.id).current_revision == 2


def test_an_editor_corrects_a_published_article(browser: Any, store: Store, register, example,
                                                check) -> None:  # noqa: ANN001
    first = register()
    approve(store, first.id, by="Ann Editor")
    with store.transaction() as conn:
        store.update_article(conn, store.article(first.id), status="published")
    app = create_app(Settings(review_password_hash=hash_password(PASSWORD)), store, check=check)
    with live_server(app) as base:
        page = _signed_in(browser, base)
        page.goto(f"{base}/drafts/{first.id}/edit")
        assert page.locator("#correction").get_attribute("required") is not None
        editor = page.locator("textarea#markdown")
        editor.fill(editor.input_value().replace("slicing through support", "cutting through support", 1))
        page.fill("#correction", "corrected a verb in the lead")
        page.click("button:text('Save and re-check')")
        assert page.locator("#status").text_content() == "draft"
        assert "correction: corrected a verb in the lead" in page.locator("table.revisions").inner_text()
        page.click("button.approve")
        assert page.locator("#status").text_content() == "approved"
        page.close()
    assert store.revision(first.id).correction == "corrected a verb in the lead"


def test_the_desk_is_usable_on_a_390_px_phone(browser: Any, store: Store, register, example, check,
                                              tmp_path: Path) -> None:  # noqa: ANN001
    import shutil

    for day in ("2018-02-04", "2018-02-05"):
        register(date=day)
    alert = register(date="2018-02-06 09:05", kind="alert")
    blocked = register(example.body.replace(RIGHT, WRONG), files=["article.md", "chart.png"])
    shutil.copy(ROOT / "docs" / "images" / "chart-btc-2018-02-06.png", blocked.path / "chart.png")
    app = create_app(Settings(review_password_hash=hash_password(PASSWORD)), store, check=check)
    overflow = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page.goto(base + "/login")
        page.fill("#name", "Ann Editor")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        assert page.evaluate(overflow) <= 0, "the queue scrolls sideways at 390 px"
        assert page.locator(f"tr.urgent a[href='/drafts/{alert.id}']").is_visible()
        page.screenshot(path=str(tmp_path / "queue-390px.png"), full_page=True)
        page.goto(f"{base}/drafts/{blocked.id}")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert page.evaluate(overflow) <= 0, f"the draft page scrolls sideways at 390 px: {wide}"
        chart = page.locator("img[src$='chart.png']").first
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        wrong = page.locator("article.proof mark.v-mismatch", has_text="$6,990")
        wrong.focus()
        tip = page.locator(f"#tip{wrong.get_attribute('id')[1:]}")
        tip_box = tip.bounding_box()
        assert tip.is_visible() and tip_box is not None and tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= 390
        page.keyboard.press("Tab")  # the skip link is the first stop on a fresh page
        page.goto(f"{base}/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.screenshot(path=str(tmp_path / "draft-390px.png"), full_page=True)
        page.close()
    print(f"390 px screenshots: {tmp_path / 'queue-390px.png'}, {tmp_path / 'draft-390px.png'}")


def test_an_editor_publishes_from_the_page_and_sees_each_targets_state(browser: Any, store: Store, check,
                                                                       tmp_path: Path) -> None:  # noqa: ANN001
    from tests.desk.test_publish import settings_for, written

    settings = settings_for(store, tmp_path)
    draft = written(settings)
    approve(store, draft, by="Ann Editor")
    app = create_app(settings.model_copy(update={"review_password_hash": hash_password(PASSWORD)}), store, check=check)
    with live_server(app) as base:
        page = _signed_in(browser, base)
        page.goto(f"{base}/drafts/{draft}")
        assert "not sent yet" in page.locator("#publication-static_site").inner_text()
        page.click("#publish")
        assert page.locator("#status").text_content() == "published"
        row = page.locator("#publication-static_site").inner_text()
        assert "published" in row and "https://news.example.com/2018-02-06-btc-daily/" in row
        assert "approved by Ann Editor" in page.locator("#approved-by").inner_text()
        page.close()
