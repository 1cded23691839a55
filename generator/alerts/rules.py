"""When an alert fires: pure functions over one poll's reading and the polls before it.

Three rules, each optional:

- **absolute**: the 1h liquidations exceed a USD amount set per asset;
- **multiple**: they exceed a multiple of the trailing hourly average — the mean
  1h total of earlier polls whose hour ended before this one began (so the spike
  is not part of its own baseline), from the same provider (OKX-only totals are
  not compared with CoinGlass' all-exchange ones). Until the polls cover enough
  hours, the provider's own 24h total stands in: (24h − 1h) / 23. Hours below a
  floor never count as a spike, so a quiet market's $40,000 hour does not;
- **price move**: the price moved more than a percent in an hour (the same
  ``change_1h`` the alert article reports).

A cooldown per asset stops one cascade from producing an alert every poll.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict

from generator.facts import format_hours, format_number, format_percent, format_time, format_usd

Rule = Literal["liquidations_usd", "liquidations_multiple", "price_move"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reading(_Model):
    """What one poll saw for one asset (the row kept in the poll history)."""

    asset: str
    at: AwareDatetime
    price: float
    change_1h_pct: float | None = None
    change_1h_end: AwareDatetime | None = None  # when the hour the move covers ended (not stored)
    liquidations_1h: float | None = None
    long_1h: float | None = None
    short_1h: float | None = None
    liquidations_24h: float | None = None
    provider: str | None = None  # whose liquidations


class Thresholds(_Model):
    """The rules' settings for one asset."""

    liquidations_usd: float | None  # None: no absolute rule for this asset
    multiple: float  # 0: off
    min_usd: float
    baseline_hours: float
    baseline_min_hours: float
    price_move_pct: float  # 0: off
    cooldown: timedelta

    @classmethod
    def for_asset(cls, settings, asset: str) -> Thresholds:  # noqa: ANN001 - generator.settings.Settings
        per_asset = {k.upper(): v for k, v in settings.alert_liquidations_usd.items()}
        return cls(
            liquidations_usd=per_asset.get(asset, per_asset.get("*")),
            multiple=settings.alert_liquidations_multiple,
            min_usd=settings.alert_liquidations_min_usd,
            baseline_hours=settings.alert_baseline_hours,
            baseline_min_hours=settings.alert_baseline_min_hours,
            price_move_pct=settings.alert_price_move_pct,
            cooldown=timedelta(minutes=settings.alert_cooldown_minutes),
        )


class Baseline(_Model):
    """The trailing hourly average of liquidations and where it came from."""

    hourly_usd: float
    source: Literal["polls", "provider_24h"]
    hours: float  # how many hours it covers
    polls: int = 0

    def describe(self) -> str:
        where = f"{self.polls} polls over {format_hours(max(round(self.hours), 1))}" if self.source == "polls" \
            else "the provider's 24h total"
        return f"trailing hourly average {format_usd(self.hourly_usd)} ({where})"


class Trigger(_Model):
    """One rule that fired, with the value, the threshold it crossed and a line for people."""

    rule: Rule
    value: float
    threshold: float
    text: str


def baseline_window(reading: Reading, th: Thresholds) -> tuple[datetime, datetime]:
    """The poll times whose hour counts towards the average: ended before this poll's hour began."""
    end = reading.at - timedelta(hours=1)
    return end - timedelta(hours=th.baseline_hours), end


def baseline(reading: Reading, history: list[Reading], th: Thresholds) -> Baseline | None:
    """The trailing hourly average for ``reading`` from earlier polls, else the provider's 24h total."""
    start, end = baseline_window(reading, th)
    earlier = [r for r in history if r.provider == reading.provider and r.liquidations_1h is not None
               and start <= r.at <= end]
    if earlier:
        # Each poll's total covers the hour before it, so the polls cover from an hour before the oldest.
        covered = (max(r.at for r in earlier) - min(r.at for r in earlier)) / timedelta(hours=1) + 1
        if covered >= th.baseline_min_hours:
            mean = sum(r.liquidations_1h for r in earlier) / len(earlier)  # type: ignore[misc]
            return Baseline(hourly_usd=mean, source="polls", hours=min(covered, th.baseline_hours), polls=len(earlier))
    if reading.liquidations_24h is not None and reading.liquidations_1h is not None:
        rest = max(reading.liquidations_24h - reading.liquidations_1h, 0.0)
        return Baseline(hourly_usd=rest / 23, source="provider_24h", hours=23)
    return None


def largest_days(total_1h: float, at: datetime, provider: str | None, history: list[Reading]) -> float | None:
    """How many whole days of stored polls before ``at`` had no hourly total as large as ``total_1h``.

    The polls must cover those days without a gap of more than an hour (each covers the hour before it), so
    "the largest hourly total in N days" is a claim about hours the polls saw. None under a day.
    """
    earlier = sorted((r for r in history if r.provider == provider and r.liquidations_1h is not None and r.at < at),
                     key=lambda r: r.at, reverse=True)
    newest = at
    oldest: datetime | None = None
    for r in earlier:
        if r.liquidations_1h >= total_1h or newest - r.at > timedelta(hours=1):  # type: ignore[operator]
            break
        oldest = newest = r.at
    if oldest is None:
        return None
    days = int(((at - oldest) / timedelta(hours=1) + 1) // 24)
    return float(days) if days >= 1 else None


def evaluate(reading: Reading, base: Baseline | None, th: Thresholds) -> list[Trigger]:
    """The rules ``reading`` fires, in the order liquidations (absolute, multiple), price."""
    fired: list[Trigger] = []
    liq = reading.liquidations_1h
    if liq is not None and th.liquidations_usd is not None and liq > th.liquidations_usd:
        fired.append(Trigger(rule="liquidations_usd", value=liq, threshold=th.liquidations_usd,
                             text=f"1h liquidations {format_usd(liq)} exceed {format_usd(th.liquidations_usd)}"))
    if liq is not None and base is not None and th.multiple > 0 and liq >= th.min_usd:
        limit = th.multiple * base.hourly_usd
        if liq > limit:
            times = f"{format_number(liq / base.hourly_usd, 1)}x" if base.hourly_usd > 0 else "infinitely"
            fired.append(Trigger(rule="liquidations_multiple", value=liq, threshold=limit,
                                 text=f"1h liquidations {format_usd(liq)} are {times} the {base.describe()}"))
    move = reading.change_1h_pct
    if move is not None and th.price_move_pct > 0 and abs(move) > th.price_move_pct:
        hour = f" in the hour to {format_time(reading.change_1h_end)}" if reading.change_1h_end else " in an hour"
        bound = format_percent(th.price_move_pct)
        fired.append(Trigger(rule="price_move", value=move, threshold=th.price_move_pct,
                             text=f"price moved {format_percent(move)}{hour}, beyond ±{bound}"))
    return fired


def cooldown_until(last_alert: datetime | None, now: datetime, th: Thresholds) -> datetime | None:
    """When the asset may alert again, or None when it may now."""
    if last_alert is None:
        return None
    until = last_alert + th.cooldown
    return until if until > now else None
