"""The notification tests' own message templates (kind visit_assigned, test-only: the real
ones belong to the events work) and a test attachment renderer."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader

from audit.notifications import core

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(app, monkeypatch):
    """Test templates first, then the app's (the base templates); the modules that render
    messages use it (`pytestmark`), the process test does not need an app of the run."""
    env = app.jinja_env
    monkeypatch.setattr(env, "loader", ChoiceLoader([FileSystemLoader(TEMPLATES), env.loader]))
    env.cache.clear() if env.cache is not None else None
    yield
    env.cache.clear() if env.cache is not None else None


@pytest.fixture
def pdf_renderer(monkeypatch):
    """A renderer registered as "test_pdf": it records its calls and makes a small file."""
    calls = []

    def render(user, ref):
        calls.append((user.id, ref))
        return f"visit-{ref}.pdf", b"%PDF-1.4 test " + str(ref).encode(), "application/pdf"

    monkeypatch.setitem(core._RENDERERS, "test_pdf", render)
    return calls
