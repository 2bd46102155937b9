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
    FIDELITY,
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
        "a",
    }
    # The one link is the insight's address, percent-encoded where Markdown would read it.
    hrefs = re.findall(r'<a href="([^"]*)"', rendered)
    assert hrefs == ["https://example.com/a_%28b%29%3Cc%3E%22d%22?q=*x*&amp;y=%5Bz%5D"]
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
    assert "- Opportunity (idea; 3. Receive): An assembly video." in source
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
    assert "- **Low**: Slow\n  - Where: 1. S\n  - *No opportunity addresses this pain point yet.*" in source


def test_every_field_of_the_fidelity_issue_is_shown() -> None:
    source = markdown.render(load(FIDELITY), markdown.Options(mermaid=False)).decode()
    # Several personas, "; " between (names hold commas); no persona named: every persona.
    assert (
        "| Builds the list together<br>insights I1 | Sam, plans the week; Alex, adds to the basket |"
        in source
    )
    assert "| 3 | Checks the cupboards | every persona |" in source
    assert "A step that names no persona is taken by every persona." in source
    # Per-persona emotion, and "not scored" (never neutral) for a step with feelings in words only.
    assert "Sam, plans the week: 🙂 +1 positive<br>Alex, adds to the basket: 🙁 -1 negative" in source
    assert "| A bit bored | not scored | takes 10m |" in source
    # Branches say what they are, off which step, when, and where they rejoin.
    assert "↳ *failure path off “Picks a delivery slot”: if every evening slot is taken*" in source
    assert (
        "↳ *recovery path after “Finds every evening slot full”; rejoins at “Pays for the order”*" in source
    )
    assert "| **Steps** | 10 (3 off the main line) |" in source
    # Times per step and summed per stage on the main line (a lower bound when some are untimed).
    assert "**Time on the main line:** at least 30m doing (2 of 3 steps timed)" in source
    assert "**Time on the main line:** 15m doing, 1h-2h waiting" in source
    # Moments of truth and bright spots on steps; earned and third-party touchpoints.
    assert "Picks a delivery slot<br>★ **moment of truth**" in source
    assert "✓ bright spot: The friend shows the app on their phone" in source
    assert (
        "| A friend's recommendation | Friends and family (other) | earned (nobody here runs it) |  |"
        in source
    )
    assert "| Courier van | Delivery partner (partner) | third party |  |" in source
    # Metrics where they sit, with period, segment, persona, count and source.
    assert (
        "| Searches that find an evening slot | step “Picks a delivery slot” | 65 % "
        "| 80 % (higher is better) | ❌ off target "
        "| as of 2026-09-30 · Sam, plans the week · new customers | Slot service logs<br>insights I2 |"
    ) in source
    assert "| Sep 2026 · n=5,200 |" in source
    # The funnel as a table, with its biggest drop.
    assert "| stage “Plan the shop” | 10,000 | 38% (3,800 lost) — biggest drop |" in source
    assert "| step “Finds every evening slot full” | — | 35% |" in source
    # Unrated pain points stay unrated, counted apart.
    assert "- **Not rated**: Evening slots are gone by Tuesday for the weekend." in source
    assert "| **Pain points** | 2 (1 not rated) |" in source
    # Insights with source, date and link; cited by label.
    assert (
        "- **I1** Interview: Diary study with 12 households (2026-09-12) "
        "([link](https://research.example/grocery/diary-2026)): 9 of 12 households share one basket"
    ) in source
    assert "  - Insights: I2\n  - Shows in: Searches that find an evening slot\n" in source


def test_owner_and_evidence_never_run_on_after_a_full_stop() -> None:
    """Issue 11: "...tills., owner Ecommerce" — details are their own list items, not a trailing clause."""
    loaded = load_bytes(
        b"journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    pain-points:\n"
        b"      - {id: p, description: Queues at the tills., severity: high, owner: Ecommerce, "
        b"evidence: Store survey.}\n    opportunities:\n"
        b"      - {id: o, description: Self-checkout., owner: Stores, addresses: [p]}\n",
        "m.yaml",
    )
    source = markdown.render(loaded, markdown.Options()).decode()
    assert ".," not in source and ". (" not in source
    assert (
        "- **High**: Queues at the tills.\n  - Where: 1. S\n  - Owner: Ecommerce\n"
        "  - Evidence: Store survey.\n" in source
    )
    assert "  - Opportunity (idea; owner Stores): Self-checkout.\n" in source


def test_future_map_says_which_baseline_pain_points_it_resolves() -> None:
    from tests.conftest import EXAMPLES

    source = markdown.render(load(EXAMPLES / "broadband-home-move-future.yaml"), markdown.Options()).decode()
    assert (
        "  - Resolves pain points of the baseline broadband-home-move-current: move-only-by-phone, "
        "switching-looks-easier, router-to-old-address"
    ) in source
