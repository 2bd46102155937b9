"""Run journeyctl as ``python -m journeyctl``."""

from journeyctl.entry import console_main

console_main()
