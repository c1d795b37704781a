"""Every page each role can reach by following links from its start page: no console or
script error, no failed resource, no serious or critical axe-core violation, and no
horizontal scroll at 360 px except inside a table region that says it scrolls and takes the
keyboard (tabindex=0, a label)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from audit.demo import data
from tests.journeys.conftest import choose_language, log_in

pytestmark = pytest.mark.journey
ROLES = {"shopper": data.SHOPPERS[1][0], "quality_manager": data.MANAGER[0],
         "franchise_owner": data.OWNERS[0][0], "admin": data.ADMIN[0]}
SKIP = re.compile(r"(\.pdf|\.csv|\.xlsx|/export|/logout|/photos/|/thumbnail|/download|/file"
                  r"|/static/|/language/|/api/|/favicon)")
PAGES_PER_ROLE = 45


def _shape(path: str) -> str:
    """One page per kind of address: /visits/12 and /visits/13 are the same page."""
    return re.sub(r"\d+", "N", path)


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base) and not SKIP.search(parts.path):
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _overflow(page) -> list[str]:
    """Elements wider than the screen that are not inside a keyboard-scrollable region."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        return Array.from(document.querySelectorAll('body *')).filter(e => {
            const r = e.getBoundingClientRect();
            if (r.right <= width + 1 || r.width === 0) return false;
            const region = e.closest('[tabindex="0"][role=region]');
            return !region || region === e ? !region : false;
        }).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') +
            (e.className ? '.' + String(e.className).split(' ')[0] : ''));
    }""")


def _serious(results) -> list[str]:
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_reachable_page_is_clean(journey, open_browser, guard, role, lang):
    page = open_browser(phone=True, lang=lang)
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, journey, ROLES[role])
    choose_language(page, lang)
    axe = Axe()
    seen, queue, problems = set(), ["/"], []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if _shape(path) in seen:
            continue
        seen.add(_shape(path))
        response = page.goto(journey.url(path))
        if response is None or response.status >= 400:
            continue  # counted by the guard
        if page.locator("html").get_attribute("lang") != lang:
            problems.append(f"{path}: page not in {lang}")
        wide = _overflow(page)
        if wide:
            problems.append(f"{path}: wider than 360 px: {wide}")
        problems += [f"{path}: {v}" for v in _serious(axe.run(page))]
        queue += [p for p in _links(page, journey.base) if _shape(p) not in seen]
    assert len(seen) >= 3, seen
    assert not problems, "\n".join(problems)
