#!/usr/bin/env bash
# The whole test suite: lint and type checks, then every test. Tests that need
# Graphviz, Chromium or Node fail (not skip) here when the tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JOURNEYCTL_REQUIRE_TOOLS=1
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
