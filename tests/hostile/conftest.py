"""Hypothesis profiles of the hostile-input suite, and the count of inputs it tried.

Profiles (``JOURNEYCTL_HOSTILE=NAME``, or ``--hypothesis-profile=NAME`` when
pytest is given ``tests/hostile``, so that this file is loaded first):

* ``hostile-ci`` (the default): a fixed, derandomized set of inputs, so CI is
  reproducible, sized to run in one to two minutes on a busy 2-core machine;
  it does not shrink failures;
* ``hostile-shrink``: the same inputs, failures shrunk to small reproducers;
* ``long``: random inputs, 100 times as many, for a local run of an hour or
  more (``JOURNEYCTL_HOSTILE_EXAMPLES`` sets its unit, 10,000: each test tries
  that many times its weight, so the number sets how long the run takes).

None writes a hypothesis example database, and hypothesis's other caches go
to a temporary directory, so the suite leaves no file in the repository. The
terminal summary says how many inputs each layer tried (set
``JOURNEYCTL_HOSTILE_REPORT=path.json`` to also record them in a file).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import tempfile
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from .contract import TALLY

_HOME = tempfile.mkdtemp(prefix="journeyctl-hypothesis-")
set_hypothesis_home_dir(_HOME)
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

_COMMON: dict[str, Any] = {
    "database": None,
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
}
#: ``max_examples`` is the unit each test multiplies by its own weight (see ``examples``).
#: CI does not shrink: a failing input is printed as found, and shrinking a dozen failures
#: can take longer than the whole suite; ``hostile-shrink`` replays CI's inputs and shrinks.
settings.register_profile(
    "hostile-ci",
    max_examples=100,
    derandomize=True,
    print_blob=False,
    phases=(Phase.explicit, Phase.generate),
    **_COMMON,
)
settings.register_profile("hostile-shrink", settings.get_profile("hostile-ci"), phases=tuple(Phase)[:-1])
# No explain phase: it traces every line while a failure shrinks, which made shrinking one
# slow input outlast a 25-minute run.
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("JOURNEYCTL_HOSTILE_EXAMPLES", "10000")),
    derandomize=False,
    print_blob=True,
    phases=tuple(Phase)[:-1],
    **_COMMON,
)
settings.load_profile(os.environ.get("JOURNEYCTL_HOSTILE", "") or "hostile-ci")

_started = time.monotonic()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# ``timeout 30m pytest ...`` ends a long run with SIGTERM: make it an interrupt, after
# which pytest still prints the summary with the count of inputs tried.
signal.signal(signal.SIGTERM, _interrupt)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLY:
        return
    elapsed = time.monotonic() - _started
    profile = settings.get_current_profile_name()
    layers = ", ".join(f"{name} {count:,}" for name, count in sorted(TALLY.items()))
    terminalreporter.write_sep("-", "hostile-input suite")
    terminalreporter.write_line(
        f"profile {profile}: {TALLY['load']:,} inputs loaded in process, {TALLY['cli']:,} CLI runs, "
        f"in {elapsed:.0f} s"
    )
    terminalreporter.write_line(f"by stage: {layers}")
    report = os.environ.get("JOURNEYCTL_HOSTILE_REPORT")
    if report:
        with open(report, "w", encoding="utf-8") as handle:
            json.dump(
                {"profile": profile, "seconds": round(elapsed, 1), "tally": dict(TALLY)}, handle, indent=2
            )


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A scratch directory for CLI runs, removed by pytest's own tmp-path housekeeping."""
    return tmp_path_factory.mktemp("hostile")
