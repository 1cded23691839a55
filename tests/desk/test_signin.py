"""Sign-in security: redirect targets stay on this site; throttling slows guesses without locking editors out."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from generator.desk.signin import SignInThrottle, safe_target
from generator.desk.store import Store
from tests.desk.test_web import PASSWORD, csrf, make_client, sign_in

OFF_SITE = ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "/\t/evil.example", "/\n/evil.example",
            "/\r\n/evil.example", " //evil.example", "/ /evil.example", "\\\\evil.example", "javascript:alert(1)",
            "/%09/evil.example".replace("%09", "\t"), "", None]


@pytest.fixture
def client(store: Store, check: Any) -> FlaskClient:
    return make_client(store, check)


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_target_off_this_site_becomes_the_queue(target: str | None) -> None:
    assert safe_target(target) == "/"


@pytest.mark.parametrize("target", ["/", "/drafts/3", "/drafts/3/edit?x=1#top", "/drafts?status=blocked"])
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert safe_target(target) == target


@pytest.mark.parametrize("query", ["next=/%09/evil.example", "next=/%0a/evil.example", "next=/%0d%0aSet-Cookie:x=1",
                                   "next=%2F%2Fevil.example"])
def test_the_reported_redirect_payloads_land_on_the_queue(client: FlaskClient, query: str) -> None:
    page = client.get(f"/login?{query}")
    assert page.status_code == 200
    assert b"evil.example" not in page.data and b"Set-Cookie" not in page.data
    resp = client.post(f"/login?{query}", data={"csrf_token": csrf(page.data), "name": "Ann", "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_the_wait_doubles_after_the_free_failures_and_is_capped() -> None:
    clock = Clock()
    throttle = SignInThrottle(free=5, base=2.0, cap=30.0, clock=clock)
    waits = []
    for _ in range(10):
        waits.append(throttle.wait("Ann", "10.0.0.1"))
        throttle.fail("Ann", "10.0.0.1")
    assert waits == [0.0] * 5 + [2.0, 4.0, 8.0, 16.0, 30.0]
    assert throttle.wait("Ann", "10.0.0.1") == 30.0  # 2 * 2**5 = 64, capped at 30
    clock.t += 30
    assert throttle.wait("Ann", "10.0.0.1") == 0.0  # the correct password is never locked out for long


def test_one_editors_failures_do_not_lock_out_another_behind_the_same_proxy() -> None:
    throttle = SignInThrottle(clock=Clock())
    for _ in range(8):
        throttle.fail("Ann", "10.0.0.1")
    assert throttle.wait("Ann", "10.0.0.1") > 0
    assert throttle.wait("Bob", "10.0.0.1") == 0.0
    assert throttle.wait("ann", "10.0.0.1") > 0  # names are compared without case


def test_rotating_names_from_one_address_meets_the_address_ceiling() -> None:
    clock = Clock()
    throttle = SignInThrottle(per_address=20, window=900.0, clock=clock)
    for i in range(20):
        throttle.fail(f"guess{i}", "10.0.0.9")
    assert throttle.wait("someone-new", "10.0.0.9") == 900.0
    assert throttle.wait("someone-new", "10.0.0.8") == 0.0
    clock.t += 901
    assert throttle.wait("someone-new", "10.0.0.9") == 0.0


def test_a_success_clears_the_names_failures() -> None:
    throttle = SignInThrottle(clock=Clock())
    for _ in range(4):
        throttle.fail("Ann", "10.0.0.1")
    throttle.succeed("Ann", "10.0.0.1")
    throttle.fail("Ann", "10.0.0.1")
    assert throttle.wait("Ann", "10.0.0.1") == 0.0


def test_throttled_sign_ins_say_how_long_and_other_editors_still_sign_in(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, password="nope nope nope").status_code == 401
    resp = sign_in(client)
    assert resp.status_code == 429 and b"Try again in 2 seconds" in resp.data
    assert sign_in(client, name="Bob").status_code == 302


def test_failed_sign_ins_are_in_the_audit_log(store: Store, check: Any) -> None:
    client = make_client(store, check)
    assert sign_in(client, name="Mallory", password="guess one").status_code == 401
    entry = store.audit(None)[0]
    assert (entry.actor, entry.action) == ("Mallory", "sign-in failed")
    assert entry.reason == "wrong password from 127.0.0.1 (1 in a row)"
