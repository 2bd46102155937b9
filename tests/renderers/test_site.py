"""The portfolio site: ``render DIR --format html -o SITE`` writes the maps' pages and the site's own.

The index (grouped, with sparklines and lint counts that link to findings
pages), a findings page per map, the cross-map pages; links that all resolve;
pages of maps no longer rendered removed, and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from journeyctl.cli import run
from journeyctl.loader import load_file
from journeyctl.output import write_tree
from journeyctl.renderers import site
from journeyctl.renderers.batch import MANIFEST_NAME, read_manifest
from tests.conftest import EXAMPLES
from tests.renderers.test_html import CANVAS, FIDELITY, XSS, Elements, parse

SHARED = """\
journeyctl-shared: 1
personas:
  - id: shared-person
    name: Shared person
    goals: [Be shared]
"""
NOT_A_MAP = "name: ci\non: [push]\n"
MINIMAL = (
    "journeyctl: 1\nid: minimal\ntitle: Minimal map\nstages:\n"
    "  - id: only\n    name: Only\n    steps:\n      - id: s\n        action: Act\n"
)
CROSS_PAGES = sorted(path for _, path in site.CROSS_PAGES.values())


@pytest.fixture
def maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory of maps: two at the top, one nested, a shared file and a CI file to skip."""
    monkeypatch.chdir(tmp_path)  # no project lint configuration: the recommended preset
    root = tmp_path / "maps"
    (root / "support team").mkdir(parents=True)
    shutil.copy(CANVAS, root / "repair.yaml")
    shutil.copy(XSS, root / "support team" / "hostile.yaml")
    (root / "zz-minimal.yml").write_text(MINIMAL, encoding="utf-8")
    (root / "shared.yaml").write_text(SHARED, encoding="utf-8")
    (root / "ci.yaml").write_text(NOT_A_MAP, encoding="utf-8")
    return root


@pytest.fixture
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site of examples/ plus the fidelity map (every field of the format), rendered once."""
    monkeypatch.chdir(tmp_path)
    maps = tmp_path / "maps"
    shutil.copytree(EXAMPLES, maps)
    shutil.copy(FIDELITY, maps / "fidelity.yaml")
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    return out


def html_files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def map_links(document: Elements) -> list[str]:
    """The hrefs of the maps' titles in the index, in order."""
    hrefs = []
    for tag, attrs in document.tags:
        if tag == "a" and "data-map" in attrs:
            hrefs.append(str(attrs["href"]))
    return hrefs


def lint_counts(directory: Path) -> dict[str, dict[str, int]]:
    """``journeyctl lint DIR --format json``'s findings by file and severity: what the site must show."""
    out = directory.parent / "lint.json"
    run(["lint", str(directory), "--format", "json", "-o", str(out), "-q"])
    counts: dict[str, dict[str, int]] = {}
    for finding in json.loads(out.read_text(encoding="utf-8"))["findings"]:
        per_file = counts.setdefault(os.path.realpath(finding["path"]), dict.fromkeys(site.SEVERITIES, 0))
        per_file[finding["severity"]] += 1
    out.unlink()
    return counts


# --- what the site holds ---------------------------------------------------------------------


def test_render_directory_writes_pages_findings_and_portfolio(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out)]) == 0
    assert "Rendered 3 maps" in capsys.readouterr().err
    pages = ["repair.html", "support team/hostile.html", "zz-minimal.html"]
    findings = [f"findings/{page}" for page in pages]
    assert html_files(out) == sorted([*pages, *findings, *CROSS_PAGES, "index.html"])
    document = parse((out / "index.html").read_text(encoding="utf-8"))
    # Grouped by folder (the default): the top folder first, then "support team/", by title in each.
    assert map_links(document) == ["repair.html", "zz-minimal.html", "support%20team/hostile.html"]
    text = "".join(document.text)
    headings = re.findall(
        r'<h2 id="[^"]+">([^<]+?) <span class="muted">', (out / "index.html").read_text("utf-8")
    )
    assert headings == ["Top folder", "support team/"]
    assert "2026-10-14" in text and "Service Design Guild" in text
    assert "some-current-map" in text and "(not in this site)" in text  # the future map's missing baseline
    manifest = read_manifest(str(out))
    assert sorted(manifest) == sorted([*pages, *findings, *CROSS_PAGES, "index.html"])
    for relative, entry in manifest.items():
        assert entry["format"] == "html"
        assert len(entry["sha256"]) == 64, relative


