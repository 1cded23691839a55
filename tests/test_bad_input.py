"""Bad input, as a user meets it: one table of cases, one runner.

Every case runs the real command line (a subprocess, as tests/test_cli.py does) in an empty folder and
must give exit 2, exactly one line on stderr that names the field, setting or limit at fault, no
traceback anywhere, and leave every file in that folder as it was (nothing written, nothing half-written).

A case is data: the arguments (``{example}`` is the bundled snapshot, ``{snapshot}`` the example with
``edits`` applied, ``{tmp}`` the folder, ``{out}`` an output folder inside it that must never appear),
files to create first, environment variables, and the words the error line must hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, ROOT
from tests.test_cli import assert_clean_failure

DELETE = object()  # an edit that removes the key
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a": ' * 20_000 + "1" + "}" * 20_000
ARTICLE = "February 6, 2018 — Bitcoin fell 14.72% over the past 24 hours to $6,960.\n"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    expect: str  # words the one error line must hold: the field, setting or limit
    edits: tuple[tuple[str, Any], ...] = ()  # (dotted path into the example, new value) for {snapshot}
    files: dict[str, str | bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    marks: tuple[pytest.MarkDecorator, ...] = ()


GENERATE = ("generate", "--snapshot", "{snapshot}", "--out", "{out}")
CHECK = ("check", "{tmp}/article.md", "--snapshot", "{snapshot}")
WITH_ARTICLE = {"article.md": ARTICLE}
EXAMPLE_GENERATE = ("generate", "--snapshot", "{example}", "--out", "{out}")
EXAMPLE_CHECK = ("check", "{tmp}/article.md", "--snapshot", "{example}")


def snap(id: str, expect: str, *edits: tuple[str, Any], args: tuple[str, ...] = GENERATE) -> Case:
    """A snapshot that must be refused: the example with ``edits``."""
    return Case(id, args, expect, edits=edits, files=WITH_ARTICLE if args is CHECK else {})


CASES: list[Case] = [
    # --- Snapshot values: strict, finite JSON numbers -------------------------------------------------------
    snap("price-true", "price.current: Input should be a valid number (got true)", ("price.current", True)),
    snap("price-string", 'price.current: Input should be a valid number (got "6960")', ("price.current", "6960")),
    snap("price-infinity", "price.current: Input should be a finite number (got Infinity)",
         ("price.current", float("inf"))),
    snap("price-nan", "price.current: Input should be a finite number (got NaN)", ("price.current", float("nan"))),
    snap("candle-nan", "candles.1d.candles.399.high: Input should be a finite number",
         ("candles.1d.candles.399.high", float("nan"))),
    snap("volume-string", "price.volume_24h: Input should be a valid number", ("price.volume_24h", "12325")),
    snap("fear-greed-true", "fear_greed.value: Input should be a valid integer (got true)", ("fear_greed.value", True)),
    snap("fear-greed-fraction", "fear_greed.value: Input should be a valid integer (got 8.5)",
         ("fear_greed.value", 8.5)),
    snap("scope-yes", 'liquidations.scope.aggregated: Input should be a valid boolean (got "yes")',
         ("liquidations.scope.aggregated", "yes")),
    snap("negative-price", "price.current: Input should be greater than 0", ("price.current", -1)),
    snap("price-true-check", "price.current: Input should be a valid number (got true)", ("price.current", True),
         args=CHECK),
    # --- Snapshot values: plausible magnitudes (docs/snapshot.md) -------------------------------------------
    snap("price-1e10", "price.current: Input should be less than or equal to 1000000000", ("price.current", 1e10)),
    snap("price-tiny", "price.low_24h: 1e-15 is below the smallest plausible price", ("price.low_24h", 1e-15)),
    snap("liquidations-1e30", "liquidations.total_24h_usd: Input should be less than or equal to 10000000000000",
         ("liquidations.total_24h_usd", 1e30), ("liquidations.long_24h_usd", 6e29),
         ("liquidations.short_24h_usd", 4e29)),
    snap("liquidations-parts", "liquidations.total_1h_usd: 1h long + short", ("liquidations.long_1h_usd", 4.0e8)),
    snap("open-interest-1e20", "open_interest.usd: Input should be less than or equal to 10000000000000",
         ("open_interest.usd", 1e20)),
    snap("volume-1e20", "price.volume_24h: 24h volume: 1e+20 units at 6960", ("price.volume_24h", 1e20)),
    snap("candle-volume", "candles.1d.candles.10.volume: candle 2017-01-11", ("candles.1d.candles.10.volume", 1e18)),
    snap("change-1e6", "price.change_24h_pct: Input should be less than or equal to 100000",
         ("price.change_24h_pct", 1e6)),
    snap("funding-50pct", "funding.rate: Input should be less than or equal to 0.05", ("funding.rate", 0.5)),
    snap("funding-interval", "funding.interval_hours: Input should be less than or equal to 24",
         ("funding.interval_hours", 100)),
    snap("fear-greed-101", "fear_greed.value: Input should be less than or equal to 100", ("fear_greed.value", 101)),
    # --- Snapshot: the current price against its own 24h range and candles ---------------------------------
    snap("price-50x-24h-high", "price.current: 348000 is 41.6 times the 24h high", ("price.current", 6960 * 50)),
    snap("price-far-below-24h-low", "price.current: 69.6 is 0.0105 times the 24h low", ("price.current", 69.6)),
    snap("price-50x-last-candle", "price.current: 348000 is more than 10 times beyond the last 1d candle's range",
         ("price.current", 6960 * 50), ("price.high_24h", DELETE), ("price.low_24h", DELETE)),
    # --- Snapshot: as_of consistent with the candles and the clock ------------------------------------------
    snap("as-of-2099", "as_of: 2099-01-01T00:00:00+00:00 is in the future", ("as_of", "2099-01-01T00:00:00Z")),
    snap("as-of-2020-over-2018-candles", "as_of: 2020-01-01T00:00:00+00:00 is 694 days after the last 1d candle "
         "closed", ("as_of", "2020-01-01T00:00:00Z")),
    snap("as-of-before-last-close", "as_of: the last 1d candle (opening 2018-02-05T00:00:00+00:00) had not closed",
         ("as_of", "2018-02-05T12:00:00Z"), ("price.source.as_of", "2018-02-05T12:00:00Z")),
    snap("group-after-as-of", "fear_greed.source.as_of: fear_greed is dated 2018-02-07",
         ("fear_greed.source.as_of", "2018-02-07T00:00:00Z")),
    snap("as-of-2099-check", "as_of: 2099-01-01T00:00:00+00:00 is in the future", ("as_of", "2099-01-01T00:00:00Z"),
         args=CHECK),
    # --- Snapshot files ---------------------------------------------------------------------------------------
    Case("snapshot-deep-array", ("generate", "--snapshot", "{tmp}/deep.json", "--out", "{out}"),
         "deep.json is not a valid snapshot: nested too deeply", files={"deep.json": DEEP_ARRAY}),
    Case("snapshot-deep-object", ("generate", "--snapshot", "{tmp}/deep.json", "--out", "{out}"),
         "deep.json is not a valid snapshot: nested too deeply", files={"deep.json": DEEP_OBJECT}),
    Case("snapshot-deep-check", ("check", "{tmp}/article.md", "--snapshot", "{tmp}/deep.json"),
         "deep.json is not a valid snapshot: nested too deeply", files={"deep.json": DEEP_ARRAY, **WITH_ARTICLE}),
    Case("snapshot-missing", ("generate", "--snapshot", "{tmp}/nope.json", "--out", "{out}"),
         "snapshot file not found"),
    Case("snapshot-binary", ("generate", "--snapshot", "{tmp}/bad.json", "--out", "{out}"),
         "cannot read snapshot", files={"bad.json": b"\x00\xff{not json"}),
    Case("snapshot-truncated", ("generate", "--snapshot", "{tmp}/cut.json", "--out", "{out}"),
         "cut.json is not valid JSON (line", files={"cut.json": EXAMPLE.read_text()[:2000]}),
    Case("snapshot-not-a-snapshot", ("check", "{tmp}/article.md", "--snapshot", "{tmp}/bad.json"),
         "bad.json is not a valid snapshot: quote: Field required",
         files={"bad.json": '{"asset": "BTC"}', **WITH_ARTICLE}),
    Case("snapshot-unknown-field", ("generate", "--snapshot", "{tmp}/x.json", "--out", "{out}"),
         "price.colour: Extra inputs are not permitted",
         files={"x.json": EXAMPLE.read_text().replace('"current":', '"colour": "red", "current":', 1)}),
    # --- Articles to check --------------------------------------------------------------------------------------
    Case("article-missing", ("check", "{tmp}/nope.md", "--snapshot", "{example}"), "article file not found"),
    Case("article-binary", ("check", "{tmp}/binary.md", "--snapshot", "{example}"), "is not UTF-8 text",
         files={"binary.md": b"\xff\xfe\x00\x81 not text"}),
    Case("article-folder", ("check", "{tmp}", "--snapshot", "{example}"), "is a folder, not a file"),
    Case("check-without-snapshot", ("check", "{tmp}/article.md"), "the following arguments are required: --snapshot",
         files=WITH_ARTICLE),
    # An ASCII-only stderr: the path's letters are escaped, the line is still one line.
    Case("article-missing-ascii-stream", ("check", "{tmp}/ärtikel.md", "--snapshot", "{example}"),
         "article file not found", env={"PYTHONIOENCODING": "ascii"}),
    # --- Recordings to replay -------------------------------------------------------------------------------------
    Case("replay-missing", ("generate", "--replay", "{tmp}/no-such-file.yaml", "--out", "{out}"),
         "replay file not found"),
    Case("replay-not-a-cassette", ("generate", "--replay", "{tmp}/r.yaml", "--out", "{out}"),
         "r.yaml is not a vcrpy cassette", files={"r.yaml": "not: a cassette\n"}),
    Case("replay-deep", ("generate", "--replay", "{tmp}/r.yaml", "--out", "{out}"),
         "r.yaml is not a vcrpy cassette", files={"r.yaml": "interactions: " + DEEP_ARRAY}),
    Case("replay-not-ours", ("generate", "--replay", "{tmp}/r.yaml", "--out", "{out}"),
         "was not recorded by marketnews", files={"r.yaml": "interactions: []\n"}),
    # --- Settings: the TOML file ----------------------------------------------------------------------------------
    Case("config-missing", ("--config", "{tmp}/nope.toml", *EXAMPLE_GENERATE), "config file not found"),
    Case("config-bad-toml", ("--config", "{tmp}/m.toml", *EXAMPLE_GENERATE), "m.toml is not valid TOML",
         files={"m.toml": "output_dir = [unclosed"}),
    Case("config-deep", ("--config", "{tmp}/m.toml", *EXAMPLE_GENERATE), "m.toml is nested too deeply",
         files={"m.toml": "a = " + DEEP_ARRAY}),
    Case("config-unknown-setting", ("--config", "{tmp}/m.toml", *EXAMPLE_GENERATE),
         "invalid setting colour: unknown setting", files={"m.toml": 'colour = "red"\n'}),
    Case("config-out-of-range", ("--config", "{tmp}/m.toml", *EXAMPLE_GENERATE),
         "invalid setting chart_candles: Input should be greater than or equal to 10",
         files={"m.toml": "chart_candles = 5\n"}),
    # --- Settings: MARKETNEWS_* variables ---------------------------------------------------------------------------
    Case("env-bad-json-table", EXAMPLE_GENERATE, "invalid setting jobs: MARKETNEWS_JOBS is not valid JSON",
         env={"MARKETNEWS_JOBS": "{bad"}),
    Case("env-bad-json-list", EXAMPLE_GENERATE, "invalid setting assets: MARKETNEWS_ASSETS is not valid JSON",
         env={"MARKETNEWS_ASSETS": '["BTC",'}),
    Case("env-comma-list-bad-ticker", EXAMPLE_GENERATE, "invalid setting assets: invalid asset 'B!TC'",
         env={"MARKETNEWS_ASSETS": "BTC,B!TC"}),
    Case("env-unknown-review-timezone", ("status",), "invalid setting review_timezone: unknown time zone 'Mars/Base'",
         env={"MARKETNEWS_REVIEW_TIMEZONE": "Mars/Base"}),
    Case("env-comma-list-bad-timeframe", EXAMPLE_GENERATE, "invalid setting candle_timeframes: unknown timeframe '2d'",
         env={"MARKETNEWS_CANDLE_TIMEFRAMES": "1d,2d"}),
    Case("env-deep-json", EXAMPLE_GENERATE, "invalid setting provider_order: MARKETNEWS_PROVIDER_ORDER is nested "
         "too deeply", env={"MARKETNEWS_PROVIDER_ORDER": "[" * 10_000 + "]" * 10_000}),
    Case("env-log-level", EXAMPLE_GENERATE, "invalid setting log_level", env={"MARKETNEWS_LOG_LEVEL": "LOUD"}),
    Case("env-llm-mode", EXAMPLE_GENERATE, "invalid setting llm_mode", env={"MARKETNEWS_LLM_MODE": "yaml"}),
    Case("llm-on-without-key", (*EXAMPLE_GENERATE, "--llm", "on"), "no API key is set"),
    # --- Usage ---------------------------------------------------------------------------------------------------------
    Case("unknown-option", ("generate", "--snapshot", "{example}", "--frobnicate"), "--frobnicate"),
    Case("two-sources", ("generate", "--asset", "BTC", "--snapshot", "{example}"), "not allowed with argument"),
    Case("no-source", ("generate",), "one of the arguments --asset --all --replay --snapshot is required"),
    Case("fetch-without-asset", ("fetch",), "the following arguments are required: --asset"),
    Case("bad-port", ("review", "--port", "99999"), "port out of range (0-65535): 99999"),
    Case("short-interval", ("watch", "--every", "5s", "--once"), "--every"),
    # --- Assets ----------------------------------------------------------------------------------------------------------
    Case("unknown-asset", ("generate", "--asset", "ZZZ", "--out", "{out}"), "unknown asset ZZZ: no price provider"),
    Case("invalid-asset", ("fetch", "--asset", "B!TC"), "invalid asset 'B!TC'"),
    Case("invalid-asset-in-a-list", ("generate", "--asset", "BTC,B!TC", "--out", "{out}"), "invalid asset 'B!TC'"),
    Case("all-without-assets", ("generate", "--all", "--out", "{out}"), "no assets are configured for --all"),
    # --- Output -------------------------------------------------------------------------------------------------------------
    Case("out-under-a-file", ("generate", "--snapshot", "{example}", "--out", "{tmp}/file/sub"), "cannot write",
         files={"file": "not a folder"}),
    # --- Jobs, alerts, the desk -----------------------------------------------------------------------------------------
    Case("run-unknown-job", ("run", "nightly"), "no job named 'nightly'"),
    Case("schedule-without-jobs", ("schedule",), "no enabled jobs in the configuration"),
    Case("webhook-without-secret", ("watch", "--once", "--out", "{out}"), "webhook_secret is not set",
         env={"MARKETNEWS_WEBHOOK_URL": "http://127.0.0.1:9/hook"}),
    Case("review-public-without-password", ("review", "--host", "0.0.0.0", "--port", "0"),
         "without a password"),
    Case("set-password-too-short", ("--config", "{tmp}/m.toml", "review", "set-password"), "the password is too short"),
    # Issue 15 item 6: these created the desk store first, or exited 4 saying 'trying again next poll'.
    Case("draft-not-found", ("drafts", "show", "42"), "no draft with id 42"),
    Case("list-limit-negative", ("drafts", "list", "--limit", "-1"), "must be 0 or more"),
    Case("list-limit-not-a-number", ("drafts", "list", "--limit", "ten"), "not a number: 'ten'"),
    Case("publish-without-target", ("publish", "42"), "no publishing target is configured"),
    Case("watch-unknown-asset", ("watch", "--asset", "ZZZ", "--once", "--out", "{out}"), "unknown asset ZZZ"),
    # Issue 17: a PostgreSQL desk that cannot be reached (nothing listens on port 9) is one line naming desk_db.
    Case("desk-db-unreachable", ("drafts", "list"), "cannot be reached",
         env={"MARKETNEWS_DESK_DB": "postgresql://marketnews@127.0.0.1:9/desk"}),
    Case("run-desk-db-unreachable", ("run", "site"), "(setting desk_db)", files={"marketnews.toml": (
        'desk_db = "postgresql://marketnews@127.0.0.1:9/desk"\n[jobs.site]\ncron = "0 * * * *"\naction = "publish"\n')}),
    # --- Input size limits (article size, snapshot file size, candles per timeframe) ----------------------------------
    Case("article-too-large", EXAMPLE_CHECK, "at most 262,144 characters", files={"article.md": "1234567890 " * 500_000}),
    Case("article-too-long-text", EXAMPLE_CHECK, "the fact-check reads at most 262,144",
         files={"article.md": "The price rose. " * 20_000}),
    Case("snapshot-file-too-large", ("generate", "--snapshot", "{tmp}/big.json", "--out", "{out}"),
         "a snapshot file may hold at most 20,000,000", files={"big.json": " " * 20_000_001}),
    snap("too-many-candles", "candles.1d.candles: List should have at most 5000 items",
         ("candles.1d.candles", json.loads(EXAMPLE.read_text())["candles"]["1d"]["candles"] * 13)),
]


def _edited(edits: tuple[tuple[str, Any], ...]) -> str:
    data = json.loads(EXAMPLE.read_text())
    for path, value in edits:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        index: Any = int(last) if isinstance(node, list) else last
        if value is DELETE:
            del node[index]
        else:
            node[index] = value
    return json.dumps(data)  # Infinity and NaN as Python's json writes (and reads) them


def _contents(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_bad_input_is_one_line_exit_2_and_nothing_written(case: Case, tmp_path: Path) -> None:
    for name, content in case.files.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    if case.edits:
        (tmp_path / "snapshot.json").write_text(_edited(case.edits))
    before = _contents(tmp_path)
    values = {"example": str(EXAMPLE), "snapshot": str(tmp_path / "snapshot.json"), "tmp": str(tmp_path),
              "out": str(tmp_path / "out")}
    args = [a.format(**values) for a in case.args]
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("MARKETNEWS_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    proc = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=tmp_path, env={**clean, "PYTHONPATH": str(ROOT), **case.env},
                          stdin=subprocess.DEVNULL, timeout=120)
    assert_clean_failure(proc)
    assert case.expect in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout
    assert _contents(tmp_path) == before, "the command wrote or changed files"
