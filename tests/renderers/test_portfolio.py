"""What the portfolio gathers across maps: emotion lines, index groups, and the cross-map lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeyctl.loader import LoadedMap, load_bytes
from journeyctl.renderers import portfolio, site
from tests.renderers.test_html_contrast import VARIABLES, contrast_ratio

TWO_PERSONAS = """\
journeyctl: 1
id: two
title: Two personas
state: {state}
{baseline}
tags: [{tags}]
personas:
  - {{ id: ana, name: Ana }}
  - {{ id: ben, name: Ben }}
stages:
  - id: s1
    name: First
    touchpoints:
      - {{ id: desk, name: Desk, channel: web, moment-of-truth: true }}
    steps:
      - {{ id: a1, action: Ana starts, persona: ana, emotion: 1 }}
      - {{ id: b1, action: Ben starts, persona: ben, emotion: -2, touchpoints: [desk] }}
      - {{ id: both, action: Both wait, emotion: 0, emotions: {{ ben: -1 }} }}
      - {{ id: side, action: A branch, kind: failure, branches-from: both, emotion: -2 }}
      - {{ id: a2, action: Ana unscored, persona: ana }}
      - {{ id: b2, action: Ben decides, persona: ben, emotion: 2, moment-of-truth: true }}
    pain-points:
      - {{ id: p-crit, description: Critical one, severity: critical, owner: Ops, step: b1 }}
      - {{ id: p-none, description: Unrated one, step: a1 }}
      - {{ id: p-low, description: Low one, severity: low, owner: Ops }}
    opportunities:
      - {{ id: o-quick, description: Quick, impact: high, effort: low, status: idea, addresses: [p-low] }}
      - {{ id: o-big, description: Big, impact: high, effort: high, status: in-progress }}
      - {{ id: o-done, description: Done one, impact: high, effort: low, status: done }}
      - {{ id: o-unrated, description: Unrated, impact: medium }}
    metrics:
      - {{ id: m-low, name: Conversion, value: 30, target: 60, unit: "%" }}
      - {{ id: m-ok, name: Fine, value: 70, target: 60 }}
      - {{ id: m-lower, name: Wait, value: 12, target: 10, better: lower, unit: min }}
channels:
  - {{ id: web, name: Web, kind: web }}
