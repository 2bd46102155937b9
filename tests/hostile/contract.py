"""The contract every input must keep, checked in process: load -> lint -> render -> diff.

For any bytes at all, ``load_bytes`` returns a map or raises ``JourneyError``
whose errors each carry a Location inside the file; nothing else escapes. For
a map that loads, every lint format, every text renderer and every diff format
works, is deterministic, is valid UTF-8, and its machine-readable formats
parse with strict parsers (JSON without NaN or Infinity, XML by
``xml.etree``); user text cannot split an output line, add markup, or carry
control characters into a rendered page.

``TALLY`` counts the inputs tried, for the summary that ``conftest.py`` prints.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from journeyctl.errors import JourneyError, MapInvalid
from journeyctl.loader import LoadedMap, load_bytes

#: Inputs tried, by layer (in-process stages and CLI runs), for the session summary.
TALLY: Counter[str] = Counter()

#: Seconds of CPU one input may take in process. Its checks do much more than one CLI run
#: (lint with every rule, every lint format, four renderers and the site index, three diff
#: formats, each twice for determinism), so this is a multiple of the issue's 2 s per run,
#: which the CLI layer asserts; it still catches the super-linear shapes (15-30 s before
#: the loader merge). A 400 KB map with 8,000 suppressions takes 2.2 s of it.
CPU_BUDGET = 5.0

#: What no rendered text may carry: C0 controls but tab, LF and CR; DEL; C1 controls;
#: lone surrogates; the non-characters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(0x11))
    + "]"
)
#: What a message or a one-line field (a file name in a report) may not carry raw: line breaks
#: (YAML's, which are also Unicode's), terminal controls (ESC, C1) and lone surrogates, which
#: no UTF-8 stream can take. Tab and non-characters are harmless on one line.
FORBIDDEN_IN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: What may not reach a terminal raw: C0 controls but tab and newline, DEL, C1 controls.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Line breaks as YAML (and so libyaml's line numbers) counts them.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class ContractBroken(AssertionError):
    """An input made journeyctl break its contract; the message says how and shows the input."""


def excerpt(data: bytes, limit: int = 600) -> str:
    """The start of an input, for a failure message (hypothesis prints the operations too)."""
    shown = data[:limit].decode("utf-8", "backslashreplace")
    more = f"\n... ({len(data):,} bytes in all)" if len(data) > limit else ""
    return shown + more


def strict_json(text: str) -> Any:
    """``json.loads`` that refuses NaN, Infinity and -Infinity, as JSON.parse, jq and Go do."""

    def refuse(name: str) -> Any:
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def strict_xml(text: str) -> ET.Element:
    """Parse XML 1.0 as a CI server would (it refuses control characters and bad nesting)."""
    return ET.fromstring(text.encode("utf-8"))


@functools.lru_cache(maxsize=64)
def _line_count(text: str) -> int:
    # Cached: a file with thousands of errors is checked error by error against its size.
    return len(_LINE_BREAK.split(text))


def _output_lines(text: str) -> int:
    """Lines as a terminal, a CI log or ``grep`` sees them."""
    return len(re.split("\r\n|[\r\n]", text))


def _inside(text: str, line: int, col: int) -> bool:
    """A 1-based position inside ``text``, or libyaml's end-of-file mark (column 1 of the line after)."""
    lines = _line_count(text)
    return col >= 1 and (1 <= line <= lines or (line == lines + 1 and col == 1))


# --- errors --------------------------------------------------------------------------------


def check_error(error: BaseException, texts: dict[str, str]) -> None:
    """A load failure is a JourneyError whose every error is located inside its file."""
    if not isinstance(error, JourneyError):
        raise ContractBroken(f"{type(error).__name__} escaped instead of a JourneyError: {error}") from error
    errors = error.errors if isinstance(error, MapInvalid) else [error]
    if not errors:
        raise ContractBroken(f"{type(error).__name__} with no errors in it: {error}")
    for item in errors:
        location = item.location
        if location is None or not location.path:
            raise ContractBroken(f"error without a location: {item!r}")
        if not item.message.strip():
            raise ContractBroken(f"error without a message at {location}")
        # Raw control characters may stay in the message: every output escapes them
        # (``display.one_line``); ``check_error_outputs`` and the CLI layer check what is shown.
        text = texts.get(location.path)
        if text is not None and location.line > 0 and not _inside(text, location.line, location.col):
            raise ContractBroken(f"error located outside its file ({_line_count(text)} lines): {item}")


# --- loading -------------------------------------------------------------------------------


