"""Article charts: candles with the broken level, Fibonacci levels and the fair value gap, and an RSI panel.

matplotlib is optional (``marketnews[chart]``) and imported only inside
:func:`draw_chart`, so a template-only ``generate`` never pays for it. Every
number on the chart that is not an axis tick is a fact's display text; the
price axis ticks are formatted by the facts module too.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from generator.analysis import Analysis
from generator.analysis.rsi import rsi_series
from generator.drafting.story import ASSET_NAMES
from generator.drafting.template import PROVIDER_NAMES
from generator.errors import ConfigError
from generator.facts import RSI_OVERBOUGHT, RSI_OVERSOLD, FactSet, fib_key, format_number, format_ratio, format_usd
from generator.snapshot import TIMEFRAMES, MarketSnapshot

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHART_FILE = "chart.png"
WIDTH_IN, HEIGHT_IN, DPI = 12.0, 7.2, 100
_PLOT_RIGHT = 0.76  # where the plot ends: the margin to its right holds the level labels
_RIGHT_EDGE = 0.99  # no label may run past this fraction of the image width
# Spelled out: the alt text is part of the article, and a digit there would be a number no fact backs.
_TIMEFRAME_WORDS = {
    "1m": "one-minute", "5m": "five-minute", "15m": "fifteen-minute", "30m": "thirty-minute",
    "1h": "hourly", "4h": "four-hour", "1d": "daily", "1w": "weekly",
}
_UP, _DOWN, _INK, _MUTED = "#1a9c83", "#d9534f", "#222222", "#6b7280"
_BROKEN, _FIB, _FVG, _RSI = "#c2410c", "#4f6d9a", "#f2b134", "#6d28d9"


class DrawnLevel(BaseModel):
    """A level the chart shows: its fact key, its price and the label printed beside it."""

    model_config = ConfigDict(frozen=True)

    key: str
    value: float
    label: str


# pyplot keeps global state (the current figure): one chart at a time when assets are written in threads.
_PYPLOT = threading.Lock()


class ChartImage(BaseModel):
    """A rendered chart and what was drawn on it."""

    model_config = ConfigDict(frozen=True)

    png: bytes
    width: int
    height: int
    alt: str
    drawn: list[DrawnLevel]


def chart_alt_text(snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet) -> str:
    """Alt text naming what the chart shows, in words only (no number a fact would have to back)."""
    name = snapshot.asset_name or ASSET_NAMES.get(snapshot.asset, snapshot.asset)
    words = _TIMEFRAME_WORDS.get(analysis.timeframe, analysis.timeframe)
    marked = []
    if "levels.broken" in facts and analysis.levels and analysis.levels.broken:
        marked.append(f"the broken {analysis.levels.broken.kind}")
    if analysis.fib is not None:
        marked.append("Fibonacci retracements")
    if "levels.fvg_low" in facts:
        marked.append("the fair value gap")
    what = f"Chart: {name} {words} candles"
    if marked:
        listed = marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]
        what += f" with {listed} marked"
    return what + ("; RSI below." if analysis.rsi.get(analysis.timeframe) else ".")


def embed_chart(body: str, alt: str, src: str = CHART_FILE) -> str:
    """The article body with the chart image placed after the lead paragraph."""
    blocks = body.rstrip("\n").split("\n\n")
    image = f"![{alt}]({src})"
    heading = next((i for i, b in enumerate(blocks) if b.startswith("# ")), None)
    at = 0 if heading is None else min(heading + 2, len(blocks))
    return "\n\n".join([*blocks[:at], image, *blocks[at:]]) + "\n"


def render_chart(snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet, candles: int = 90) -> ChartImage:
    """Draw the chart and return it as PNG bytes, with alt text and the levels drawn."""
    with _PYPLOT:
        fig = draw_chart(snapshot, analysis, facts, candles)
        try:
            drawn = drawn_levels(fig)
            buf = io.BytesIO()
            # No Software metadata: the same data gives the same bytes across runs.
            fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)
    return ChartImage(png=buf.getvalue(), width=int(WIDTH_IN * DPI), height=int(HEIGHT_IN * DPI),
                      alt=chart_alt_text(snapshot, analysis, facts), drawn=drawn)


def drawn_levels(fig: Figure) -> list[DrawnLevel]:
    """The fact-backed levels present in the figure, read back from its artists."""
    out = []
    for artist in fig.axes[0].get_children():
        gid = artist.get_gid() or ""
        if gid.startswith("fact:"):
            key, _, label = gid[5:].partition("|")
            out.append(DrawnLevel(key=key, value=_artist_level(artist), label=label))
    return out


def _artist_level(artist: Any) -> float:
    if hasattr(artist, "get_ydata"):
        return float(artist.get_ydata()[0])
    return float(artist.get_y())  # the fair value gap's rectangle: its lower edge


def draw_chart(snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet, candles: int = 90) -> Figure:
    """The chart as a matplotlib Figure (Agg backend); the caller closes it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.dates as mdates
        import matplotlib.pyplot as plt
        from matplotlib.patches import Rectangle
        from matplotlib.ticker import FixedLocator, FuncFormatter
    except ImportError:
        raise ConfigError(
            "charts need matplotlib: pip install 'marketnews[chart]' (or generate without --chart)"
        ) from None

    series = snapshot.candles[analysis.timeframe]
    shown = series.candles[-candles:]
    step = TIMEFRAMES[analysis.timeframe]
    x = [mdates.date2num(c.time + step / 2) for c in shown]  # centre each candle on its period
    width = step.total_seconds() / 86400 * 0.7
    left, right = x[0] - width, x[-1] + width * 2

    fig, (ax, rsi_ax) = plt.subplots(2, 1, figsize=(WIDTH_IN, HEIGHT_IN), sharex=True,
                                     gridspec_kw={"height_ratios": [3.2, 1], "hspace": 0.08})
    fig.patch.set_facecolor("white")
    fig.subplots_adjust(left=0.085, right=_PLOT_RIGHT, top=0.88, bottom=0.1)
    for a in (ax, rsi_ax):
        a.set_facecolor("white")
        a.grid(True, color="#e5e7eb", linewidth=0.8)
        a.set_axisbelow(True)
        for side in ("top", "right"):
            a.spines[side].set_visible(False)
        a.spines["left"].set_color("#9ca3af")
        a.spines["bottom"].set_color("#9ca3af")
        a.tick_params(colors=_MUTED, labelsize=9)

    for xi, c in zip(x, shown):
        colour = _UP if c.close >= c.open else _DOWN
        ax.vlines(xi, c.low, c.high, color=colour, linewidth=0.9)
        body_low, body_high = sorted((c.open, c.close))
        ax.add_patch(Rectangle((xi - width / 2, body_low), width, max(body_high - body_low, 1e-12),
                               facecolor=colour, edgecolor=colour, linewidth=0.6))

    labels: list[tuple[float, str, str]] = []
    # parse_math=False on every text: dollar signs are currency, not TeX math ("$9,505 – $9,680").

    def level(key: str, start: float, colour: str, style: str | tuple[int, tuple[int, ...]], lw: float, text: str) -> None:
        value = float(facts[key].value)
        ax.plot([max(start, left), right], [value, value], color=colour, linestyle=style, linewidth=lw,
                gid=f"fact:{key}|{text}")
        labels.append((value, text, colour))

    if analysis.fvg is not None and "levels.fvg_low" in facts:
        gap = analysis.fvg.gaps[0]
        low, high = float(facts["levels.fvg_low"].value), float(facts["levels.fvg_high"].value)
        start = max(mdates.date2num(gap.time), left)
        text = f"Fair value gap {facts['levels.fvg_low'].display} – {facts['levels.fvg_high'].display}"
        # An outline keeps a narrow gap visible without drawing it wider than it is.
        ax.add_patch(Rectangle((start, low), right - start, high - low, facecolor=(*_rgb(_FVG), 0.3),
                               edgecolor=_FVG, linewidth=0.8, gid=f"fact:levels.fvg_low|{text}"))
        labels.append(((low + high) / 2, text, "#a16207"))
    if analysis.fib is not None:
        start = mdates.date2num(analysis.fib.move.start_time)
        for lv in analysis.fib.levels:
            key = fib_key(lv.ratio)
            if key in facts:
                level(key, start, _FIB, (0, (4, 3)), 0.9, f"Fib {format_ratio(lv.ratio)}  {facts[key].display}")
    if analysis.levels is not None and analysis.levels.broken is not None and "levels.broken" in facts:
        broken = analysis.levels.broken
        level("levels.broken", mdates.date2num(broken.level_time), _BROKEN, "solid", 1.8,
              f"{facts['levels.broken'].label}  {facts['levels.broken'].display}")
    if "price.last_close" in facts:
        labels.append((float(facts["price.last_close"].value), f"Close  {facts['price.last_close'].display}", _INK))

    values = [c.low for c in shown] + [c.high for c in shown] + [v for v, _, _ in labels]
    pad = (max(values) - min(values)) * 0.04
    ax.set_ylim(min(values) - pad, max(values) + pad)
    ax.set_xlim(left, right)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_usd(v)))
    _place_labels(ax, labels)

    _draw_rsi(rsi_ax, series.closes, len(shown), x, analysis, facts, FixedLocator)
    locator = mdates.AutoDateLocator(minticks=5, maxticks=9)
    rsi_ax.xaxis.set_major_locator(locator)
    rsi_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))

    name = snapshot.asset_name or ASSET_NAMES.get(snapshot.asset, snapshot.asset)
    words = _TIMEFRAME_WORDS.get(analysis.timeframe, analysis.timeframe)
    fig.text(0.085, 0.945, f"{name} ({snapshot.asset}/{snapshot.quote}), {words} candles", fontsize=15,
             fontweight="bold", color=_INK, parse_math=False)
    if "article.as_of" in facts:
        fig.text(0.085, 0.905, f"Data as of {facts['article.as_of'].display}", fontsize=10, color=_MUTED, parse_math=False)
    provider = PROVIDER_NAMES.get(series.source.provider, series.source.provider)
    fig.text(0.085, 0.025, f"Source: {provider}. Chart produced automatically by marketnews.", fontsize=8.5,
             color=_MUTED, parse_math=False)
    _fit_right_margin(fig, (ax, rsi_ax))
    return fig


