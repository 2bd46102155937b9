"""Where journeyctl keeps what it can recompute: compiled templates, lint results.

``$JOURNEYCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/journeyctl``, else
``~/.cache/journeyctl``: outside the repository, shared by every project of
the user. Each user of it keeps a directory of its own inside.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_directory() -> Path:
    explicit = os.environ.get("JOURNEYCTL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "journeyctl"
