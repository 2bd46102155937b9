"""Run journeyctl as ``python -m journeyctl``."""

from journeyctl.entry import main

raise SystemExit(main())
