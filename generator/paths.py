"""Where bundled templates and prompts live, for editable and regular installs alike."""

from __future__ import annotations

import sys
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


def bundled_dir(name: str) -> Path:
    """The bundled ``templates`` or ``prompts`` folder."""
    for base in (_REPO, Path(sys.prefix) / "share" / "marketnews"):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {name}/ folder not found (is marketnews installed?)")
