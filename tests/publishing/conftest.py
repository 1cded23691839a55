"""Articles to publish: the bundled example (with its chart) and a second day from real candles."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.publishing import PublishableArticle, load_article
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.conftest import make_snapshot


def publishable(snapshot: MarketSnapshot, out: Path, chart: bool = False) -> PublishableArticle:
    result = generate(snapshot, Settings(chart=chart), out=out)
    return load_article(result.path, categories=["Markets"])


@pytest.fixture(scope="session")
def example_article(tmp_path_factory: pytest.TempPathFactory) -> PublishableArticle:
    from generator.snapshot import load_snapshot
    from tests.conftest import EXAMPLE

    return publishable(load_snapshot(EXAMPLE), tmp_path_factory.mktemp("out"), chart=True)


@pytest.fixture(scope="session")
def second_article(tmp_path_factory: pytest.TempPathFactory) -> PublishableArticle:
    return publishable(make_snapshot("2018-01-16"), tmp_path_factory.mktemp("out2"))
