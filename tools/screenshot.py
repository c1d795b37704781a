"""Screenshot pages of a running server at phone and desktop sizes (Debian's Chromium).

Usage: python tools/screenshot.py BASE_URL OUT_DIR EMAIL PASSWORD PATH [PATH ...]
Needs `pip install playwright` and `apt-get install chromium`; never downloads a browser.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SIZES = {"phone": {"width": 412, "height": 915}, "desktop": {"width": 1366, "height": 900}}


def main(base: str, out: str, email: str, password: str, paths: list[str]) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size_name, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="vi-VN",
                                          is_mobile=size_name == "phone")
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("input[type=submit]")
            for path in paths:
                page.goto(base + path)
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=f"{out}/{email.split('@')[0]}-{name}-{size_name}.png",
                                full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