def include_reader(files: dict[Path, bytes]) -> Callable[[Path], bytes]:
    """Reads included files from ``files`` (resolved paths), as ``journeyctl diff`` reads blobs."""
    from journeyctl.errors import LoadError

    def read(path: Path) -> bytes:
        try:
            return files[path]
        except KeyError:
            raise LoadError(f"{path}: no such file") from None

    return read


def check_load(
    data: bytes, path: str, *, root: Path, includes: dict[Path, bytes] | None = None
) -> LoadedMap | None:
    """The map, or None after checking the error it raised."""
    TALLY["load"] += 1
    texts = {path: data.decode("utf-8", "replace")}
    for included, content in (includes or {}).items():
        texts[str(included.relative_to(root))] = content.decode("utf-8", "replace")
    try:
        return load_bytes(data, path, read_include=include_reader(includes or {}), root=root)
    except Exception as error:
        check_error(error, texts)
        assert isinstance(error, JourneyError)
        check_error_outputs(error, path)
        return None


def check_error_outputs(error: JourneyError, path: str) -> None:
    """The errors as the user sees them: one line each on stderr, JM000 findings in every lint format."""
    from journeyctl.lint.engine import invalid_map_findings
    from journeyctl.output import print_error

    errors = error.errors if isinstance(error, MapInvalid) else [error]
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        for item in errors:
            print_error(item)
    shown = stderr.getvalue()
    expected = len(errors) + sum(1 for item in errors if item.hint)
    if shown.count("\n") != expected or TERMINAL_CONTROL.search(shown):
        raise ContractBroken(f"errors are not shown one a line, without raw controls: {shown[:300]!r}")
    check_lint_outputs(invalid_map_findings(path, errors), [path], lint_config(every_rule=False))


def finding_location_ok(loaded: LoadedMap, path: str, line: int, col: int) -> bool:
    source = loaded.sources.get(path)
    if source is None:
        return False
    return line == 0 or _inside(source.text, line, col)


# --- lint ----------------------------------------------------------------------------------


def lint_config(*, every_rule: bool) -> Any:
    from journeyctl.config import Overrides, build_lint_config

    return build_lint_config(None, Overrides(select=["ALL"] if every_rule else None))


def check_lint(loaded: LoadedMap, config: Any) -> dict[str, str]:
    """Findings located in their files, every format rendered, machine formats parsed strictly."""
    from journeyctl.lint.engine import lint_map

    TALLY["lint"] += 1
    findings = lint_map(loaded, config)
    for finding in findings:
        location = finding.location
        if not finding_location_ok(loaded, location.path, location.line, location.col):
            raise ContractBroken(f"finding located outside the map's files: {finding}")
    if lint_map(loaded, config) != findings:
        raise ContractBroken("lint is not deterministic: a second run found other findings")
    return check_lint_outputs(findings, [loaded.path], config)


def check_lint_outputs(findings: list[Any], files: list[str], config: Any) -> dict[str, str]:
    """Every lint format of these findings: deterministic, UTF-8, strict JSON and XML, one a line."""
    from journeyctl.lint.formats import FORMATS, make_report, render
    from journeyctl.lint.registry import get_registry

    report = make_report(findings, files, config, get_registry())
    findings = report.findings  # sorted, duplicates (an error met twice) dropped
    outputs = {name: render(report, name) for name in FORMATS}
    for name, text in outputs.items():
        if render(report, name) != text:
            raise ContractBroken(f"lint -f {name} is not deterministic")
        _encodable(text, f"lint -f {name}")
    try:
        strict_json(outputs["json"])
        strict_json(outputs["sarif"])
    except ValueError as exc:
        raise ContractBroken(f"lint json/sarif does not parse strictly: {exc}") from exc
    try:
        junit = strict_xml(outputs["junit"])
    except ET.ParseError as exc:
        raise ContractBroken(f"lint -f junit is not well-formed XML: {exc}") from exc
    failures = len(junit.findall(".//failure"))
    if failures != len(findings):
        raise ContractBroken(f"lint -f junit has {failures} failures for {len(findings)} findings")
    for name in ("concise", "github"):
        lines = outputs[name].count("\n")
        if lines != len(findings):
            raise ContractBroken(
                f"lint -f {name} has {lines} lines for {len(findings)} findings (one a line)"
            )
    from journeyctl.display import show_path

    for finding, line in zip(findings, outputs["concise"].split("\n"), strict=False):
        location = finding.location
        where = (
            f"{show_path(location.path)}:{location.line}:{location.col}" if location.line else location.path
        )
        if not line.startswith(f"{where}: {finding.code} ") and not line.startswith(f"{location}: "):
            raise ContractBroken(f"lint -f concise does not start with the finding's location: {line!r}")
    return outputs