def test_lint_counts_are_what_lint_finds_and_link_to_the_findings_page(maps: Path, tmp_path: Path) -> None:
    """Map rules and rules across maps (the hostile map's baseline names no map), per map's own config."""
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    expected = lint_counts(maps)
    index = (out / "index.html").read_text(encoding="utf-8")
    for source, page in (
        (maps / "repair.yaml", "repair.html"),
        (maps / "support team" / "hostile.yaml", "support%20team/hostile.html"),
        (maps / "zz-minimal.yml", "zz-minimal.html"),
    ):
        counts = expected.get(os.path.realpath(source), dict.fromkeys(site.SEVERITIES, 0))
        row = index[index.index(f'data-map href="{page}"') :]
        row = row[: row.index("</tr>")]
        for severity, plural in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
            n = counts[severity]
            word = severity if n == 1 else plural
            if n:
                assert f'href="findings/{page}#{severity}">{n} <span class="count-word">{word}</span>' in row
            elif sum(counts.values()):
                assert f'>0 <span class="count-word">{word}</span>' in row
        if not sum(counts.values()):
            assert f'href="findings/{page}">No findings</a>' in row
        findings_page = (out / "findings" / unquote(page)).read_text(encoding="utf-8")
        for severity in site.SEVERITIES:
            section = findings_page[findings_page.index(f'id="{severity}"') :]
            section = section[: section.index("</section>")]
            assert section.count("<tr>") - ("<thead>" in section) == counts[severity], (page, severity)
    hostile = expected[os.path.realpath(maps / "support team" / "hostile.yaml")]
    assert hostile["error"] >= 1  # invalid-baseline, a rule across maps, is counted
    assert "JM901" in (out / "findings" / "support team" / "hostile.html").read_text(encoding="utf-8")
    totals = {s: sum(c[s] for c in expected.values()) for s in site.SEVERITIES}
    assert f"3 maps · {totals['error']} error" in index


def test_every_link_of_the_example_site_resolves(example_site: Path) -> None:
    """Every href and src of every page: the file exists, and so does the #fragment in it."""
    assert_links_resolve(example_site, minimum=500)


def test_a_future_map_links_its_baseline_in_another_folder_under_another_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The baseline's page is where the site puts its file, not "<baseline id>.html" beside this one.
    maps = tmp_path / "repo" / "maps"
    for folder, source, name in (
        ("current", "broadband-home-move-current.yaml", "home-move-today.yaml"),
        ("future", "broadband-home-move-future.yaml", "broadband-home-move-future.yaml"),
    ):
        shutil.copytree(EXAMPLES / "shared", maps / folder / "shared")
        shutil.copy(EXAMPLES / source, maps / folder / name)
    (tmp_path / "repo" / ".journeyctl.yaml").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "repo")
    assert run(["render", "maps", "-f", "html", "-o", "site"]) == 0
    page = (tmp_path / "repo" / "site" / "future" / "broadband-home-move-future.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../current/home-move-today.html"' in page
    assert_links_resolve(tmp_path / "repo" / "site", minimum=100)


def assert_links_resolve(site: Path, *, minimum: int) -> None:
    """Every href and src of every page of ``site`` names a file of the site, and its #fragment."""
    example_site = site
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            document = parse(page.read_text(encoding="utf-8"))
            ids[page] = {str(attrs["id"]) for _, attrs in document.tags if attrs.get("id")}
        return ids[page]

    checked = 0
    external = []
    for page in sorted(example_site.rglob("*.html")):
        document = parse(page.read_text(encoding="utf-8"))
        for tag, attrs in document.tags:
            for name in ("href", "src"):
                value = attrs.get(name)
                if value is None or tag in ("meta",):
                    continue
                parts = urlsplit(value)
                if parts.scheme:
                    assert parts.scheme == "https", (page, value)
                    external.append(value)
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), f"{page.relative_to(example_site)}: {value}"
                assert example_site.resolve() in target.parents, f"{page}: {value} leaves the site"
                if parts.fragment:
                    assert unquote(parts.fragment) in ids_of(target), (
                        f"{page.relative_to(example_site)}: {value}"
                    )
                checked += 1
    assert checked > minimum  # the walk really walked: cross-map pages link hundreds of entities
    assert external  # insights' sources are links out, and only https ones


