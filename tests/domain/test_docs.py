"""The project explains itself: README and docs/ link only to files inside the repository,
and the demo logins the README lists are the ones `flask demo logins` prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from audit.demo import data
from audit.demo.cli import logins_command

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
LOCAL_URL = re.compile(r"^https?://(127\.0\.0\.1|localhost)([:/]|$)")


def _links(path: Path) -> list[str]:
    return LINK.findall(path.read_text(encoding="utf-8"))


def test_docs_folder_has_the_guides():
    names = {p.name for p in DOCS}
    assert {"README.md", "scoring.md", "shopper.md", "quality-manager.md",
            "franchise-owner.md", "admin.md"} <= names


def test_every_link_stays_inside_the_repository():
    problems = []
    for path in DOCS:
        for target in _links(path):
            if target.startswith("#") or LOCAL_URL.match(target):
                continue
            if re.match(r"^[a-z]+:", target):
                problems.append(f"{path.name}: {target} leaves the repository")
                continue
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            if not resolved.is_relative_to(ROOT):
                problems.append(f"{path.name}: {target} points outside the repository")
            elif not resolved.exists():
                problems.append(f"{path.name}: {target} does not exist")
    assert problems == []


def test_the_guides_are_reachable_from_the_readme():
    readme_links = set(_links(ROOT / "README.md"))
    for path in DOCS[1:]:
        assert f"docs/{path.name}" in readme_links, path.name


def test_demo_logins_prints_every_account_the_readme_lists():
    printed = CliRunner().invoke(logins_command).output
    accounts = [data.ADMIN[0], data.MANAGER[0], *(e for e, _ in data.OWNERS),
                *(e for e, _ in data.SHOPPERS)]
    assert data.PASSWORD in printed
    for email in accounts:
        assert email in printed, email
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([\w.]+@saomai\.demo)`", section))
    assert listed == set(accounts)
