"""Starting points: ``journeyctl init`` (a repository of maps) and ``journeyctl new`` (one map).

``project`` lays out a map repository from the files in ``templates/project/``;
``new_map`` builds a map from a template in ``templates/maps/`` and the
options given; ``command`` is what the CLI calls. Both only ever create files:
an existing file is left alone and reported as skipped.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
