"""`journeyctl server` without its extra: a usage error naming the install command, no traceback."""

from __future__ import annotations

import subprocess
import sys

BLOCKED = (
    "import sys\n"
    "sys.modules['pygls'] = None  # as if the server extra were not installed\n"
    "from journeyctl.cli import run\n"
    "sys.exit(run(['server']))\n"
)


def test_server_without_the_extra_says_how_to_install_it() -> None:
    result = subprocess.run([sys.executable, "-c", BLOCKED], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "pip install 'journeyctl[server]'" in result.stderr
    assert "Traceback" not in result.stderr
