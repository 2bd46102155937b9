"""Time journeyctl side by side with the tools users would pick instead, in one run.

    python benchmarks/run.py [--quick] [--output FILE] [--json FILE] [--runs N] [--only KEYS]

Generates the corpora under ``.bench/`` when they are missing or stale (1,000
maps, a 500-stage map and a second version of it with 300 edits), then times
every row with hyperfine (``--export-json``, warm-up, N runs; its own harness
when hyperfine is absent), measures peak memory in one extra run (the sum over
the whole process tree, so worker processes count), and prints one markdown
table with each row's ratio to its peers, followed by the goals of the
benchmark issue and whether they are met.

Nothing is installed here. The peers come from ``pip install -e .[bench]``
(yamllint, check-jsonschema, deepdiff), ``apt-get install hyperfine``, and
mermaid-cli from ``tools/mermaid`` (``PUPPETEER_SKIP_DOWNLOAD=1 npm ci``, using
the system Chromium). A journeyctl command that does not exist yet gives an
"n/a" row. A missing peer tool is an error in a full run (``--allow-missing``
turns it into an "n/a" row) and is skipped in ``--quick`` mode, which CI runs
as a smoke test with a small corpus and one run per row.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import make_corpus  # noqa: E402  (benchmarks/ is not a package; the insert above finds it)

#: Corpus shapes: maps of the corpus and of the small batch; stages and steps of the large map
#: and stages of the huge one (4x: the linearity goals); edits between the two versions of the
#: large map (the huge map's pair gets as many more as it has stages).
FULL_SHAPE = {
    "maps": 1000,
    "small_maps": 150,
    "large_stages": 500,
    "large_steps": 5,
    "edits": 300,
    "huge_stages": 2000,
}
QUICK_SHAPE = {
    "maps": 20,
    "small_maps": 10,
    "large_stages": 40,
    "large_steps": 5,
    "edits": 30,
    "huge_stages": 160,
}
#: Worst cases of issue 9 item 9 that once took quadratic time: suppression comments in one map
#: (8,000: 15.7 s), and the bytes of a one-word title rendered by Graphviz (10 MB: 18-28 s).
WORST_SHAPE = {"suppressions": 8000, "word_bytes": 10_000_000}
QUICK_WORST_SHAPE = {"suppressions": 800, "word_bytes": 1_000_000}

#: A single run slower than this gets fewer timed runs, so a full run stays within minutes.
SLOW_SECONDS = 8.0
SLOW_RUNS = 3
#: A single run faster than this gets more timed runs, to tame start-up noise.
FAST_SECONDS = 0.3
FAST_RUNS = 20
TIMEOUT_SECONDS = 900

#: svg and png are the slide image (no Graphviz); flow-svg is the Graphviz flow diagram.
RENDER_FORMATS = ("html", "md", "mermaid", "dot", "flow-svg", "svg", "png")
#: How many corpus maps the formatter rows format (see prepare()).
FMT_MAPS = 100

#: Composes every file of a corpus with libyaml (nodes with line and column marks), the floor
#: any YAML-based checker stands on: the baseline of the lint goal.
COMPOSE_CODE = (
    "import os, sys, yaml\n"
    "for d, _, names in os.walk(sys.argv[1]):\n"
    "    for n in names:\n"
    "        if n.endswith('.yaml'):\n"
    "            with open(os.path.join(d, n), 'rb') as f:\n"
    "                yaml.compose(f.read().decode('utf-8'), Loader=yaml.CSafeLoader)\n"
)

#: A general-purpose structural diff of the same pair, the peer of ``journeyctl diff``: load both
#: with libyaml and compare with DeepDiff (lists by position, its default).
DEEPDIFF_CODE = (
    "import sys, yaml\n"
    "from deepdiff import DeepDiff\n"
    "old, new = (yaml.load(open(p, encoding='utf-8'), Loader=yaml.CSafeLoader) for p in sys.argv[1:3])\n"
    "print(DeepDiff(old, new).to_json()[:0])\n"
)


# ---------------------------------------------------------------------------------------------
# Corpora


@dataclass
class Corpora:
    corpus: Path
    files: list[Path]
    one_map: Path
    small: Path
    large: Path
    large_v2: Path
    huge: Path
    huge_v2: Path
    config: Path
    out: Path
    cache: Path
    manifest: dict[str, Any]
    fmt_subset: Path


def ensure_corpus(directory: Path, maps: int, stages: int | None, steps: int | None) -> dict[str, Any]:
    """The corpus under ``directory``, regenerated when missing or made by another generator."""
    manifest_path = directory / "MANIFEST.json"
    wanted = {
        "maps": maps,
        "stages": stages,
        "steps": steps,
        "seed": make_corpus.DEFAULT_SEED,
        "defect_share": make_corpus.DEFAULT_DEFECT_SHARE,
    }
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (
            manifest.get("parameters") == wanted
            and manifest.get("fingerprint") == make_corpus.generator_fingerprint()
        ):
            return manifest
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    note(f"generating {maps} map(s) in {display_path(directory)}")
    return make_corpus.make_corpus(
        directory, maps, stages, steps, make_corpus.DEFAULT_SEED, make_corpus.DEFAULT_DEFECT_SHARE
    )


def prepare(bench_dir: Path, shape: dict[str, int]) -> Corpora:
    maps = shape["maps"]
    corpus_dir = bench_dir / f"corpus-{maps}"
    manifest = ensure_corpus(corpus_dir, maps, None, None)
    files = [corpus_dir / name for name in manifest["files"]]
    # The one map: a defect-free map closest to the corpus's average size.
    clean = [corpus_dir / n for n in manifest["files"] if n not in manifest["defects"]] or files
    average = manifest["average_bytes"]
    one_map = min(clean, key=lambda p: (abs(p.stat().st_size - average), str(p)))

    small = bench_dir / f"corpus-{shape['small_maps']}"
    ensure_corpus(small, shape["small_maps"], None, None)
    steps = shape["large_steps"]
    large, large_v2 = ensure_pair(bench_dir, shape["large_stages"], steps, shape["edits"])
    huge_edits = shape["edits"] * shape["huge_stages"] // shape["large_stages"]
    huge, huge_v2 = ensure_pair(bench_dir, shape["huge_stages"], steps, huge_edits)

    # The corpus's review dates are fixed (it is deterministic), so pin the stale-map rule's age
    # limit: otherwise every map turns stale some months after generation and the share of maps
    # with findings, and so the work of printing them, drifts with the calendar.
    config = bench_dir / "journeyctl-bench.yaml"
    config_text = (
        "# Written by benchmarks/run.py: the recommended preset, with an age limit that the\n"
        "# corpus's fixed review dates stay within.\n"
        "preset: recommended\n"
        "rules:\n"
        "  stale-map: {max-age-days: 36500}\n"
    )
    if not config.exists() or config.read_text() != config_text:
        config.write_text(config_text)
    out = bench_dir / "out"
    out.mkdir(exist_ok=True)
    # Formatters are run on the first maps of the corpus (a pure-Python YAML round trip costs
    # ~50 ms a map, so all 1,000 would take minutes per run), copied so that nothing touches the
    # corpus the other rows read.
    fmt_subset = bench_dir / f"fmt-{FMT_MAPS}"
    if sorted(p.name for p in fmt_subset.glob("*.yaml")) != sorted(p.name for p in files[:FMT_MAPS]) or any(
        (fmt_subset / p.name).read_bytes() != p.read_bytes() for p in files[:FMT_MAPS]
    ):
        shutil.rmtree(fmt_subset, ignore_errors=True)
        fmt_subset.mkdir()
        for path in files[:FMT_MAPS]:
            shutil.copyfile(path, fmt_subset / path.name)
    # The cached-lint rows fill this in their first (memory) run and hit it in the timed ones.
    cache = bench_dir / "lint-cache"
    if cache.exists():
        shutil.rmtree(cache)
    return Corpora(
        corpus_dir,
        files,
        one_map,
        small,
        large,
        large_v2,
        huge,
        huge_v2,
        config,
        out,
        cache,
        manifest,
        fmt_subset,
    )


def ensure_pair(bench_dir: Path, stages: int, steps: int, edits: int) -> tuple[Path, Path]:
    """A one-map corpus of ``stages`` x ``steps``, and a second version with ``edits`` edits."""
    directory = bench_dir / f"large-{stages}x{steps}"
    manifest = ensure_corpus(directory, 1, stages, steps)
    first = directory / manifest["files"][0]
    second = bench_dir / f"large-{stages}x{steps}-v2-{edits}.yaml"
    stamp = second.with_suffix(".fingerprint")
    fingerprint = make_corpus.generator_fingerprint()
    if not second.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        note(f"writing {display_path(second)} ({edits} edits)")
        make_corpus.main([str(second), "--mutate-from", str(first), "--edits", str(edits), "--seed", "7"])
        stamp.write_text(fingerprint)
    return first, second


# ---------------------------------------------------------------------------------------------
# Tools


@dataclass
class Tools:
    python: str
    journeyctl: str | None
    commands: set[str]
    yamllint: str | None
    check_jsonschema: str | None
    deepdiff: bool
    hyperfine: str | None
    mmdc: str | None
    yamlfix: str | None
    puppeteer_config: Path | None
    versions: dict[str, str] = field(default_factory=dict)


def find_tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def first_line(argv: list[str]) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "?"


def detect_tools() -> Tools:
    journeyctl = find_tool("journeyctl")
    commands: set[str] = set()
    if journeyctl:
        help_text = subprocess.run([journeyctl, "--help"], capture_output=True, text=True, check=False).stdout
        in_commands = False
        for line in help_text.splitlines():
            if line.strip().startswith("Commands:"):
                in_commands = True
                continue
            if in_commands and line.startswith("  ") and line.strip():
                commands.add(line.split()[0])
    mmdc = ROOT / "tools" / "mermaid" / "node_modules" / ".bin" / "mmdc"
    puppeteer = ROOT / "tools" / "mermaid" / "puppeteer-config.json"
    has_deepdiff = (
        subprocess.run([sys.executable, "-c", "import deepdiff"], capture_output=True, check=False).returncode
        == 0
    )
    tools = Tools(
        python=sys.executable,
        journeyctl=journeyctl,
        commands=commands,
        yamllint=find_tool("yamllint"),
        check_jsonschema=find_tool("check-jsonschema"),
        deepdiff=has_deepdiff,
        hyperfine=shutil.which("hyperfine"),
        mmdc=str(mmdc) if mmdc.exists() and shutil.which("node") else None,
        yamlfix=find_tool("yamlfix"),
        puppeteer_config=puppeteer if puppeteer.exists() else None,
    )
    if journeyctl:
        tools.versions["journeyctl"] = first_line([journeyctl, "--version"])
    if tools.yamllint:
        tools.versions["yamllint"] = first_line([tools.yamllint, "--version"])
    if tools.check_jsonschema:
        tools.versions["check-jsonschema"] = first_line([tools.check_jsonschema, "--version"])
    if tools.yamlfix:
        tools.versions["yamlfix"] = "yamlfix " + first_line(
            [sys.executable, "-c", "import importlib.metadata as m; print(m.version('yamlfix'))"]
        )
    if tools.hyperfine:
        tools.versions["hyperfine"] = first_line([tools.hyperfine, "--version"])
    if tools.mmdc:
        tools.versions["mermaid-cli"] = "mmdc " + first_line([tools.mmdc, "--version"])
        tools.versions["node"] = "node " + first_line(["node", "--version"])
    if has_deepdiff:
        tools.versions["deepdiff"] = "deepdiff " + first_line(
            [sys.executable, "-c", "import deepdiff; print(deepdiff.__version__)"]
        )
    if tools.check_jsonschema:
        # check-jsonschema parses with ruamel.yaml, whose C parser is an optional extra since
        # 0.19.1; without it the peer is several times slower, so the report says which it had.
        tools.versions["ruamel.yaml"] = "ruamel.yaml " + first_line(
            [
                sys.executable,
                "-c",
                "import ruamel.yaml as r; y = r.YAML(typ='safe');"
                "print(r.__version__, '(C parser)' if 'CParser' in y.Parser.__name__ else '(pure Python)')",
            ]
        )
    tools.versions["pyyaml"] = "PyYAML " + first_line(
        [
            sys.executable,
            "-c",
            "import yaml; print(yaml.__version__, 'libyaml' if yaml.__with_libyaml__ else '')",
        ]
    )
    return tools


# ---------------------------------------------------------------------------------------------
# Benchmarks


@dataclass
class Bench:
    """One row: what to run, which tool it needs, and which rows it is compared with."""

    key: str
    label: str
    argv: list[str]
    needs: list[str]
    ok_codes: tuple[int, ...] = (0,)
    #: (key of the peer row, how to say it): "peer" -> "N x faster than"; "baseline" -> "N x the time of".
    peers: tuple[tuple[str, str], ...] = ()
    display: str = ""
    #: What the command printed, counted from its output ("448 findings"); None: nothing to count.
    count: Callable[[str, str], str] | None = None


@dataclass
class Result:
    bench: Bench
    status: str = "ok"
    times: list[float] = field(default_factory=list)
    median: float | None = None
    low: float | None = None
    high: float | None = None
    rss_kb: int | None = None
    tree_kb: int | None = None
    printed: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.bench.key,
            "label": self.bench.label,
            "command": self.bench.display,
            "status": self.status,
            "median_s": self.median,
            "min_s": self.low,
            "max_s": self.high,
            "times_s": self.times,
            "peak_rss_kb": self.rss_kb,
            "peak_tree_pss_kb": self.tree_kb,
            "printed": self.printed,
        }


def display_path(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def show(argv: list[str], corpora: Corpora) -> str:
    """A readable command line: tool names without directories, a long file list summarised."""
    files = {str(p) for p in corpora.files}
    listed = sum(1 for arg in argv if arg in files)
    parts: list[str] = []
    for index, arg in enumerate(argv):
        if arg in files and listed > 1:
            if not parts or not parts[-1].startswith("<"):
                parts.append(f"<{listed:,} files>")
            continue
        if index == 0:
            arg = Path(arg).name
        elif arg == sys.executable:
            arg = "python"
        elif arg.startswith("/"):
            arg = display_path(arg)
        parts.append("'…'" if "\n" in arg else shlex.quote(arg))
    return " ".join(parts)


def _count(pattern: str, unit: str, stream: str = "stdout") -> Callable[[str, str], str]:
    """Counts what a command printed: the sum of the numbers ``pattern`` captures in its output."""
    compiled = re.compile(pattern, re.MULTILINE)

    def count(stdout: str, stderr: str) -> str:
        text = stdout if stream == "stdout" else stderr
        total = sum(
            int(number.replace(",", "")) for match in compiled.findall(text) for number in _numbers(match)
        )
        return f"{total:,} {unit}"

    return count


def _numbers(match: str | tuple[str, ...]) -> tuple[str, ...]:
    return (match,) if isinstance(match, str) else match


def _count_lines(pattern: str, unit: str) -> Callable[[str, str], str]:
    compiled = re.compile(pattern, re.MULTILINE)

    def count(stdout: str, stderr: str) -> str:
        return f"{len(compiled.findall(stdout)):,} {unit}"

    return count


#: journeyctl lint's summary line: "Found 448 findings (...)" or "No findings in 3 files."
LINT_FINDINGS = _count(r"^Found ([\d,]+) findings?", "findings")
#: journeyctl validate's summary line on stderr: "Found 3 errors in 2 of 9 files."
VALIDATE_ERRORS = _count(r"^Found ([\d,]+) errors?", "errors", stream="stderr")
#: yamllint's standard format: "  12:3  warning  message  (rule)" under each file's name.
YAMLLINT_PROBLEMS = _count_lines(r"^\s+\d+:\d+\s+(?:error|warning)\s", "problems")
#: check-jsonschema: one "  path::$...: message" line per failing file.
CJS_FAILURES = _count_lines(r"^  \S.*::", "failing files")


def server_figure(stdout: str, stderr: str) -> str:
    """benchmarks/server_bench.py's one line: the server's own time (or memory), not the process's."""
    line = next((line for line in stdout.splitlines() if line.startswith("server ")), "")
    return line.removeprefix("server ")


