"""``journeyctl diff``: semantic differences between versions of journey maps.

``compare`` matches entities by id (never by list position) and classifies each
change as a regression, an improvement or neutral; ``git`` reads map versions
from revisions; ``sources`` turns command-line arguments into pairs of map
versions; ``formats`` prints a report as text, markdown or JSON; ``driver``
serves git's external-diff protocol.
"""

from __future__ import annotations
