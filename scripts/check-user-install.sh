#!/usr/bin/env bash
# Check the README's user install for real, the way a new user meets it:
#  1. build the sdist and the wheel with the standard frontend (`python -m build`,
#     isolated, the wheel built from the sdist) from a fresh clone in /tmp, and
#     check that the wheel carries every data file of the package (templates,
#     scaffold files, py.typed) and that its `journeyctl schema` is the
#     checked-in schema;
#  2. as a non-root user who has only Python, install pipx into a user virtual
#     environment, `pipx install` journeyctl from the clone's path and from a
#     git URL, and run init, new, validate, lint and render -f html with
#     nothing but journeyctl on PATH (no Graphviz, no Node, no browser, no git).
# Run as root (it creates the user journeyctl-check when missing). Needs the
# package index; takes a minute or two. Not part of scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
python=${PYTHON:-/usr/bin/python3}
user=journeyctl-check
work=$(mktemp -d /tmp/journeyctl-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)

echo "check-user-install: clone and build" >&2
git clone -q "$repo" "$work/clone"
"$python" -m venv "$work/build-env"
# Some machines configure local package folders that may be absent; pip says so per package.
quiet_pip() { "$@" 2> >(grep -v "^WARNING: Location '" >&2); }
quiet_pip "$work/build-env/bin/python" -m pip install -q --disable-pip-version-check build
quiet_pip "$work/build-env/bin/python" -m build --outdir "$work/dist" "$work/clone" >/dev/null
"$work/build-env/bin/python" - "$work/clone/src/journeyctl" "$work"/dist/*.whl "$work"/dist/*.tar.gz <<'EOF'
import pathlib, sys, tarfile, zipfile
package, wheel_path, sdist_path = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
data = sorted(p.relative_to(package).as_posix() for p in files if p.suffix != ".py")
in_wheel = set(zipfile.ZipFile(wheel_path).namelist())
missing = [name for name in data if f"journeyctl/{name}" not in in_wheel]
if missing:
    sys.exit(f"the wheel lacks {missing}")
in_sdist = {name.split("/", 1)[1] for name in tarfile.open(sdist_path).getnames() if "/" in name}
for needed in ("README.md", "pyproject.toml", "src/journeyctl/scaffold/templates/project/workflow.yml"):
    if needed not in in_sdist:
        sys.exit(f"the sdist lacks {needed}")
print(f"wheel {pathlib.Path(wheel_path).name}: {len(data)} data files of {len(files)} package files, all present")
EOF
chown -R "$user" "$work"

echo "check-user-install: as $user, with only Python" >&2
runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  PYTHON="$python" WORK="$work" SCHEMA="$work/clone/schemas/journey.schema.json" \
  bash -euo pipefail -c '
  cd "$HOME"
  rm -rf .local/pipx .local/bin/journeyctl pipx-env try-path try-git
  "$PYTHON" -m venv pipx-env
  pipx-env/bin/python -m pip install -q --disable-pip-version-check pipx 2> >(grep -v "^WARNING: Location" >&2)
  pipx() { PIPX_HOME="$HOME/.local/pipx" PIPX_BIN_DIR="$HOME/.local/bin" "$HOME/pipx-env/bin/pipx" "$@"; }
  # The README: pipx install <path> ...
  pipx install --quiet "$WORK/clone" >/dev/null
  # From here on, nothing but journeyctl is on PATH.
  only() { env -i HOME="$HOME" PATH="$HOME/.local/bin" LANG=C.UTF-8 "$@"; }
  only journeyctl --version
  only journeyctl schema | cmp - "$SCHEMA"
  mkdir try-path && cd try-path
  only journeyctl init . >/dev/null 2>&1
  only journeyctl new retail-purchase -o maps/ 2>&1
  only journeyctl validate .
  only journeyctl lint maps/book-a-repair.yaml
  set +e; only journeyctl lint -q --format concise maps/retail-purchase.yaml > findings.txt; code=$?; set -e
  [ "$code" = 1 ] && echo "lint of the new map: exit 1, $(wc -l < findings.txt) gaps to fill"
  only journeyctl render maps/ -f html -o site/
  test -s site/index.html -a -s site/book-a-repair.html -a -s site/retail-purchase.html
  cd "$HOME"
  # ... and pipx install git+<URL> (a file URL to the clone: the same code path as GitHub).
  pipx uninstall journeyctl >/dev/null
  pipx install --quiet "git+file://$WORK/clone" >/dev/null
  only journeyctl --version
  echo "check-user-install: pipx from a path and from a git URL, init/new/validate/lint/render html: ok"
'