"""


def make_map(
    path: str = "two.yaml", *, state: str = "current", baseline: str = "", tags: str = "", ident: str = "two"
) -> LoadedMap:
    text = TWO_PERSONAS.format(state=state, baseline=f"baseline: {baseline}" if baseline else "", tags=tags)
    return load_bytes(text.replace("id: two", f"id: {ident}", 1).encode(), path)


def summary_of(loaded: LoadedMap, page: str = "two.html") -> portfolio.MapSummary:
    return portfolio.map_summary(loaded, page, site.findings_page_of(page), [])


def test_one_line_per_persona_through_its_own_main_line_steps() -> None:
    lines = portfolio.emotion_lines(make_map().journey)
    assert [(line.key, line.label) for line in lines] == [("ana", "Ana"), ("ben", "Ben")]
    ana, ben = lines
    # Main-line positions: a1=0, b1=1, both=2, a2=3, b2=4 (the failure branch is off the line).
    assert ana.points == ((0, 1), (2, 0), (3, None))  # her unscored step is a gap, not a 0
    assert ben.points == ((1, -2), (2, -1), (4, 2))  # his own score on the shared step


def test_a_map_with_one_persona_or_none_has_one_line() -> None:
    text = "journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n"
    text += "      - { id: a, action: A, emotion: 1 }\n      - { id: b, action: B }\n"
    text += "      - { id: c, action: C, emotions: {}, emotion: -1 }\n"
    (line,) = portfolio.emotion_lines(load_bytes(text.encode(), "m.yaml").journey)
    assert line.label == "Every customer" and line.points == ((0, 1), (1, None), (2, -1))


def test_sparkline_breaks_at_gaps_and_describes_each_persona() -> None:
    spark = site.sparkline(summary_of(make_map()))
    own = [line for line in spark.lines if not line.faint]
    assert [line.label for line in own] == ["Ana", "Ben"]
    ana = own[0]
    assert len(ana.segments) == 1 and ana.segments[0].count(",") == 2  # two points, then the gap
    assert len(ana.gaps) == 1
    assert own[0].style != own[1].style and own[0].dash != own[1].dash  # colour and dash differ
    assert "Ana: 3 steps, from +1 to 0, lowest 0, 1 not scored" in spark.description
    assert "Ben: 3 steps, from −2 to +2, lowest −2" in spark.description
    # y grows downwards: +2 at the top, -2 at the bottom, inside the padding.
    assert float(site._y(2)) == site.SPARK_PAD and float(site._y(-2)) == site.SPARK_HEIGHT - site.SPARK_PAD


def test_a_future_sparkline_draws_its_baseline_faintly_with_the_same_persona_styles() -> None:
    current = summary_of(make_map())
    future = summary_of(make_map("f.yaml", state="future", baseline="two", ident="f"), "f.html")
    spark = site.sparkline(future, current)
    faint = [line for line in spark.lines if line.faint]
    own = [line for line in spark.lines if not line.faint]
    assert [line.style for line in faint] == [line.style for line in own]
    assert all(not line.dots for line in faint) and "current state (Two personas)" in spark.description


def test_index_groups_put_a_future_map_beside_its_baseline() -> None:
    current = summary_of(make_map("a/two.yaml", tags="x, y"), "a/two.html")
    future = summary_of(make_map("a/f.yaml", state="future", baseline="two", ident="f", tags="y"), "a/f.html")
    other = summary_of(make_map("b/z.yaml", ident="z"), "b/z.html")
    (group_a, group_b) = portfolio.index_groups([other, future, current], "folder")
    assert (group_a.label, group_b.label) == ("a/", "b/")
    assert [(item.current.map_id, [f.map_id for f in item.futures]) for item in group_a.items] == [
        ("two", ["f"])
    ]
    by_tag = portfolio.index_groups([other, future, current], "tag")
    assert [g.label for g in by_tag] == ["x", "y", "No tag"]
    assert by_tag[0].items[0].futures == []  # the future map has no tag x: no pair there
    assert by_tag[1].items[0].futures == [future]
    by_state = portfolio.index_groups([other, future, current], "state")
    assert [g.label for g in by_state] == ["Current and future state", "Current state"]


def test_a_future_map_whose_baseline_is_elsewhere_links_to_it() -> None:
    current = summary_of(make_map("a/two.yaml"), "a/two.html")
    future = summary_of(make_map("b/f.yaml", state="future", baseline="two", ident="f"), "b/f.html")
    groups = portfolio.index_groups([current, future], "folder")
    (loose,) = groups[1].items
    assert loose.current is future and loose.baseline is current


def gathered() -> portfolio.Portfolio:
    loaded = make_map()
    return portfolio.gather([(loaded, summary_of(loaded))])


def test_pain_points_by_owner_worst_first() -> None:
    owners = gathered().pains_by_owner()
    assert [(owner, [v.pain.id for v in views]) for owner, views in owners] == [
        ("Ops", ["p-crit", "p-low"]),
        ("No owner", ["p-none"]),
    ]
    low = owners[0][1][1]
    assert low.addressed_by == (("Quick", "idea"),)


def test_opportunity_matrix_and_what_to_do_next() -> None:
    found = gathered()
    matrix = found.matrix()
    assert [v.opportunity.id for v in matrix[("high", "low")]] == ["o-quick", "o-done"]
    assert [v.opportunity.id for v in matrix[("high", "high")]] == ["o-big"]
    assert [v.opportunity.id for v in found.unrated_opportunities()] == ["o-unrated"]
    # Best impact for effort first, done last.
    assert [v.opportunity.id for v in found.opportunities] == ["o-quick", "o-big", "o-unrated", "o-done"]


def test_moments_of_truth_at_risk_without_a_plan_first() -> None:
    found = gathered()
    # The desk (used by Ben's -2 step) is at risk with a pain point but no opportunity on it;
    # Ben's deciding step feels +2: not at risk.
    assert [(v.kind, v.place.anchor, v.lowest, v.has_plan) for v in found.moments] == [
        ("Touchpoint", "touchpoint-desk", -2, False)
    ]
    assert found.moments_total == 2
    assert [(p.id, anchor) for p, anchor in found.moments[0].pains] == [("p-crit", "pain-p-crit")]


def test_an_opportunity_on_two_pain_points_of_a_moment_is_one_plan() -> None:
    text = TWO_PERSONAS.format(state="current", baseline="", tags="").replace(
        "addresses: [p-low]", "addresses: [p-low, p-crit, p-other]"
    )
    text = text.replace(
        "      - { id: p-low,",
        "      - { id: p-other, description: Other, touchpoint: desk }\n      - { id: p-low,",
    )
    loaded = load_bytes(text.encode(), "two.yaml")
    (moment,) = portfolio.gather([(loaded, summary_of(loaded))]).moments
    assert [p.id for p, _ in moment.pains] == ["p-crit", "p-other"]
    assert moment.plans == (("Quick", "idea"),)


def test_off_target_metrics_furthest_first_both_directions() -> None:
    found = gathered()
    assert [(v.metric.id, round(v.relative_gap or 0, 2)) for v in found.metrics] == [
        ("m-low", 0.5),
        ("m-lower", 0.2),
    ]
    assert found.metrics_total == 3


def test_a_shared_insight_cited_by_two_maps_is_one_entry(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text(
        "journeyctl-shared: 1\ninsights:\n  - { id: calls, kind: support, source: Call logs }\n", "utf-8"
    )
    maps = []
    for name in ("a", "b"):
        text = (
            f"journeyctl: 1\nid: {name}\ntitle: {name.upper()}\ninclude: [shared.yaml]\n"
            "insights:\n  - { id: own, kind: survey, source: Own survey }\n"
            "stages:\n  - id: s\n    name: S\n    steps:\n"
            "      - { id: x, action: X, emotion: 0, insights: [calls, own] }\n"
        )
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, "utf-8")
        from journeyctl.loader import load_file

        loaded = load_file(path)
        maps.append((loaded, summary_of(loaded, f"{name}.html")))
    insights = portfolio.gather(maps).insights
    assert [(v.insight_id, v.maps, len(v.citations)) for v in insights] == [
        ("calls", 2, 2),
        ("own", 1, 1),
        ("own", 1, 1),
    ]
    assert insights[0].key == "insight-1" and insights[0].citations[0].place.anchor == "step-x"
    assert [v.origin for v in insights] == ["shared.yaml", "the map A", "the map B"]


@pytest.mark.parametrize("number", range(1, site.SPARK_STYLES + 1))
def test_persona_line_colours_reach_3_to_1_on_paper(number: int) -> None:
    css = (Path(site.__file__).parent / "templates" / "site.css").read_text("utf-8")
    colour = re.search(rf"--spark-{number}:\s*(#[0-9a-fA-F]{{6}})", css)
    assert colour, f"--spark-{number} is not defined in site.css"
    ratio = contrast_ratio(colour.group(1), VARIABLES["--paper"])
    assert ratio >= 3.0, f"--spark-{number}: {ratio:.2f}:1"
