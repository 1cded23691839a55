"""On-disk cache of chat replies, keyed by the whole request, so a rerun costs nothing.

The key is a hash of model, parameters, response format and messages (which
hold the facts); it contains no API key or URL. Entries are written atomically
and a damaged entry is simply a miss.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from generator.drafting.llm.client import ChatReply

log = logging.getLogger("marketnews.llm")


class LLMCache:
    """Replies by request hash under ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> ChatReply | None:
        path = self._path(key)
        try:
            return ChatReply.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as err:
            log.warning("ignoring damaged LLM cache entry %s (%s)", path, type(err).__name__)
            return None

    def put(self, key: str, reply: ChatReply) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(reply.model_dump(), ensure_ascii=False))
            os.replace(tmp, path)
        except OSError as err:
            # A cache that cannot be written costs money on the next run, not this article.
            log.warning("could not write LLM cache entry %s: %s", path, err)