def _fit_right_margin(fig: Figure, axes: tuple[Axes, ...]) -> None:
    """Narrow the plot when a margin label would run off the image (long prices: '$0.00009505 – $0.00009680')."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    edge = max((t.get_window_extent(renderer).x1 / fig.bbox.width for a in axes for t in a.texts), default=0.0)
    if edge > _RIGHT_EDGE:
        fig.subplots_adjust(right=_PLOT_RIGHT - (edge - _RIGHT_EDGE))


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _draw_rsi(ax: Axes, closes: list[float], shown: int, x: list[float], analysis: Analysis, facts: FactSet,
              locator: Any) -> None:
    rsi = analysis.rsi.get(analysis.timeframe)
    ax.set_ylim(0, 100)
    ax.axhspan(RSI_OVERSOLD, RSI_OVERBOUGHT, color="#ede9fe", alpha=0.5, linewidth=0)
    for band in (RSI_OVERSOLD, RSI_OVERBOUGHT):
        ax.axhline(band, color="#a78bfa", linewidth=0.8, linestyle=(0, (4, 3)), gid=f"band:{band}")
    ax.yaxis.set_major_locator(locator([RSI_OVERSOLD, RSI_OVERBOUGHT]))
    ax.yaxis.set_major_formatter(lambda v, _pos: format_number(v))
    if rsi is None:
        ax.text(0.5, 0.5, "RSI: not enough candles", transform=ax.transAxes, ha="center", color=_MUTED)
        return
    values = rsi_series(closes, rsi.period)[-shown:]
    points = [(xi, v) for xi, v in zip(x, values) if v is not None]
    ax.plot([p[0] for p in points], [p[1] for p in points], color=_RSI, linewidth=1.3, gid="rsi")
    key = f"technicals.rsi_{analysis.timeframe}"
    period = facts["technicals.rsi_period"].display if "technicals.rsi_period" in facts else ""
    if key in facts:
        ax.text(1.01, 0.5, f"RSI ({period})  {facts[key].display}", transform=ax.transAxes, va="center",
                fontsize=9.5, color=_RSI, fontweight="bold", parse_math=False)


def _place_labels(ax: Axes, labels: list[tuple[float, str, str]], min_gap: float = 0.048) -> None:
    """Labels in the right margin at their levels, nudged apart so none overlap."""
    lo, hi = ax.get_ylim()
    items = sorted(((v - lo) / (hi - lo), v, text, colour) for v, text, colour in labels)
    placed: list[float] = []
    for frac, *_ in items:
        placed.append(max(frac, placed[-1] + min_gap) if placed else frac)
    overflow = (placed[-1] - 0.99) if placed else 0
    if overflow > 0:  # pushed off the top: shift the stack down, keeping the gaps
        placed = [p - overflow for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - min_gap)
    for (frac, _value, text, colour), y in zip(items, placed):
        ax.annotate(text, xy=(1.0, frac), xycoords="axes fraction", xytext=(1.02, y), textcoords="axes fraction",
                    va="center", fontsize=9.5, color=colour, parse_math=False,
                    arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2})
