"""The article chart: rendered for the bundled example, with the levels really drawn, and opt-in."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from generator.analysis import Analysis
from generator.chart import _TIMEFRAME_WORDS, chart_alt_text, draw_chart, drawn_levels, embed_chart, render_chart
from generator.facts import FactSet, build_facts, fib_key
from generator.pipeline import generate, run_analysis
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.conftest import EXAMPLE, ROOT, make_snapshot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def analysed(snapshot: MarketSnapshot) -> tuple[Analysis, FactSet]:
    analysis = run_analysis(snapshot, Settings())
    return analysis, build_facts(snapshot, analysis)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_example_chart_is_a_png_with_every_level(example_snapshot: MarketSnapshot) -> None:
    analysis, facts = analysed(example_snapshot)
    image = render_chart(example_snapshot, analysis, facts)
    assert png_size(image.png) == (image.width, image.height) == (1200, 720)
    assert len(image.png) > 30_000  # candles, lines and text, not an empty canvas
    drawn = {d.key: d for d in image.drawn}
    assert drawn["levels.broken"].value == facts["levels.broken"].value == 7846.0
    assert drawn["levels.broken"].label == "Broken support  $7,846"
    for ratio in (0.236, 0.382, 0.5, 0.618, 0.786):
        key = fib_key(ratio)
        assert drawn[key].value == pytest.approx(facts[key].value) and facts[key].display in drawn[key].label
    assert drawn["levels.fvg_low"].value == pytest.approx(facts["levels.fvg_low"].value)
    assert drawn["levels.fvg_low"].label == "Fair value gap $9,505 – $9,680"


def test_chart_figure_has_candles_rsi_and_bands(example_snapshot: MarketSnapshot) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    analysis, facts = analysed(example_snapshot)
    fig = draw_chart(example_snapshot, analysis, facts, candles=60)
    try:
        price_ax, rsi_ax = fig.axes
        bodies = [p for p in price_ax.patches if isinstance(p, Rectangle) and not p.get_gid()]
        assert len(bodies) == 60
        rsi_line = next(line for line in rsi_ax.get_lines() if line.get_gid() == "rsi")
        assert rsi_line.get_ydata()[-1] == pytest.approx(analysis.rsi["1d"].value)
        bands = sorted(line.get_ydata()[0] for line in rsi_ax.get_lines() if (line.get_gid() or "").startswith("band"))
        assert bands == [30.0, 70.0]
        texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in price_ax.texts + rsi_ax.texts]
        assert "Data as of February 6, 2018, 00:00 UTC" in texts and "RSI (14)  27" in texts
        assert "Close  $6,960" in texts
        # The price axis is labelled by the facts module's formatter.
        fig.canvas.draw()
        ticks = [t.get_text() for t in price_ax.get_yticklabels() if t.get_text()]
        assert ticks and all(re.fullmatch(r"\$\d{1,3}(,\d{3})*", t) for t in ticks), ticks
        assert {d.key for d in drawn_levels(fig)} >= {"levels.broken", "levels.fvg_low"}
    finally:
        plt.close(fig)


def test_chart_without_a_break_or_derivatives() -> None:
    snapshot = make_snapshot("2017-12-17", with_derivatives=False)  # the top of the rally: nothing broken
    analysis, facts = analysed(snapshot)
    image = render_chart(snapshot, analysis, facts)
    assert png_size(image.png) == (1200, 720)
    assert ("levels.broken" in facts) == any(d.key == "levels.broken" for d in image.drawn)
    assert "broken" not in image.alt or "levels.broken" in facts


def test_alt_text_has_no_numbers(example_snapshot: MarketSnapshot) -> None:
    analysis, facts = analysed(example_snapshot)
    alt = chart_alt_text(example_snapshot, analysis, facts)
    assert alt == ("Chart: Bitcoin daily candles with the broken support, Fibonacci retracements and the fair value "
                   "gap marked; RSI below.")
    for tf in _TIMEFRAME_WORDS:
        words = chart_alt_text(example_snapshot, analysis.model_copy(update={"timeframe": tf}), facts)
        assert not re.search(r"\d", words), words


def test_embed_puts_the_chart_after_the_lead() -> None:
    body = "# Title\n\nThe lead.\n\n## Section\n\nText.\n"
    assert embed_chart(body, "Chart: words.") == (
        "# Title\n\nThe lead.\n\n![Chart: words.](chart.png)\n\n## Section\n\nText.\n"
    )
    assert embed_chart("No heading.\n", "A.").startswith("![A.](chart.png)\n\nNo heading.")


def test_generate_with_chart_setting(example_snapshot: MarketSnapshot, tmp_path: Path) -> None:
    result = generate(example_snapshot, Settings(chart=True), out=tmp_path)
    assert "chart.png" in result.files
    assert (result.path / "chart.png").read_bytes()[:8] == PNG_MAGIC
    md = (result.path / "article.md").read_text()
    assert "\n\n![Chart: Bitcoin daily candles" in md and "](chart.png)\n\n## Price action" in md
    html = (result.path / "article.html").read_text()
    assert '<img alt="Chart: Bitcoin daily candles' in html and 'src="chart.png"' in html


def _cli(*args: str, block_matplotlib: bool = False) -> subprocess.CompletedProcess:
    code = (
        ("import sys; sys.modules['matplotlib'] = None; " if block_matplotlib else "import sys; ")
        + "from generator.cli import main; raise SystemExit(main(sys.argv[1:]))"
    )
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_chart_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text("chart = true\n")
    proc = _cli("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "a"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a" / "2018-02-06" / "btc-daily" / "chart.png").is_file()
    proc = _cli("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "b"), "--no-chart")
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "b" / "2018-02-06" / "btc-daily"
    assert not (folder / "chart.png").exists() and "chart.png" not in (folder / "article.md").read_text()


def test_cli_chart_without_matplotlib_is_one_clear_line(tmp_path: Path) -> None:
    proc = _cli("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"), "--chart",
                block_matplotlib=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "pip install 'marketnews[chart]'" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_labels_of_a_tiny_price_stay_inside_the_image() -> None:
    # A coin quoted in millionths of a dollar has long labels ("Fair value gap $0.00009505 – $0.00009680"):
    # the plot narrows rather than cut them off at the image's edge.
    example = MarketSnapshot.model_validate_json(EXAMPLE.read_text())
    scale = 1e-8
    candles = [c.model_copy(update={k: getattr(c, k) * scale for k in ("open", "high", "low", "close")})
               for c in example.candles["1d"].candles]
    snapshot = example.model_copy(update={
        "price": example.price.model_copy(update={k: getattr(example.price, k) * scale
                                                  for k in ("current", "high_24h", "low_24h")}),
        "candles": {"1d": example.candles["1d"].model_copy(update={"candles": candles})}})
    analysis, facts = analysed(snapshot)
    fig = draw_chart(snapshot, analysis, facts)
    try:
        renderer = fig.canvas.get_renderer()
        texts = [t for a in fig.axes for t in a.texts]
        assert any("Fair value gap $0.0000" in t.get_text() for t in texts)
        assert all(t.get_window_extent(renderer).x1 <= fig.bbox.width for t in texts)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