def test_links_to_stages_a_page_leaves_out_go_to_the_page(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    text = (maps / "repair.yaml").read_text("utf-8")
    (maps / "again.yaml").write_text(text.replace("\nid: ", "\nid: again-", 1), "utf-8")
    stage = load_file(maps / "repair.yaml").journey.stages[0].id
    argv = ["render", str(maps / "repair.yaml"), str(maps / "again.yaml"), "-f", "html", "-o", str(out)]
    assert run([*argv, "-q", "-O", f"stages={stage}"]) == 0
    page_ids = {str(a["id"]) for _, a in parse((out / "repair.html").read_text("utf-8")).tags if a.get("id")}
    linked = 0
    for cross in CROSS_PAGES:
        for tag, attrs in parse((out / cross).read_text("utf-8")).tags:
            href = str(attrs.get("href") or "")
            if tag == "a" and href.startswith("../repair.html"):
                linked += 1
                fragment = urlsplit(href).fragment
                assert not fragment or fragment in page_ids, (cross, href)
    assert linked > 0


def test_example_site_has_the_portfolio(example_site: Path) -> None:
    index = (example_site / "index.html").read_text(encoding="utf-8")
    # The broadband future map sits beside its baseline, in one pair.
    pair = index[index.index('<tbody class="pair">') :]
    pair = pair[: pair.index("</tbody>")]
    assert "broadband-home-move-current.html" in pair and "broadband-home-move-future.html" in pair
    assert pair.index("broadband-home-move-current.html") < pair.index("broadband-home-move-future.html")
    assert "Improves on" in pair and "mean emotion" in pair
    # The future row's sparkline draws the baseline's persona lines faintly under its own.
    future_row = pair[pair.index('class="pair-future"') :]
    assert future_row.count("spark-line spark-1 faint") == 1 and 'spark-line spark-1"' in future_row
    assert index.count('class="spark"') == 6  # one sparkline per map
    opportunities = (example_site / "portfolio" / "opportunities.html").read_text(encoding="utf-8")
    for impact in ("high", "medium", "low"):
        for effort in ("low", "medium", "high"):
            assert f'id="cell-{impact}-{effort}"' in opportunities
    assert "What to do next" in opportunities
    pains = (example_site / "portfolio" / "pain-points.html").read_text(encoding="utf-8")
    assert "Pain points by owner and severity" in pains and "#pain-" in pains
    assert "#metric-" in (example_site / "portfolio" / "metrics.html").read_text(encoding="utf-8")
    insights = (example_site / "portfolio" / "insights.html").read_text(encoding="utf-8")
    # A shared insight (examples/shared/personas.yaml) cited by both broadband maps is one entry.
    assert "cited" in insights and "in 2 maps" in insights


@pytest.mark.parametrize(
    ("group_by", "labels"),
    [
        ("folder", ["Top folder", "support team/"]),
        ("state", ["Current state", "Future state"]),
    ],
)
def test_group_by_is_switchable(maps: Path, tmp_path: Path, group_by: str, labels: list[str]) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q", "--group-by", group_by]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<h2 id="[^"]+">([^<]+?) <span class="muted">', index)
    assert found == labels


def test_group_by_tag_puts_a_map_under_each_of_its_tags(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "by-tag"
    assert (
        run(["render", str(tmp_path / "maps"), "-f", "html", "-o", str(out), "-q", "--group-by", "tag"]) == 0
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<h2 id="[^"]+">([^<]+?) <span class="muted">', index)
    assert "broadband" in labels and "retail" in labels
    tags = {tag for path in (tmp_path / "maps").glob("*.yaml") for tag in load_file(path).journey.tags}
    assert set(labels) - {"No tag"} == tags
    # The broadband pair shares the tag "broadband": a pair in that group.
    group = index[index.index(">broadband <") :]
    group = group[: group.index("</section>")]
    assert '<tbody class="pair">' in group


def test_state_grouping_keeps_pairs_together(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "by-state"
    assert (
        run(["render", str(tmp_path / "maps"), "-f", "html", "-o", str(out), "-q", "--group-by", "state"])
        == 0
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    labels = re.findall(r'<h2 id="[^"]+">([^<]+?) <span class="muted">', index)
    assert labels[0] == "Current and future state"
    first = index[: index.index("</section>")]
    assert "broadband-home-move-current.html" in first and "broadband-home-move-future.html" in first


def test_unknown_group_by_is_a_usage_error(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["render", str(maps), "-f", "html", "-o", str(tmp_path / "s"), "--group-by", "team"]) == 2
    assert "choose one of folder, tag, state" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


# --- removed maps, and nothing else ------------------------------------------------------------


def test_a_deleted_map_loses_exactly_its_pages(
    example_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = example_site
    (out / "CNAME").write_text("journeys.example.com\n", encoding="utf-8")  # the user's, not journeyctl's
    (out / "notes").mkdir()
    (out / "notes" / "retail-first-online-purchase.html").write_text("mine", encoding="utf-8")
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (tmp_path / "maps" / "retail-first-online-purchase.yaml").unlink()
    assert run(["render", str(tmp_path / "maps"), "-f", "html", "-o", str(out)]) == 0
    assert "Removed 2 pages of maps no longer rendered" in capsys.readouterr().err
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert set(before) - set(after) == {
        "retail-first-online-purchase.html",
        "findings/retail-first-online-purchase.html",
    }
    assert set(after) - set(before) == set()
    assert after["CNAME"] == before["CNAME"] and after["notes/retail-first-online-purchase.html"] == b"mine"
    assert "retail-first-online-purchase" not in after["index.html"].decode()
    manifest = read_manifest(str(out))
    assert "retail-first-online-purchase.html" not in manifest and "CNAME" not in manifest


def test_removed_folders_go_when_empty_and_an_edited_page_stays(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    shutil.rmtree(maps / "support team")
    edited = out / "zz-minimal.html"
    edited.write_text(edited.read_text(encoding="utf-8") + "<!-- my note -->", encoding="utf-8")
    (maps / "zz-minimal.yml").unlink()
    assert run(["render", str(maps), "-f", "html", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert not (out / "support team").exists() and not (out / "findings" / "support team").exists()
    # Someone edited the page since journeyctl wrote it: kept, with a warning naming it.
    assert edited.exists() and "zz-minimal.html: warning: kept" in err
    assert not (out / "findings" / "zz-minimal.html").exists()
    assert "zz-minimal.html" not in read_manifest(str(out))


def test_pages_of_another_format_are_not_stale(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "-f", "md", "-o", str(out), "-q"]) == 0
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    assert (out / "repair.md").is_file() and (out / "repair.html").is_file()
    assert read_manifest(str(out))["repair.md"]["format"] == "md"


def test_a_link_in_place_of_a_stale_page_is_left_alone(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    precious = tmp_path / "precious.html"
    precious.write_text("keep", encoding="utf-8")
    (out / "zz-minimal.html").unlink()
    (out / "zz-minimal.html").symlink_to(precious)
    (maps / "zz-minimal.yml").unlink()
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    assert (out / "zz-minimal.html").is_symlink() and precious.read_text(encoding="utf-8") == "keep"


def test_write_tree_puts_removed_files_back_when_a_later_step_fails(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    (out / "old" / "gone.html").write_bytes(b"old page")
    (out / "a.html").write_bytes(b"a")
    (out / "blocker").mkdir()  # a directory where a file must go: the write fails
    with pytest.raises(Exception, match="blocker"):
        write_tree(out, [("a.html", b"new a"), ("blocker", b"x")], remove=["old/gone.html"])
    assert (out / "old" / "gone.html").read_bytes() == b"old page" and (out / "a.html").read_bytes() == b"a"
    write_tree(out, [("a.html", b"new a")], remove=["old/gone.html"])
    assert not (out / "old").exists() and (out / "a.html").read_bytes() == b"new a"


def test_a_hostile_manifest_removes_nothing_outside_the_site(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    victim = tmp_path / "victim.html"
    victim.write_text("mine", encoding="utf-8")
    document = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    document["files"]["../victim.html"] = {"format": "html"}
    document["files"]["/etc/hostname"] = {"format": "html"}
    (out / MANIFEST_NAME).write_text(json.dumps(document), encoding="utf-8")
    assert run(["render", str(maps), "-f", "html", "-o", str(out), "-q"]) == 0
    assert victim.read_text(encoding="utf-8") == "mine" and Path("/etc/hostname").exists()


# --- safety of the pages -----------------------------------------------------------------------


def test_site_pages_show_map_text_and_run_nothing(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q", "--group-by", "tag"]) == 0
    payload = "<script>window.__xss=1;alert(1)</script>"
    for page in ["index.html", "findings/support team/hostile.html", *CROSS_PAGES]:
        text = (out / page).read_text(encoding="utf-8")
        document = parse(text)
        assert [tag for tag, _ in document.tags if tag in ("script", "img", "iframe", "link", "object")] == []
        for tag, attrs in document.tags:
            assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
            href = attrs.get("href") or ""
            assert not href.lower().startswith(("javascript:", "data:")), (page, href)
        assert "default-src 'none'" in text
        if page != "findings/support team/hostile.html":
            assert payload in "".join(document.text), page
    insights = parse((out / "portfolio" / "insights.html").read_text(encoding="utf-8"))
    links = [
        str(a["href"]) for tag, a in insights.tags if tag == "a" and str(a.get("href")).startswith("https")
    ]
    assert links == [
        'https://example.com/?q=%22%3E%3Cscript%3Ewindow.__xss=6%3C/script%3E&x="><b/onmouseover=window.__xss=7>'
    ]


def test_site_is_byte_identical_across_runs_and_job_counts(maps: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run(["render", str(maps), "--format", "html", "-o", str(first), "-q", "-j", "1"]) == 0
    assert run(["render", str(maps), "--format", "html", "-o", str(second), "-q", "-j", "2"]) == 0
    for page in ["index.html", *CROSS_PAGES, "findings/repair.html"]:
        assert (first / page).read_bytes() == (second / page).read_bytes(), page


@pytest.mark.parametrize("name", ["index.yaml", "findings/repair.yaml", "portfolio/insights.yaml"])
def test_a_map_where_a_site_page_goes_fails_before_anything_is_written(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (maps / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CANVAS, maps / name)
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert ("which is the site index" if name == "index.yaml" else "which is a page of the site") in err
    assert not out.exists() or list(out.rglob("*")) == []


def test_one_file_renders_without_a_site(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "single"
    out.mkdir()
    assert run(["render", str(maps / "repair.yaml"), "--format", "html", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["repair.html"]


def test_other_formats_write_no_site(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert run(["render", str(maps), "--format", "md", "-o", str(out), "-q"]) == 0
    assert not (out / "index.html").exists() and not (out / "portfolio").exists()
    assert not (out / "findings").exists()


@pytest.mark.parametrize(
    ("page", "directory", "href"),
    [
        ("site/a.html", "site", "a.html"),
        ("site/team/b.html", "site", "team/b.html"),
        ("site/support team/c.html", "site", "support%20team/c.html"),
        ("site/équipe/d#1?.html", "site", "%C3%A9quipe/d%231%3F.html"),
        ("/abs/site/x/y.html", "/abs/site", "x/y.html"),
    ],
)
def test_page_hrefs_are_relative_and_encoded(page: str, directory: str, href: str) -> None:
    assert site.page_href(page, directory) == href


@pytest.mark.parametrize(
    ("source", "target", "fragment", "href"),
    [
        ("index.html", "a.html", "", "a.html"),
        ("index.html", "index.html", "", "index.html"),
        ("index.html", "index.html", "group-1", "#group-1"),
        ("portfolio/pain-points.html", "team x/a.html", "pain-p1", "../team%20x/a.html#pain-p1"),
        ("findings/team/a.html", "team/a.html", "", "../../team/a.html"),
        ("findings/team/a.html", "portfolio/metrics.html", "", "../../portfolio/metrics.html"),
        ("portfolio/insights.html", "a#b.html", "step-x", "../a%23b.html#step-x"),
    ],
)
def test_links_between_site_pages(source: str, target: str, fragment: str, href: str) -> None:
    assert site.relative_href(source, target, fragment) == href


def test_library_write_index_with_an_explicit_config(tmp_path: Path) -> None:
    from journeyctl.config import load_lint_config
    from journeyctl.lint.engine import lint_map

    loaded = load_file(CANVAS)
    config = load_lint_config(isolated=True)
    path = site.write_index(
        [(loaded, tmp_path / "maps" / "repair.html")], tmp_path, config=config, title="Our journeys"
    )
    assert path == tmp_path / "index.html"
    text = path.read_text(encoding="utf-8")
    assert "<title>Our journeys</title>" in text and 'href="maps/repair.html"' in text
    entry = site.build_index([(loaded, tmp_path / "r.html")], tmp_path, config=config).entries[0]
    expected = lint_map(loaded, config)
    assert entry.total_findings == len(expected) and list(entry.findings) == expected
    assert (entry.stages, entry.steps, entry.state) == (4, 6, "current")


# --- progress on a terminal ------------------------------------------------------------------


def _run_on_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the installed journeyctl with stderr on a pseudo-terminal; its exit code and what it printed."""
    import pty
    import subprocess
    import sys

    executable = Path(sys.executable).with_name("journeyctl")
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(executable), *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=follower,
            env=env,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=120)
    finally:
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def many_maps(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for number in range(60):  # above the progress bar's threshold of 50
        (root / f"m{number:02}.yaml").write_text(MINIMAL.replace("id: minimal", f"id: m{number}"), "utf-8")
    return root


def test_progress_shows_on_a_terminal_and_not_under_ci(many_maps: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env.update({"TERM": "xterm", "COLUMNS": "100"})
    argv = ["render", str(many_maps), "-f", "html", "-o", str(tmp_path / "a")]
    code, shown = _run_on_terminal(argv, env)
    assert code == 0, shown
    assert "rendering" in shown and "/60" in shown, shown
    assert "Rendered 60 maps" in shown
    code, shown = _run_on_terminal([*argv[:-1], str(tmp_path / "b")], {**env, "CI": "true"})
    assert code == 0 and "rendering" not in shown and "Rendered 60 maps" in shown


def test_progress_is_silent_when_stderr_is_piped(many_maps: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    executable = Path(sys.executable).with_name("journeyctl")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [str(executable), "render", str(many_maps), "-f", "html", "-o", str(tmp_path / "a")],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr.decode() == f"Rendered 60 maps to {tmp_path / 'a'} (html).\n"
