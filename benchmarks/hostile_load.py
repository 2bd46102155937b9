"""Time the loader on small hostile maps: the quadratic cases of issue 9, and the refusals.

    python benchmarks/hostile_load.py [--runs N] [--markdown]

Each case is a map built in memory (100 KB to 1 MB) that once took seconds or worse to
check: 20,000 unknown keys, 3,000 dangling references, 5,000 keys merged with ``<<``, a
1 MB title aliased 3,000 times, nesting 600 levels deep. The time is the best of N runs of
``journeyctl.loader.load_bytes`` in this process (no start-up), with the outcome: how many
errors, or the error that refused the file. Run it with another checkout's interpreter to
compare (``../main/.venv/bin/python benchmarks/hostile_load.py``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from journeyctl.errors import JourneyError, MapInvalid
from journeyctl.loader import load_bytes

HEADER = "journeyctl: 1\nid: m\ntitle: M\nchannels:\n  - {id: web, name: Web, kind: web}\n"


def unknown_keys(count: int = 20_000) -> str:
    return HEADER + "stages:\n  - {id: s, name: S}\n" + "".join(f"k{i}: 1\n" for i in range(count))


def dangling_references(count: int = 3_000) -> str:
    touchpoints = "".join(f"      - {{id: tp{i}, name: T, channel: web}}\n" for i in range(count))
    steps = "".join(f"      - {{id: st{i}, action: A, touchpoints: [nope{i}]}}\n" for i in range(count))
    return HEADER + f"stages:\n  - id: s\n    name: S\n    touchpoints:\n{touchpoints}    steps:\n{steps}"


def merged_keys(count: int = 5_000) -> str:
    defaults = "".join(f"  k{i}: 1\n" for i in range(count))
    merged = HEADER.replace("id: m\n", "id: m\n<<: *d\n")
    return f"defaults: &d\n{defaults}{merged}stages: [{{id: s, name: S}}]\n"


def aliased_title(size: int = 1_000_000, aliases: int = 3_000) -> str:
    stages = "".join(f"  - {{id: s{i}, name: *t}}\n" for i in range(aliases))
    return f"journeyctl: 1\nid: m\ntitle: &t {'x' * size}\nstages:\n{stages}"


def deep_nesting(depth: int = 600) -> str:
    return HEADER + "stages: [{id: s, name: S}]\nx: " + "[" * depth + "]" * depth + "\n"


CASES: dict[str, Callable[[], str]] = {
    "20,000 unknown keys": unknown_keys,
    "3,000 dangling references": dangling_references,
    "5,000 keys merged with <<": merged_keys,
    "1 MB title aliased 3,000 times": aliased_title,
    "nesting 600 deep": deep_nesting,
}


def outcome(text: bytes) -> str:
    try:
        load_bytes(text, "case.yaml")
    except MapInvalid as invalid:
        if len(invalid.errors) == 1:
            return f"refused: {invalid.errors[0].message[:70]}"
        return f"{len(invalid.errors):,} errors"
    except JourneyError as error:  # pragma: no cover - load_bytes raises MapInvalid
        return f"refused: {error.message[:70]}"
    except Exception as error:  # a crash is a result worth reporting here
        return f"crash: {type(error).__name__}"
    return "valid"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the best is shown")
    arguments = parser.parse_args(argv)
    print(f"| Case | Size | Best of {arguments.runs} | Outcome |")
    print("| --- | ---: | ---: | --- |")
    for name, make in CASES.items():
        text = make().encode()
        timings = []
        result = ""
        for _ in range(arguments.runs):
            start = time.perf_counter()
            result = outcome(text)
            timings.append(time.perf_counter() - start)
        print(f"| {name} | {len(text) / 1000:,.0f} KB | {min(timings):.2f} s | {result} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