#: journeyctl diff's summary: "1 map changed (...): 130 regressions, 130 improvements, 169 neutral."
DIFF_CHANGES = _count(r"(\d+) regressions?, (\d+) improvements?, (\d+) neutral", "changes")


def benchmarks(tools: Tools, corpora: Corpora) -> list[Bench]:
    j = tools.journeyctl or "journeyctl"
    corpus, one, small, out = str(corpora.corpus), str(corpora.one_map), str(corpora.small), corpora.out
    large, large_v2, huge, huge_v2 = (
        str(p) for p in (corpora.large, corpora.large_v2, corpora.huge, corpora.huge_v2)
    )
    count = len(corpora.files)
    maps = f"{count:,} maps"
    small_count = sum(1 for _ in corpora.small.rglob("*.yaml"))
    small_maps = f"{small_count:,} maps"
    config = ["--config", str(corpora.config)]
    cold = [*config, "--no-cache"]
    cached = [*config, "--cache-dir", str(corpora.cache)]
    schema = str(ROOT / "schemas" / "journey.schema.json")
    files = [str(p) for p in corpora.files]
    yamllint = tools.yamllint or "yamllint"
    cjs = tools.check_jsonschema or "check-jsonschema"
    puppeteer = ["-p", str(tools.puppeteer_config)] if tools.puppeteer_config else []
    corpus_peers = (("yamllint-corpus", "peer"), ("cjs-corpus", "peer"), ("compose-corpus", "baseline"))
    one_peers = (("yamllint-one", "peer"), ("cjs-one", "peer"))
    rows: list[Bench] = [
        Bench(
            "version",
            "journeyctl --version",
            [j, "--version"],
            ["journeyctl"],
            peers=(("yamllint-version", "peer"),),
        ),
        Bench("yamllint-version", "yamllint --version", [yamllint, "--version"], ["yamllint"]),
        Bench(
            "compose-corpus",
            f"libyaml compose only, {maps} (baseline, 1 core)",
            [tools.python, "-c", COMPOSE_CODE, corpus],
            [],
        ),
        Bench(
            "validate-one",
            "journeyctl validate, 1 map",
            [j, "validate", one],
            ["journeyctl:validate"],
            peers=one_peers,
            count=VALIDATE_ERRORS,
        ),
        Bench(
            "lint-one",
            "journeyctl lint, 1 map, cold (--no-cache)",
            [j, "lint", *cold, one],
            ["journeyctl:lint"],
            peers=one_peers,
            count=LINT_FINDINGS,
        ),
        Bench(
            "lint-one-cached",
            "journeyctl lint, 1 unchanged map (cache)",
            [j, "lint", *cached, one],
            ["journeyctl:lint"],
            peers=(("lint-one", "baseline"), ("yamllint-one", "peer")),
            count=LINT_FINDINGS,
        ),
        Bench(
            "yamllint-one",
            "yamllint, 1 map",
            [yamllint, one],
            ["yamllint"],
            ok_codes=(0, 1),
            count=YAMLLINT_PROBLEMS,
        ),
        Bench(
            "cjs-one",
            "check-jsonschema, 1 map",
            [cjs, "--schemafile", schema, one],
            ["check-jsonschema"],
            count=CJS_FAILURES,
        ),
        Bench(
            "lint-small-serial",
            f"journeyctl lint, {small_maps}, 1 job, cold",
            [j, "lint", *cold, "-j", "1", small],
            ["journeyctl:lint"],
            ok_codes=(0, 1),
            peers=(("yamllint-small", "peer"),),
            count=LINT_FINDINGS,
        ),
        Bench(
            "lint-small",
            f"journeyctl lint, {small_maps}, 1 job per core, cold",
            [j, "lint", *cold, small],
            ["journeyctl:lint"],
            ok_codes=(0, 1),
            peers=(("yamllint-small", "peer"), ("lint-small-serial", "baseline")),
            count=LINT_FINDINGS,
        ),
        Bench(
            "yamllint-small",
            f"yamllint, {small_maps}",
            [yamllint, small],
            ["yamllint"],
            ok_codes=(0, 1),
            count=YAMLLINT_PROBLEMS,
        ),
        Bench(
            "validate-corpus-serial",
            f"journeyctl validate, {maps}, 1 job",
            [j, "validate", "-j", "1", corpus],
            ["journeyctl:validate"],
            peers=(("compose-corpus", "baseline"),),
            count=VALIDATE_ERRORS,
        ),
        Bench(
            "validate-corpus",
            f"journeyctl validate, {maps}, 1 job per core",
            [j, "validate", corpus],
            ["journeyctl:validate"],
            peers=(("compose-corpus", "baseline"), ("validate-corpus-serial", "baseline")),
            count=VALIDATE_ERRORS,
        ),
        Bench(
            "lint-corpus-serial",
            f"journeyctl lint, {maps}, 1 job, cold",
            [j, "lint", *cold, "-j", "1", corpus],
            ["journeyctl:lint"],
            ok_codes=(0, 1),
            peers=corpus_peers,
            count=LINT_FINDINGS,
        ),
        Bench(
            "lint-corpus",
            f"journeyctl lint, {maps}, 1 job per core, cold",
            [j, "lint", *cold, corpus],
            ["journeyctl:lint"],
            ok_codes=(0, 1),
            peers=(*corpus_peers, ("lint-corpus-serial", "baseline")),
            count=LINT_FINDINGS,
        ),
        Bench(
            "lint-corpus-cached",
            f"journeyctl lint, {maps} unchanged (cache)",
            [j, "lint", *cached, corpus],
            ["journeyctl:lint"],
            ok_codes=(0, 1),
            peers=(("yamllint-corpus", "peer"), ("lint-corpus", "baseline")),
            count=LINT_FINDINGS,
        ),
        Bench(
            "yamllint-corpus",
            f"yamllint, {maps}",
            [yamllint, corpus],
            ["yamllint"],
            ok_codes=(0, 1),
            count=YAMLLINT_PROBLEMS,
        ),
        Bench(
            "cjs-corpus",
            f"check-jsonschema, {maps}",
            [cjs, "--schemafile", schema, *files],
            ["check-jsonschema"],
            count=CJS_FAILURES,
        ),
    ]
    for subject, path, tag in (("1 map", one, "one"), ("large map", large, "large")):
        mermaid_peer = (("mmdc-" + tag, "peer"),)
        for fmt in RENDER_FORMATS:
            suffix = {"md": "md", "mermaid": "mmd", "flow-svg": "flow.svg"}.get(fmt, fmt)
            rows.append(
                Bench(
                    f"render-{tag}-{fmt}",
                    f"journeyctl render {fmt}, {subject}",
                    [j, "render", path, "-f", fmt, "-o", str(out / f"{tag}.{suffix}")],
                    ["journeyctl:render"] + (["dot"] if fmt.startswith("flow-") else []),
                    peers=mermaid_peer if fmt in ("html", "md", "mermaid") else (),
                )
            )
        rows.append(
            Bench(
                f"mmdc-{tag}",
                f"mermaid-cli (mmdc) svg of the Mermaid export, {subject}",
                [
                    tools.mmdc or "mmdc",
                    "-q",
                    *puppeteer,
                    "-i",
                    str(out / f"{tag}.mmd"),
                    "-o",
                    str(out / f"{tag}.mmdc.svg"),
                ],
                ["mmdc", "journeyctl:render"] + (["mmdc-full"] if tag == "large" else []),
            )
        )
    rows += [
        Bench(
            "render-huge-html",
            "journeyctl render html, huge map (4× the large one)",
            [j, "render", huge, "-f", "html", "-o", str(out / "huge.html")],
            ["journeyctl:render"],
            peers=(("render-large-html", "baseline"),),
        ),
        Bench(
            "diff-large",
            "journeyctl diff, two versions of the large map",
            [j, "diff", large, large_v2, "--fail-on", "never"],
            ["journeyctl:diff"],
            peers=(("deepdiff-large", "peer"),),
            count=DIFF_CHANGES,
        ),
        Bench(
            "diff-huge",
            "journeyctl diff, two versions of the huge map",
            [j, "diff", huge, huge_v2, "--fail-on", "never"],
            ["journeyctl:diff"],
            peers=(("diff-large", "baseline"),),
            count=DIFF_CHANGES,
        ),
        Bench(
            "deepdiff-large",
            "deepdiff of the large pair (after loading with libyaml)",
            [tools.python, "-c", DEEPDIFF_CODE, large, large_v2],
            ["deepdiff"],
        ),
    ]
    subset = str(corpora.fmt_subset)
    subset_maps = f"{len(list(corpora.fmt_subset.glob('*.yaml'))):,} maps"
    yamlfix = tools.yamlfix or "yamlfix"
    rows += [
        # --check formats every file in full and writes nothing, so runs repeat the same work.
        Bench(
            "fmt-one",
            "journeyctl fmt --check, 1 map",
            [j, "fmt", "--check", one],
            ["journeyctl:fmt"],
            ok_codes=(0, 1),
            peers=(("yamlfix-one", "peer"),),
        ),
        Bench(
            "yamlfix-one", "yamlfix --check, 1 map", [yamlfix, "--check", one], ["yamlfix"], ok_codes=(0, 1)
        ),
        Bench(
            "fmt-subset-serial",
            f"journeyctl fmt --check, {subset_maps}, 1 job",
            [j, "fmt", "--check", "-j", "1", subset],
            ["journeyctl:fmt"],
            ok_codes=(0, 1),
            peers=(("yamlfix-subset", "peer"),),
        ),
        Bench(
            "fmt-subset",
            f"journeyctl fmt --check, {subset_maps}, 1 job per core",
            [j, "fmt", "--check", subset],
            ["journeyctl:fmt"],
            ok_codes=(0, 1),
            peers=(("yamlfix-subset", "peer"),),
        ),
        Bench(
            "yamlfix-subset",
            f"yamlfix --check, {subset_maps}",
            [yamlfix, "--check", subset],
            ["yamlfix"],
            ok_codes=(0, 1),
        ),
        # Issue 14: the language server's own time (in its process, without the protocol).
        *server_rows(tools, corpora),
    ]
    for bench in rows:
        bench.display = show(bench.argv, corpora)
    return rows