def _encodable(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ContractBroken(
            f"{what} is not valid UTF-8 text (a file or terminal cannot take it): {exc}"
        ) from exc


# --- render --------------------------------------------------------------------------------

TEXT_RENDERERS = ("html", "md", "mermaid", "dot")


class _Tags(HTMLParser):
    """Start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


#: Attributes a browser follows or loads as a URL: where a ``javascript:`` value would run. In any
#: other attribute (a tooltip's ``title``, an ``aria-label``) the same text is only shown.
_URL_ATTRIBUTES = frozenset(
    (
        "href",
        "src",
        "xlink:href",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
        "cite",
        "srcset",
        "ping",
    )
)


def check_html(page: str, what: str) -> None:
    """No script, no event handler, no javascript: URL: map text stayed text."""
    parser = _Tags()
    parser.feed(page)
    parser.close()
    for tag, attrs in parser.tags:
        if tag in ("script", "iframe", "object", "embed", "base", "form"):
            raise ContractBroken(f"{what}: map text made a <{tag}> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                raise ContractBroken(f"{what}: map text made an event handler {name}={value!r}")
            if name in _URL_ATTRIBUTES and value and _unescaped_url(value).startswith("javascript:"):
                raise ContractBroken(f"{what}: map text made a javascript: URL in {name}")


def _unescaped_url(value: str) -> str:
    """A URL as a browser reads its scheme: without the white space and controls it skips."""
    return "".join(c for c in value if c > " " and c not in "\t\n\r").lower()


#: Tags the Markdown renderer's own output makes when GitHub reads it.
_MARKDOWN_TAGS = frozenset(
    [
        "a",  # an insight's link: its address is an http(s) URL (check_html refuses javascript:)
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "strong",
        "em",
        "br",
        "pre",
        "code",
    ]
)


def check_markdown(source: str) -> None:
    """Outside the Mermaid fence, only the renderer's own tags appear; no raw HTML from map text."""
    from markdown_it import MarkdownIt

    before, fence, rest = source.partition("````mermaid")
    if fence:
        _, _, after = rest.partition("````\n")
        source = before + after
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(source)
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", rendered)) - _MARKDOWN_TAGS
    if tags:
        raise ContractBroken(f"md: map text made HTML tags {sorted(tags)}")
    check_html(rendered, "md")


_MERMAID_LINE = re.compile(
    r"journey|    title [^\n]*|    accTitle: [^\n]*|    accDescr: [^\n]*|    section [^\n]*"
    r"|      [^:\n]*: [1-5](: [^:\n]*)?"
)


#: journeyctl's own notes: a ``%%`` comment on a line of its own (what was shortened, unscored...).
_MERMAID_NOTE = re.compile(r"(    |      )%% [^\n]*")
#: Mermaid's entity codes, which it hides from the grammar before parsing (its encodeEntities).
_MERMAID_ENTITY = re.compile(r"#\w+;")


def check_mermaid(diagram: str) -> None:
    """Every line is one of the journey grammar's statements or a note of journeyctl's own; no
    comment, directive or statement end came from map text (entity codes are Mermaid's escapes)."""
    for line in diagram.rstrip("\n").split("\n"):
        if _MERMAID_NOTE.fullmatch(line):
            if "%%" in line[line.index("%%") + 2 :] or "\n" in line:
                raise ContractBroken(f"mermaid: a note that map text could turn into a directive: {line!r}")
            continue
        bare = _MERMAID_ENTITY.sub("_", line)
        if not _MERMAID_LINE.fullmatch(bare):
            raise ContractBroken(f"mermaid: a line outside the journey grammar: {line!r}")
        if "%" in bare or ";" in bare or "#" in bare:
            raise ContractBroken(f"mermaid: a comment, directive or statement end from map text: {line!r}")


def check_render(loaded: LoadedMap, names: tuple[str, ...] = TEXT_RENDERERS) -> dict[str, bytes]:
    """Every renderer renders a valid map, deterministically, to clean UTF-8 in its grammar."""
    from journeyctl.renderers import get_renderer

    outputs: dict[str, bytes] = {}
    for name in names:
        TALLY[f"render {name}"] += 1
        renderer = get_renderer(name)
        try:
            data = renderer.render(loaded, renderer.Options())
        except Exception as exc:
            raise ContractBroken(
                f"render -f {name} failed on a valid map: {type(exc).__name__}: {exc}"
            ) from exc
        if renderer.render(loaded, renderer.Options()) != data:
            raise ContractBroken(f"render -f {name} is not deterministic")
        outputs[name] = data
        if renderer.BINARY:
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ContractBroken(f"render -f {name} wrote bytes that are not UTF-8: {exc}") from exc
        bad = FORBIDDEN.search(text)
        if bad:
            raise ContractBroken(
                f"render -f {name} carries the control or non-character U+{ord(bad.group()):04X} "
                f"(at offset {bad.start()}: {text[max(0, bad.start() - 40) : bad.start() + 10]!r})"
            )
        if name == "html":
            check_html(text, "html")
        elif name == "md":
            check_markdown(text)
        elif name == "mermaid":
            check_mermaid(text)
        elif name == "svg":
            try:
                strict_xml(text)
            except ET.ParseError as exc:
                raise ContractBroken(f"render -f svg is not well-formed XML: {exc}") from exc
    return outputs


def check_site_index(loaded: LoadedMap) -> None:
    """Every page of the site of one map (index, findings, across maps), as ``render DIR -f html`` writes."""
    from journeyctl.config import load_lint_config
    from journeyctl.renderers.site import build_site

    TALLY["render site index"] += 1
    config = load_lint_config(isolated=True)

    def pages() -> tuple[tuple[str, bytes], ...]:
        # The rules across maps may search the repository for a baseline: not what this checks.
        return build_site([(loaded, "site/page.html")], "site", config=config, across_maps=False).files

    files = pages()
    if pages() != files:
        raise ContractBroken("the site is not deterministic")
    for name, page in files:
        text = page.decode("utf-8")
        bad = FORBIDDEN.search(text)
        if bad:
            raise ContractBroken(
                f"site page {name} carries the control or non-character U+{ord(bad.group()):04X}"
            )
        check_html(text, f"site page {name}")


# --- diff ----------------------------------------------------------------------------------


def diff_outputs(old: LoadedMap, new: LoadedMap, old_path: str, new_path: str) -> dict[str, str]:
    from journeyctl.diff.command import file_console
    from journeyctl.diff.compare import DiffReport, diff_maps
    from journeyctl.diff.formats import render_json, render_markdown, render_text

    report = DiffReport(old_path, new_path, [diff_maps(old.journey, new.journey, old_path, new_path)])
    buffer = io.StringIO()
    render_text(report, file_console(buffer))
    return {"text": buffer.getvalue(), "markdown": render_markdown(report), "json": render_json(report)}


def check_diff(
    old: LoadedMap, new: LoadedMap, old_path: str = "old.yaml", new_path: str = "new.yaml"
) -> None:
    """Every diff format works, is deterministic and UTF-8; JSON parses strictly; x vs x is no change."""
    from journeyctl.diff.compare import diff_maps

    TALLY["diff"] += 1
    outputs = diff_outputs(old, new, old_path, new_path)
    if diff_outputs(old, new, old_path, new_path) != outputs:
        raise ContractBroken("diff is not deterministic")
    for name, text in outputs.items():
        _encodable(text, f"diff -f {name}")
    try:
        strict_json(outputs["json"])
    except ValueError as exc:
        raise ContractBroken(f"diff -f json does not parse strictly: {exc}") from exc
    same = diff_maps(new.journey, new.journey, new_path, new_path)
    if same.changes:
        raise ContractBroken(
            f"a map compared with itself shows changes: {[c.message for c in same.changes][:3]}"
        )
    # A hostile file name must not split a line or be read as markup, in any format.
    plain = diff_outputs(old, new, "old.yaml", "new.yaml")
    for name in ("text", "markdown"):
        if _output_lines(outputs[name]) != _output_lines(plain[name]):
            raise ContractBroken(f"diff -f {name}: the file names {old_path!r}, {new_path!r} split a line")
        # Tabs become spaces in a terminal; other characters a name may hold show as written.
        shown_as_written = not FORBIDDEN_IN_LINE.search(new_path) and "\t" not in new_path
        if name == "text" and shown_as_written and new_path not in outputs[name]:
            raise ContractBroken(f"diff -f text does not show the file name {new_path!r} as written")


def within_budget(work: Callable[[], object], data: bytes, what: str = "load, lint, render and diff") -> None:
    """Run ``work`` (all one input's checks) within ``CPU_BUDGET`` seconds of CPU.

    The collector is off meanwhile, as journeyctl turns it off for its own loads and
    batches; a full collection of the test process's heap would otherwise be billed to
    whichever input happened to trigger it. A run over budget runs once more (a busy
    machine slows one run now and then) and fails only if it is over again.
    """
    spent = []
    for _ in range(2):
        enabled = gc.isenabled()
        gc.disable()
        start = time.process_time()
        try:
            work()
        finally:
            spent.append(time.process_time() - start)
            if enabled:
                gc.enable()
        if spent[-1] <= CPU_BUDGET:
            return
    raise ContractBroken(
        f"{what} of one {len(data):,}-byte input took {min(spent):.1f} s of CPU (budget {CPU_BUDGET} s)\n"
        f"{excerpt(data)}"
    )
