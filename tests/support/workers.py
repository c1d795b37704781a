"""Scheduling the suite on pytest-xdist's workers (`make test` runs `-n 3 --dist loadgroup`).

Tests that share a module-scoped fixture (a live server, a module's world, a backup
instance) run in one worker, so the fixture is built once: such a test gets the
`xdist_group` mark of its module unless it has one already (the journeys group by
configuration in tests/journeys/conftest.py). Every other test is scheduled on its own.

xdist's loadgroup reads the groups from node ids it suffixes with "@group", which pytest 9
no longer lets it change; so each worker writes its groups to a file the controller gave
it, and the controller's scheduler reads them from there.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

_SHARED = ("module", "package", "class")
_GROUPS = "xdist_groups_dir"


def _shares_a_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(defs[-1].scope in _SHARED for defs in info.name2fixturedefs.values() if defs)


def _group(item: pytest.Item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return None
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    workerinput = getattr(config, "workerinput", None)
    if workerinput and workerinput.get(_GROUPS):
        groups = {item.nodeid: g for item in items if (g := _group(item)) is not None}
        target = Path(workerinput[_GROUPS]) / f"{workerinput['workerid']}.json"
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps(groups))
        partial.replace(target)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # noqa: ANN001 - xdist's WorkerController
    """Controller: tell each worker where to write its groups."""
    config = node.config
    if not hasattr(config, "_xdist_groups_dir"):
        config._xdist_groups_dir = tempfile.mkdtemp(prefix="xdist-groups-")
    node.workerinput[_GROUPS] = config._xdist_groups_dir


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    """Controller: loadgroup, with the groups the workers wrote."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                self._groups = {}
                for written in Path(config._xdist_groups_dir).glob("*.json"):
                    self._groups.update(json.loads(written.read_text()))
            if nodeid in self._groups:
                return self._groups[nodeid]
            return super()._split_scope(nodeid)

    return GroupScheduling(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = getattr(config, "_xdist_groups_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