def server_rows(tools: Tools, corpora: Corpora) -> list[Bench]:
    """Rows of `journeyctl server`'s work, timed by benchmarks/server_bench.py in its process."""
    script = str(HERE / "server_bench.py")
    server = ["journeyctl:server", "pygls"]
    maps = f"{len(corpora.files):,} maps"
    return [
        Bench(
            "server-diagnostics-one",
            "journeyctl server: diagnostics after an edit, 1 map",
            [tools.python, script, "diagnostics", str(corpora.one_map)],
            server,
            count=server_figure,
        ),
        Bench(
            "server-diagnostics-large",
            "journeyctl server: diagnostics after an edit, the 500-stage map",
            [tools.python, script, "diagnostics", str(corpora.large), "--edits", "10"],
            server,
            count=server_figure,
        ),
        Bench(
            "server-completion-one",
            "journeyctl server: completion of a persona, 1 map",
            [tools.python, script, "completion", str(corpora.one_map)],
            server,
            count=server_figure,
        ),
        Bench(
            "server-completion-large",
            "journeyctl server: completion of a persona, the 500-stage map",
            [tools.python, script, "completion", str(corpora.large), "--requests", "10"],
            server,
            count=server_figure,
        ),
        Bench(
            "server-memory-corpus",
            f"journeyctl server: a workspace of {maps} (20 open, then all)",
            [tools.python, script, "memory", str(corpora.corpus)],
            server,
            count=server_figure,
        ),
    ]


