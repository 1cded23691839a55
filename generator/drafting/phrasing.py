"""Deterministic choice among phrasings: the same snapshot always reads the same way."""

from __future__ import annotations

import hashlib


class Phrasing:
    """Picks one of several phrasings for a named slot, seeded by the article's identity."""

    def __init__(self, seed: str) -> None:
        self._seed = seed

    def index(self, slot: str, count: int) -> int:
        digest = hashlib.sha256(f"{self._seed}|{slot}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % count

    def pick(self, slot: str, *options: str) -> str:
        """One of ``options``, fixed for this seed and slot."""
        if not options:
            raise ValueError(f"pick({slot!r}) needs at least one option")
        return options[self.index(slot, len(options))]
