#!/usr/bin/env bash
# Set up everything journeyctl and its test suite need on a fresh Debian
# machine, as root: system packages, a virtualenv with journeyctl installed
# editable, and mermaid-cli for the Mermaid parser tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(graphviz libcairo2 chromium fonts-dejavu-core hyperfine time ca-certificates git)
command -v python3 >/dev/null || packages+=(python3 python3-venv python3-pip)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node and npm may come from outside Debian (as on our CI image); only the
# commands matter for them.
filtered=()
for package in "${missing[@]}"; do
  case "$package" in
    nodejs) command -v node >/dev/null || filtered+=("$package") ;;
    npm) command -v npm >/dev/null || filtered+=("$package") ;;
    python3|python3-venv|python3-pip) command -v python3 >/dev/null && python3 -m venv --help >/dev/null 2>&1 || filtered+=("$package") ;;
    *) filtered+=("$package") ;;
  esac
done
if [ "${#filtered[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${filtered[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
pip_install() {
  # Some machines configure local package folders that may be absent; pip says
  # so once per package. Keep its real errors, drop that noise.
  .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location '" >&2)
}
pip_install --upgrade pip
pip_install -e '.[test,bench]'
# Bytecode for the editable install. pip compiles what it installs, but an editable
# install runs from src/, and where PYTHONDONTWRITEBYTECODE=1 is set (as on our CI
# image) Python then compiles journeyctl's ~85 modules on every run: 37 ms of a
# 123 ms one-map lint. Python checks each .pyc against its source, so an edited
# module is recompiled (in memory) until this is run again.
.venv/bin/python -m compileall -q src/journeyctl

# mermaid-cli drives the system Chromium (see tools/mermaid/puppeteer.json);
# puppeteer must not try to download a browser of its own.
if [ -f tools/mermaid/package.json ]; then
  (cd tools/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
echo "setup: done (.venv/bin/journeyctl)" >&2