def worst_case_rows(tools: Tools, corpora: Corpora, shape: dict[str, int]) -> list[Bench]:
    """Rows for the inputs that once took quadratic time, written under the bench directory."""
    j = tools.journeyctl or "journeyctl"
    bench_dir = corpora.out.parent
    count = shape["suppressions"]
    suppressions = bench_dir / f"worst-suppressions-{count}.yaml"
    lines = ["journeyctl: 1", "id: suppressions", "title: Suppressions", "stages:"]
    for index in range(count):
        # Each comment names a rule that finds nothing on its line: every one is reported unused.
        lines += [f"  - id: s{index}  # journeyctl: disable=JM101", f"    name: Stage {index}"]
    _write_if_changed(suppressions, "\n".join(lines) + "\n")
    size = shape["word_bytes"]
    word = bench_dir / f"worst-word-{size}.yaml"
    _write_if_changed(
        word, f"journeyctl: 1\nid: word\ntitle: {'x' * size}\nstages:\n  - id: a\n    name: A\n"
    )
    rows = [
        Bench(
            "lint-worst-suppressions",
            f"journeyctl lint, 1 map with {count:,} suppression comments",
            [j, "lint", "--isolated", "--no-cache", "-q", str(suppressions)],
            ["journeyctl:lint"],
            ok_codes=(1,),
        ),
    ]
    for fmt in ("dot", "svg"):
        rows.append(
            Bench(
                f"render-worst-word-{fmt}",
                f"journeyctl render {fmt}, a one-word title of {size / 1e6:g} MB",
                [
                    j,
                    "render",
                    str(word),
                    "-f",
                    fmt,
                    "--max-file-size",
                    "0",
                    "-o",
                    str(corpora.out / f"word.{fmt}"),
                ],
                ["journeyctl:render"],
            )
        )
    for bench in rows:
        bench.display = show(bench.argv, corpora)
    return rows


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _imports(python: str, module: str) -> bool:
    return (
        subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0
    )


