"""Directory walks: which files are found, and how ``.gitignore`` files prune them (cases as data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journeyctl.errors import UsageError
from journeyctl.walk import GitIgnore, discover, walk_order

#: Each case: the files of a tree (``.gitignore`` files among them, with their text), the
#: directory walked (relative to the tree), and the YAML files found (relative to the tree).
CASES = [
    pytest.param(
        {".gitignore": "generated/\n", "maps/a.yaml": "", "maps/generated/b.yaml": ""},
        ".",
        ["maps/a.yaml"],
        id="directory-pattern-prunes-at-any-depth",
    ),
    pytest.param(
        {".gitignore": "/a.yaml\n", "a.yaml": "", "sub/a.yaml": ""},
        ".",
        ["sub/a.yaml"],
        id="anchored-pattern-only-at-its-directory",
    ),
    pytest.param(
        {"maps/.gitignore": "*.yaml\n!keep.yaml\n", "maps/x.yaml": "", "maps/keep.yaml": "", "top.yaml": ""},
        ".",
        ["maps/keep.yaml", "top.yaml"],
        id="negation-re-includes-and-patterns-are-relative-to-their-file",
    ),
    pytest.param(
        {
            ".gitignore": "*.draft.yaml\n",
            "deep/.gitignore": "!*.draft.yaml\n",
            "a.draft.yaml": "",
            "deep/b.draft.yaml": "",
        },
        ".",
        ["deep/b.draft.yaml"],
        id="a-deeper-file-wins",
    ),
    pytest.param(
        {".gitignore": "old/\n", "old/.gitignore": "!*.yaml\n", "old/a.yaml": ""},
        ".",
        [],
        id="nothing-re-includes-below-an-ignored-directory",
    ),
    pytest.param(
        {".gitignore": "maps/drafts/\n", "maps/a.yaml": "", "maps/drafts/b.yaml": ""},
        "maps",
        ["maps/a.yaml"],
        id="the-repository-root-gitignore-applies-to-a-subdirectory-walk",
    ),
    pytest.param(
        {".gitignore": "generated/\n*.tmp.yaml\n", "generated/a.yaml": "", "generated/b.tmp.yaml": ""},
        "generated",
        ["generated/a.yaml"],
        id="an-ignored-directory-asked-for-by-name-is-walked-with-the-rules-inside-it",
    ),
    pytest.param(
        {".git/info/exclude": "local.yaml\n", "local.yaml": "", "a.yaml": ""},
        ".",
        ["a.yaml"],
        id="info-exclude-counts",
    ),
    pytest.param(
        {".gitignore": "# a comment\n\n\\#hash.yaml\n", "#hash.yaml": "", "a.yaml": ""},
        ".",
        ["a.yaml"],
        id="comments-blank-lines-and-escapes",
    ),
]


def make_tree(root: Path, files: dict[str, str]) -> None:
    (root / ".git").mkdir()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def found(root: Path, walked: str, **options: bool) -> list[str]:
    start = root / walked
    return sorted(
        os.path.relpath(c.path, root).replace(os.sep, "/") for c in discover([str(start)], **options)
    )


@pytest.mark.parametrize(("files", "walked", "expected"), CASES)
def test_gitignore_cases(tmp_path: Path, files: dict[str, str], walked: str, expected: list[str]) -> None:
    make_tree(tmp_path, files)
    assert found(tmp_path, walked) == expected


def test_no_ignore_finds_everything(tmp_path: Path) -> None:
    make_tree(tmp_path, {".gitignore": "*.yaml\n", "a.yaml": "", "b/c.yaml": ""})
    assert found(tmp_path, ".") == []
    assert found(tmp_path, ".", respect_gitignore=False) == ["a.yaml", "b/c.yaml"]


def test_outside_a_repository_only_gitignore_files_from_the_walked_directory_down_count(
    tmp_path: Path,
) -> None:
    (tmp_path / ".gitignore").write_text("*.yaml\n")
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.yaml").write_text("")
    (tmp_path / "maps" / "sub").mkdir()
    (tmp_path / "maps" / "sub" / ".gitignore").write_text("b.yaml\n")
    (tmp_path / "maps" / "sub" / "b.yaml").write_text("")
    if any((parent / ".git").exists() for parent in tmp_path.parents):
        pytest.skip("the temporary directory is inside a git repository")
    assert found(tmp_path, "maps") == ["maps/a.yaml"]


def test_files_named_on_the_command_line_are_never_ignored(tmp_path: Path) -> None:
    make_tree(tmp_path, {".gitignore": "*.yaml\n", "a.yaml": ""})
    assert [c.explicit for c in discover([str(tmp_path / "a.yaml")])] == [True]


def test_gitignore_reads_each_directory_once(tmp_path: Path) -> None:
    make_tree(tmp_path, {".gitignore": "x/\n"})
    rules = GitIgnore(str(tmp_path))
    assert rules.ignored(str(tmp_path / "x"), is_dir=True)
    assert not rules.ignored(str(tmp_path / "x"), is_dir=False)  # "x/" names directories only
    assert set(rules._specs) == {str(tmp_path)}


def test_a_misspelt_path_suggests_its_neighbour(tmp_path: Path) -> None:
    (tmp_path / "checkout.yaml").write_text("")
    with pytest.raises(UsageError) as raised:
        discover([str(tmp_path / "chekout.yaml")])
    assert raised.value.message == f"{tmp_path / 'chekout.yaml'}: no such file or directory"
    assert raised.value.hint == f"did you mean {tmp_path / 'checkout.yaml'}?"
    with pytest.raises(UsageError) as unrelated:
        discover([str(tmp_path / "zzz.yaml")])
    assert unrelated.value.hint is None


def test_walk_order_sorts_paths_as_discover_walks_them(tmp_path: Path) -> None:
    for name in ["b.yaml", "a/z.yaml", "a/b/c.yaml", "a.yaml", "a/a.yaml", "ab/x.yaml", "a-b.yaml", "A.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("journeyctl: 1\n")
    walked = [candidate.path for candidate in discover([str(tmp_path)])]
    assert len(walked) == 8
    assert sorted(walked, key=walk_order) == walked
    assert sorted(reversed(walked), key=walk_order) == walked
