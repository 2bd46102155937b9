"""Markdown renderer: goldens, escaping cases, and hostile text that a Markdown parser shows literally."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from journeyctl.loader import load_bytes
from journeyctl.renderers import markdown
from tests.renderers.rendercases import (
    CHECKOUT,
    HOSTILE,
    XSS_PAYLOADS,
    case_id,
    check_golden,
    golden_inputs,
    load,
)


def to_html(text: str) -> str:
    """HTML from a CommonMark + GFM-tables parser that passes raw HTML through, as GitHub's parser does."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_markdown_golden(path: Path, update_goldens: bool) -> None:
    check_golden(f"{path.stem}.md", markdown.render(load(path), markdown.Options()), update_goldens)


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "a | b",
        "*star* _under_ **bold** __bold__",
        "[link](http://example.com) ![img](x.png)",
        "`code` ``more``",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "&amp; &lt; &#60;",
        "back\\slash \\* not escaped",
        "~~strike~~ $math$ # hash",
    ],
)
def test_escaped_text_renders_literally_in_a_table_cell(text: str) -> None:
    cell = markdown.escape_inline(text)
    rendered = to_html(f"| h |\n|---|\n| {cell} |\n")
    match = re.search(r"<td>(.*)</td>", rendered)
    assert match is not None, rendered
    assert "<" not in match.group(1).replace("&lt;", ""), match.group(1)  # no tag at all
    assert html.unescape(match.group(1)) == text


@pytest.mark.parametrize(
    ("text", "expected_html"),
    [
        ("# not a heading", "<p># not a heading</p>"),
        ("- not a list", "<p>- not a list</p>"),
        ("+ not a list", "<p>+ not a list</p>"),
        ("1986. A year", "<p>1986. A year</p>"),
        ("2) second", "<p>2) second</p>"),
        ("> not a quote", "<p>&gt; not a quote</p>"),
        ("    not code", "<p>not code</p>"),
        ("one\n- two\n# three", "<p>one<br>- two<br># three</p>"),
    ],
)
def test_paragraph_text_cannot_start_a_block(text: str, expected_html: str) -> None:
    assert to_html(markdown.escape_block(text)).strip() == expected_html


def test_hostile_map_shows_every_payload_literally() -> None:
    source = markdown.render(load(HOSTILE), markdown.Options()).decode()
    before_diagram, _, rest = source.partition("````mermaid")
    _, _, after_diagram = rest.partition("````\n")
    rendered = to_html(before_diagram + after_diagram)
    # No tag that the map's text could have made: only the renderer's own.
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", rendered))
    assert tags <= {
        "h1",
        "h2",
        "h3",
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
    }
    text = html.unescape(re.sub(r"<[^>]+>", " ", rendered))
    for payload in XSS_PAYLOADS:
        assert payload in text
    assert "| * _ [ ] < > &amp; &lt;" in text  # pain point description, exactly as written
    assert "title Looks like a title: 5: Me" in text
    assert "1986. A year" in text and "# heading" in text


def test_mermaid_block_uses_a_fence_longer_than_any_backtick_run() -> None:
    source = markdown.render(load(HOSTILE), markdown.Options()).decode()
    assert "````mermaid\njourney\n" in source  # the map holds ``` so the fence needs four
    rendered = to_html(source)
    assert rendered.count('<pre><code class="language-mermaid">') == 1


def test_summary_tables_and_pain_points_with_their_opportunities() -> None:
    source = markdown.render(load(CHECKOUT), markdown.Options()).decode()
    assert source.startswith("# Buying a bike online\n")
    row = "| 1 | Browses city bikes | Daily commuter | Product page | Which size do I need? | curious |"
    assert row + " 🙂 +1 positive |" in source
    assert "| Checkout conversion | 61.5 % | 70 % (higher is better) | ❌ off target |" in source
    critical = source.index("- **Critical**: Cards are declined without a reason.")
    high = source.index("- **High**: The size guide")
    assert critical < high  # worst first
    assert "  - Opportunity (idea): Explain declines and offer another way to pay." in source
    assert "- Opportunity (idea): An assembly video. (3. Receive)" in source
    assert "```mermaid\njourney\n" in source


def test_options_heading_level_stage_filter_and_no_mermaid() -> None:
    source = markdown.render(
        load(CHECKOUT), markdown.Options(heading_level=2, stages=["buy"], mermaid=False)
    ).decode()
    assert source.startswith("## Buying a bike online\n")
    assert "#### 2. Buy" in source and "Discover" not in source
    assert "| **Stages** | 1 of 4 |" in source
    assert "mermaid" not in source


def test_pain_point_without_opportunity_says_so() -> None:
    loaded = load_bytes(
        b"journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n"
        b"    pain-points:\n      - {id: p, description: Slow, severity: low}\n",
        "m.yaml",
    )
    source = markdown.render(loaded, markdown.Options()).decode()
    assert "- **Low**: Slow (1. S)\n  - *No opportunity addresses this pain point yet.*" in source