def missing_requirement(bench: Bench, tools: Tools, quick: bool) -> str | None:
    """Why a row cannot run, or None."""
    for need in bench.needs:
        if need == "journeyctl" and not tools.journeyctl:
            return "journeyctl is not installed"
        if need.startswith("journeyctl:"):
            command = need.split(":", 1)[1]
            if not tools.journeyctl:
                return "journeyctl is not installed"
            if command not in tools.commands:
                return "command not available"
        if need == "yamllint" and not tools.yamllint:
            return "yamllint not installed (pip install -e .[bench])"
        if need == "check-jsonschema" and not tools.check_jsonschema:
            return "check-jsonschema not installed (pip install -e .[bench])"
        if need == "yamlfix" and not tools.yamlfix:
            return "yamlfix not installed (pip install -e .[bench])"
        if need == "deepdiff" and not tools.deepdiff:
            return "deepdiff not installed (pip install -e .[bench])"
        if need == "mmdc-full" and quick:
            return "the large map's mmdc row runs in full runs only"
        if need == "mmdc" and not tools.mmdc:
            return "mermaid-cli not installed (cd tools/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci)"
        if need == "pygls" and not _imports(tools.python, "pygls"):
            return "the server extra is not installed (pip install -e .[server])"
        if need == "dot" and not shutil.which("dot"):
            return "Graphviz dot not installed (apt-get install graphviz)"
    return None


# ---------------------------------------------------------------------------------------------
# Measuring


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return found


