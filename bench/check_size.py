"""Benchmark: the fact-check's cost against the size of the text (is it linear?).

Checks the bundled example's golden article repeated to 6-256 KB, and as much text of bare digits, against the
example's facts, and prints seconds and milliseconds per KB for each size. Above
generator.factcheck.MAX_ARTICLE_CHARS the check refuses the text at once.
Usage: python bench/check_size.py
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.factcheck import MAX_ARTICLE_CHARS, check_article  # noqa: E402
from generator.pipeline import facts_for  # noqa: E402
from generator.settings import Settings  # noqa: E402
from generator.snapshot import load_snapshot  # noqa: E402


def main() -> None:
    _, facts = facts_for(load_snapshot(ROOT / "examples" / "btc-2018-02-06.json"), Settings())
    article = (ROOT / "tests" / "golden" / "btc-2018-02-06" / "article.md").read_text(encoding="utf-8")
    check_article(article, facts)  # warm: compiled patterns
    print(f"{platform.machine()}, Python {platform.python_version()}, limit {MAX_ARTICLE_CHARS:,} characters")
    print("| Size | Article repeated | ms/KB | Digits | ms/KB |\n|---|---|---|---|---|")
    for kb in (6, 25, 50, 100, 200, 256):
        n = min(kb * 1024, MAX_ARTICLE_CHARS)
        row = [f"{kb} KB"]
        for text in ((article * (n // len(article) + 1))[:n], ("1234567890 " * (n // 11 + 1))[:n]):
            start = time.perf_counter()
            check_article(text, facts)
            took = time.perf_counter() - start
            row += [f"{took:.2f} s", f"{took * 1000 / kb:.1f}"]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
