"""Benchmark (not a test): ``journeyctl diff`` on two versions of the 500-stage corpus map,
beside deepdiff, a general-purpose structural differ, on the same pair.

    .venv/bin/python tests/diff/bench_diff.py [--runs 5] [--edits 300]

Generates the pair with ``benchmarks/make_corpus.py`` (a ~1 MB map, 500
stages x 5 steps, and a second version with scattered semantic edits) into a
temporary directory, then times whole processes with hyperfine when it is
installed (otherwise with a simple loop): ``journeyctl diff OLD NEW --format
json``, and ``deepdiff`` on the same two files loaded as plain YAML data, once
by list position and once with ``ignore_order=True`` (the closest deepdiff
gets to matching by identity; it is run once, with a time limit, because it
is quadratic in the number of list items).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEEPDIFF = """
import sys, yaml
from deepdiff import DeepDiff
load = lambda p: yaml.load(open(p, 'rb'), Loader=yaml.CSafeLoader)
old, new = load(sys.argv[1]), load(sys.argv[2])
diff = DeepDiff(old, new, ignore_order=sys.argv[3] == 'unordered')
print(sum(len(v) for v in diff.values()), 'deepdiff entries')
"""


def make_pair(directory: Path, edits: int) -> tuple[Path, Path]:
    generator = ROOT / "benchmarks" / "make_corpus.py"
    subprocess.run(
        [
            sys.executable,
            str(generator),
            str(directory / "corpus"),
            "--maps",
            "1",
            "--stages",
            "500",
            "--steps",
            "5",
        ],
        check=True,
        capture_output=True,
    )
    old = next((directory / "corpus").rglob("*.yaml"))
    new = directory / "new.yaml"
    subprocess.run(
        [sys.executable, str(generator), str(new), "--mutate-from", str(old), "--edits", str(edits)],
        check=True,
        capture_output=True,
    )
    return old, new


def time_loop(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds for the ignore_order run")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        old, new = make_pair(directory, options.edits)
        script = directory / "deepdiff_pair.py"
        script.write_text(DEEPDIFF, encoding="utf-8")
        journeyctl = [sys.executable, "-m", "journeyctl", "diff", str(old), str(new), "--format", "json"]
        result = subprocess.run(journeyctl, capture_output=True, text=True, check=False)
        summary = json.loads(result.stdout)["summary"]
        print(f"map: {old.stat().st_size:,} bytes -> {new.stat().st_size:,} bytes, {options.edits} edits")
        print(f"journeyctl diff: {summary}")
        commands = {
            "journeyctl diff --format json": journeyctl,
            "deepdiff (by position)": [sys.executable, str(script), str(old), str(new), "ordered"],
            "deepdiff (ignore_order=True)": [sys.executable, str(script), str(old), str(new), "unordered"],
        }
        for name, command in commands.items():
            if name == "deepdiff (ignore_order=True)":
                start = time.perf_counter()
                try:
                    out = subprocess.run(
                        command, capture_output=True, text=True, check=False, timeout=options.limit
                    ).stdout.strip()
                    print(f"{name}: {time.perf_counter() - start:.3f} s, one run ({out})")
                except subprocess.TimeoutExpired:
                    print(f"{name}: did not finish in {options.limit:.0f} s")
                continue
            if name.startswith("deepdiff"):
                print(subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip())
            if shutil.which("hyperfine"):
                export = directory / "hyperfine.json"
                subprocess.run(
                    [
                        "hyperfine",
                        "-i",
                        "--warmup",
                        "1",
                        "--runs",
                        str(options.runs),
                        "--export-json",
                        str(export),
                        "-N",
                        " ".join(command),
                    ],
                    check=True,
                    capture_output=True,
                )
                data = json.loads(export.read_text())["results"][0]
                print(f"{name}: mean {data['mean']:.3f} s ± {data['stddev']:.3f} (user {data['user']:.3f} s)")
            else:
                print(f"{name}: median {time_loop(command, options.runs):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