def _process_kb(pid: int, page_kb: int) -> int:
    """Proportional set size of a process (shared pages split between their users), else RSS.

    Forked workers share most of their pages with the parent; summing their RSS would count
    those pages once per process.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * page_kb
    except (OSError, ValueError, IndexError):
        return 0


def _rss_kb(pid: int, page_kb: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * page_kb
    except (OSError, ValueError, IndexError):
        return 0


def _tree_kb(root: int, page_kb: int) -> int:
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        total += _process_kb(pid, page_kb)
        stack.extend(_children(pid))
    return total


GNU_TIME = "/usr/bin/time"


@dataclass
class Run:
    """One run of a command: what it exited with, how long and how big, what it printed."""

    code: int
    seconds: float
    rss_kb: int
    tree_kb: int
    stdout: str
    stderr: str

    @property
    def message(self) -> str:
        return self.stderr[-4000:].strip()


def run_once(argv: list[str], timeout: float) -> Run:
    """Run once: exit code, seconds, peak RSS, peak memory of all processes (KiB), output.

    Peak RSS is the largest single process's maxrss as ``/usr/bin/time -f %M`` reports it.
    It has to come from GNU time (a small process that forks the command): a child forked
    straight from this harness would inherit the harness's own RSS in its maxrss, which
    Linux counts up to the exec. The memory of all processes is the sum of PSS over the
    command and its descendants, sampled every 10 ms: what a parallel run really takes.
    Without GNU time, both figures come from the sampler.
    """
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "maxrss"
        err_file = Path(tmp) / "stderr"
        out_file = Path(tmp) / "stdout"
        command = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv] if use_time else argv
        with open(err_file, "wb") as err, open(out_file, "wb") as out:
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            peak_tree = peak_single = 0
            done = threading.Event()

            def sample() -> None:
                nonlocal peak_tree, peak_single
                while not done.is_set():
                    roots = _children(process.pid) if use_time else [process.pid]
                    sizes = [_tree_kb(pid, page_kb) for pid in roots]
                    peak_tree = max(peak_tree, sum(sizes))
                    if not use_time:
                        peak_single = max(peak_single, _rss_kb(process.pid, page_kb))
                    done.wait(0.01)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            timed_out = False
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(process.pid, 9)
                process.wait()
            elapsed = time.perf_counter() - start
            done.set()
            sampler.join()
        stderr = err_file.read_bytes().decode("utf-8", "replace")
        stdout = out_file.read_bytes().decode("utf-8", "replace")
        if use_time:
            lines = rss_file.read_text().split() if rss_file.exists() else []
            peak_single = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if timed_out:
        return Run(-1, elapsed, peak_single, peak_tree, "", f"timed out after {timeout:.0f} s")
    # A short run may end before a sample sees it whole; all processes together take at least
    # what the largest one took, so that is the floor of the figure.
    return Run(process.returncode, elapsed, peak_single, max(peak_tree, peak_single), stdout, stderr)


def time_with_hyperfine(hyperfine: str, argv: list[str], runs: int, warmup: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "result.json"
        command = [
            hyperfine,
            "--shell=none",
            "--style",
            "none",
            "--ignore-failure",
            "--warmup",
            str(warmup),
            "--runs",
            str(runs),
            "--export-json",
            str(export),
            "--",
            shlex.join(argv),
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        data = json.loads(export.read_text())
    return [float(t) for t in data["results"][0]["times"]]


def time_with_harness(argv: list[str], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def measure(bench: Bench, tools: Tools, runs: int, warmup: int, quick: bool) -> Result:
    result = Result(bench)
    # The memory run goes first: it checks the command works (exit code) before anything is
    # timed, it doubles as a warm-up of the file cache (and fills the lint cache of the cached
    # rows), and what it prints is counted.
    first = run_once(bench.argv, TIMEOUT_SECONDS)
    seconds = first.seconds
    if first.code not in bench.ok_codes:
        detail = first.message.splitlines()[-1] if first.message else ""
        result.status = f"failed: exit {first.code}" + (f": {detail[:120]}" if detail else "")
        return result
    result.rss_kb = first.rss_kb
    result.tree_kb = first.tree_kb
    result.printed = bench.count(first.stdout, first.stderr) if bench.count else None
    if quick and bench.key != "version":
        # The smoke test checks the harness end to end, not the figures: the memory run's time
        # stands for the row (one row still goes through hyperfine, so that path is exercised).
        result.times = [seconds]
        result.median = result.low = result.high = seconds
        return result
    if quick:
        runs, warmup = 1, 0
    elif seconds > SLOW_SECONDS:
        runs, warmup = min(runs, SLOW_RUNS), 0
    elif seconds < FAST_SECONDS:
        runs = max(runs, FAST_RUNS)
    if tools.hyperfine:
        times = time_with_hyperfine(tools.hyperfine, bench.argv, runs, warmup)
    else:
        times = time_with_harness(bench.argv, runs, warmup)
    result.times = times
    result.median = statistics.median(times)
    result.low, result.high = min(times), max(times)
    return result


# ---------------------------------------------------------------------------------------------
# Reporting


def seconds_text(value: float | None) -> str:
    if value is None:
        return ""
    if value < 1:
        return f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def range_text(result: Result) -> str:
    if result.low is None or result.high is None:
        return ""
    if result.high < 1:
        return f"{result.low * 1000:.0f}–{result.high * 1000:.0f} ms"
    return f"{result.low:.2f}–{result.high:.2f} s"


def rss_text(kb: int | None) -> str:
    return "" if kb is None else f"{kb / 1024:.0f} MB"


def ratio_text(result: Result, results: dict[str, Result]) -> str:
    parts: list[str] = []
    for key, kind in result.bench.peers:
        peer = results.get(key)
        if result.median is None or peer is None or peer.median is None:
            continue
        name = peer_name(peer.bench)
        if kind == "peer":
            speedup = peer.median / result.median
            if speedup >= 1:
                parts.append(f"{speedup:.1f}× faster than {name}")
            else:
                parts.append(f"{1 / speedup:.1f}× slower than {name}")
        else:
            parts.append(f"{result.median / peer.median:.2f}× the time of {name}")
    return "; ".join(parts)


def peer_name(bench: Bench) -> str:
    return {
        "yamllint-version": "yamllint --version",
        "compose-corpus": "libyaml compose",
        "yamllint-one": "yamllint",
        "cjs-one": "check-jsonschema",
        "yamllint-corpus": "yamllint",
        "cjs-corpus": "check-jsonschema",
        "mmdc-one": "mmdc",
        "mmdc-large": "mmdc",
        "yamlfix-one": "yamlfix",
        "yamlfix-subset": "yamlfix",
        "deepdiff-large": "deepdiff",
        "yamllint-small": "yamllint",
        "lint-one": "the cold run",
        "lint-corpus": "the cold run",
        "lint-small-serial": "1 job",
        "lint-corpus-serial": "1 job",
        "validate-corpus-serial": "1 job",
        "render-large-html": "the large map's",
        "diff-large": "the large pair's",
    }.get(bench.key, bench.label)


def markdown_table(results: list[Result]) -> str:
    by_key = {r.bench.key: r for r in results}
    lines = [
        "| Benchmark | Command | Median | Min–max | Peak RSS | Peak memory, all processes "
        "| Prints | Compared with peers |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for result in results:
        cells = [
            result.bench.label,
            f"`{result.bench.display}`",
            seconds_text(result.median) if result.status == "ok" else result.status,
            range_text(result),
            rss_text(result.rss_kb),
            rss_text(result.tree_kb),
            result.printed or "",
            ratio_text(result, by_key),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


@dataclass
class Goal:
    text: str
    check: Callable[[dict[str, Result]], tuple[str, bool] | None]


def _median(results: dict[str, Result], key: str) -> float | None:
    result = results.get(key)
    return result.median if result else None


def _speedup(fast: str, slow: str, at_least: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        a, b = _median(results, fast), _median(results, slow)
        if a is None or b is None:
            return None
        ratio = b / a
        # One decimal, but never one that rounds a miss up to the goal ("1.8×" for 1.79).
        text = f"{ratio:.1f}×" if (round(ratio, 1) >= at_least) == (ratio >= at_least) else f"{ratio:.2f}×"
        return f"{text} ({seconds_text(a)} vs {seconds_text(b)})", ratio >= at_least

    return check


def _within(key: str, base: str, factor: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        a, b = _median(results, key), _median(results, base)
        if a is None or b is None:
            return None
        return f"{a / b:.2f}× ({seconds_text(a)} vs {seconds_text(b)})", a / b <= factor

    return check


def _under(key: str, limit: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        value = _median(results, key)
        if value is None:
            return None
        return seconds_text(value), value < limit

    return check


def _rss_under(key: str, limit_mb: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        result = results.get(key)
        if result is None or result.tree_kb is None:
            return None
        return rss_text(result.tree_kb), result.tree_kb / 1024 < limit_mb

    return check


def _server_under(key: str, limit_ms: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    """A server row's median time as it printed it (server time, not the process's)."""

    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        result = results.get(key)
        found = re.search(r"median ([\d.]+) ms", result.printed or "") if result else None
        if found is None:
            return None
        value = float(found.group(1))
        return f"{value:.1f} ms", value <= limit_ms

    return check


def _server_memory_under(key: str, limit_mb: float) -> Callable[[dict[str, Result]], tuple[str, bool] | None]:
    def check(results: dict[str, Result]) -> tuple[str, bool] | None:
        result = results.get(key)
        found = re.search(r"peak ([\d.]+) MB", result.printed or "") if result else None
        if found is None:
            return None
        return f"{found.group(1)} MB", float(found.group(1)) < limit_mb

    return check


def _version_goal(results: dict[str, Result]) -> tuple[str, bool] | None:
    a, b = _median(results, "version"), _median(results, "yamllint-version")
    if a is None or b is None:
        return None
    return f"{seconds_text(a)} vs {seconds_text(b)}", a <= b


GOALS = (
    # Issue 13: speed where users feel it.
    Goal("1. lint of one map, cold, no slower than yamllint", _within("lint-one", "yamllint-one", 1.0)),
    Goal("1. validate of one map no slower than yamllint", _within("validate-one", "yamllint-one", 1.0)),
    Goal("2. re-lint of 1,000 unchanged maps ≤ 0.3 s", _under("lint-corpus-cached", 0.3 + 1e-9)),
    Goal("2. re-lint of one unchanged map ≤ 60 ms", _under("lint-one-cached", 0.06 + 1e-9)),
    Goal(
        "3. 150 maps: 1 job per core no slower than 1 job",
        _within("lint-small", "lint-small-serial", 1.0),
    ),
    Goal("3. 150 maps: lint ≥ 15× faster than yamllint", _speedup("lint-small", "yamllint-small", 15)),
    Goal(
        "3. 1,000 maps: 1 job per core ≥ 1.8× faster than 1 job",
        _speedup("lint-corpus", "lint-corpus-serial", 1.8),
    ),
    Goal(
        "4. HTML render of the huge map (4× the stages) ≤ 3× the large map's",
        _within("render-huge-html", "render-large-html", 3),
    ),
    Goal("4. diff of the huge pair ≤ 3× the large pair's", _within("diff-huge", "diff-large", 3)),
    Goal("4. HTML render of the large (500-stage) map < 0.6 s", _under("render-large-html", 0.6)),
    Goal("4. diff of two versions of the large map < 0.5 s", _under("diff-large", 0.5)),
    # Issue 14: the language server (server time, in its own process).
    Goal("server: diagnostics after an edit of a map ≤ 30 ms", _server_under("server-diagnostics-one", 30)),
    Goal(
        "server: diagnostics after an edit of the 500-stage map ≤ 300 ms",
        _server_under("server-diagnostics-large", 300),
    ),
    Goal("server: completion ≤ 20 ms", _server_under("server-completion-one", 20)),
    Goal(
        "server: a workspace of 1,000 maps (20 open) < 300 MB",
        _server_memory_under("server-memory-corpus", 300),
    ),
    # The benchmark's first goals.
    Goal("lint of the corpus ≥ 15× faster than yamllint", _speedup("lint-corpus", "yamllint-corpus", 15)),
    Goal("lint of the corpus ≥ 4× faster than check-jsonschema", _speedup("lint-corpus", "cjs-corpus", 4)),
    Goal("lint of the corpus within 2× of libyaml composing it", _within("lint-corpus", "compose-corpus", 2)),
    Goal("peak memory of the corpus lint (all processes) < 100 MB", _rss_under("lint-corpus", 100)),
    Goal("`journeyctl --version` no slower than `yamllint --version`", _version_goal),
    Goal("lint of one map < 200 ms, whole process", _under("lint-one", 0.2)),
    Goal("render one map to HTML ≥ 7× faster than mmdc", _speedup("render-one-html", "mmdc-one", 7)),
    Goal("render one map to Markdown ≥ 7× faster than mmdc", _speedup("render-one-md", "mmdc-one", 7)),
    Goal("render the large (500-stage) map to HTML < 1.5 s", _under("render-large-html", 1.5)),
    Goal("diff of two versions of the large map < 1 s", _under("diff-large", 1.0)),
    Goal("lint of a map with 8,000 suppression comments < 2 s", _under("lint-worst-suppressions", 2.0)),
    Goal("render dot of a 10 MB one-word title < 2 s", _under("render-worst-word-dot", 2.0)),
    Goal("render svg of a 10 MB one-word title < 2 s", _under("render-worst-word-svg", 2.0)),
)


def goals_text(results: list[Result]) -> str:
    by_key = {r.bench.key: r for r in results}
    lines = ["| Goal | Measured | Met |", "|---|--:|:-:|"]
    for goal in GOALS:
        outcome = goal.check(by_key)
        if outcome is None:
            lines.append(f"| {goal.text} | n/a | – |")
        else:
            value, met = outcome
            lines.append(f"| {goal.text} | {value} | {'yes' if met else '**no**'} |")
    return "\n".join(lines)


def machine_text(tools: Tools, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            names = [line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")]
        if names:
            cpu = names[0]
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = ", ".join(tools.versions[k] for k in sorted(tools.versions))
    return (
        f"Machine: {cpu}, {cores} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}.\n"
        f"Tools: {versions}.\n"
        f"Load average (1 min) before and after: {load_before[0]:.2f}, {load_after[0]:.2f}."
    )


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark journeyctl against its peers.")
    parser.add_argument("--quick", action="store_true", help="small corpus, one run each (CI smoke test)")
    parser.add_argument("--output", type=Path, help="also write the markdown report to this file")
    parser.add_argument("--json", type=Path, help="write raw results (every run's time) as JSON")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per row (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per row (default 1)")
    parser.add_argument("--only", help="comma-separated row keys (or prefixes) to run")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / ".bench", help="corpora and outputs")
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="in a full run, give missing peer tools an n/a row instead of failing",
    )
    args = parser.parse_args(argv)

    started = time.monotonic()
    load_before = os.getloadavg()
    loads = [load_before[0]]
    tools = detect_tools()
    shape = QUICK_SHAPE if args.quick else FULL_SHAPE
    bench_dir = args.bench_dir / "quick" if args.quick else args.bench_dir
    bench_dir.mkdir(parents=True, exist_ok=True)
    corpora = prepare(bench_dir, shape)
    rows = benchmarks(tools, corpora) + worst_case_rows(
        tools, corpora, QUICK_WORST_SHAPE if args.quick else WORST_SHAPE
    )
    if tools.journeyctl and "render" in tools.commands:
        # mmdc rows read the Mermaid export; write it now so they also run alone (--only mmdc).
        for tag, path in (("one", corpora.one_map), ("large", corpora.large)):
            subprocess.run(
                [
                    tools.journeyctl,
                    "render",
                    str(path),
                    "-f",
                    "mermaid",
                    "-o",
                    str(corpora.out / f"{tag}.mmd"),
                ],
                check=False,
                capture_output=True,
            )
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        rows = [b for b in rows if any(b.key.startswith(w) for w in wanted)]

    missing = {b.key: reason for b in rows if (reason := missing_requirement(b, tools, args.quick))}
    tool_gaps = sorted({r for r in missing.values() if r != "command not available"})
    if tool_gaps and not args.quick and not args.allow_missing:
        for reason in tool_gaps:
            note(f"missing: {reason}")
        note("install the peers (see docs/performance.md) or pass --allow-missing")
        return 2

    results: list[Result] = []
    for bench in rows:
        if bench.key in missing:
            reason = missing[bench.key]
            prefix = "skipped (quick)" if args.quick and reason != "command not available" else "n/a"
            if reason.startswith("the large map's"):
                prefix = "skipped (quick)"
            results.append(Result(bench, status=f"{prefix}: {reason}"))
            note(f"{bench.key}: {prefix}: {reason}")
            continue
        note(f"{bench.key}: {bench.display[:100]}")
        result = measure(bench, tools, args.runs, args.warmup, args.quick)
        loads.append(os.getloadavg()[0])
        results.append(result)
        if result.status != "ok":
            note(f"  {result.status}")
        else:
            note(
                f"  median {seconds_text(result.median)}, peak RSS {rss_text(result.rss_kb)}, "
                f"all processes {rss_text(result.tree_kb)}"
            )
    load_after = os.getloadavg()
    minutes = (time.monotonic() - started) / 60

    shape_text = (
        f"Corpus: {corpora.manifest['maps']:,} maps, {corpora.manifest['total_bytes'] / 1e6:.1f} MB "
        f"(average {corpora.manifest['average_bytes'] / 1000:.1f} KB, "
        f"{corpora.manifest['maps_with_defects']} with lint defects); one map: "
        f"{corpora.one_map.stat().st_size / 1000:.1f} KB; large map: {shape['large_stages']} stages × "
        f"{shape['large_steps']} steps, {corpora.large.stat().st_size / 1e6:.2f} MB; huge map: "
        f"{shape['huge_stages']} stages × {shape['large_steps']} steps, "
        f"{corpora.huge.stat().st_size / 1e6:.2f} MB; diff pairs: {shape['edits']} and "
        f"{shape['edits'] * shape['huge_stages'] // shape['large_stages']} edits; small batch: "
        f"{shape['small_maps']} maps. Prints: what the command printed in its first run (findings, "
        "problems, failing files, changes), so rows that print much are told apart from rows that work."
    )
    timing = (
        "Timed with hyperfine (warm-up, then N runs; median and min–max)"
        if tools.hyperfine
        else "Timed with the built-in harness (warm-up, then N runs; median and min–max)"
    )
    report = (
        "\n\n".join(
            [
                markdown_table(results),
                goals_text(results),
                machine_text(tools, load_before, load_after)
                + f" Load average (1 min) after each row: {min(loads):.2f} to {max(loads):.2f}"
                + f" (the machine has {os.cpu_count()} cores). The run took {minutes:.0f} min."
                + "\n"
                + shape_text
                + "\n"
                + timing
                + ". Memory from one extra run: peak RSS of the largest process (GNU time %M), and for "
                "all processes the peak of their summed PSS (workers included, shared pages split), "
                "sampled every 10 ms, or the largest process's peak RSS when that is more.",
            ]
        )
        + "\n"
    )
    print(report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"results": [r.to_json() for r in results], "corpus": shape}, indent=1) + "\n",
            encoding="utf-8",
        )
    failed = [r for r in results if r.status.startswith("failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
