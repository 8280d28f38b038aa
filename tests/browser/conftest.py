"""Real-browser checks: Debian's Chromium driven by Playwright against a live test server.

Every page a journey visits goes through ``PageChecker.check``: axe-core (WCAG 2.0/2.1 A and
AA) in the browser, a screenshot under test-artifacts/screenshots/, on phones a check that
nothing scrolls sideways, and its HTML saved for one run of the Nu Html Checker at the end
of the journey.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageChecker:
    def __init__(self, page, journey: str, language: str, phone: bool):
        self.page = page
        self.journey = journey
        self.language = language
        self.phone = phone
        self.count = 0
        self.html_dir = ARTIFACTS / "html" / f"{journey}-{language}"
        self.shots = ARTIFACTS / "screenshots" / f"{journey}-{language}"
        for folder in (self.html_dir, self.shots):
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():
                old.unlink()

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        self.count += 1
        stem = f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}"
        page.screenshot(path=str(self.shots / f"{stem}.png"), full_page=True)
        assert page.evaluate("document.documentElement.lang") == self.language, name
        # Saved before axe is injected: the checker validates the page as the server made it.
        (self.html_dir / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({
                    id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
            }""",
            WCAG_TAGS,
        )
        assert violations == [], f"{name}: {json.dumps(violations, indent=1)}"
        if self.phone:
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 390px"

    def validate_html(self) -> None:
        files = sorted(str(p) for p in self.html_dir.glob("*.html"))
        assert files, "no pages were checked"
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            check=False,
        )
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        errors = [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
            for m in messages
            if m.get("type") == "error"
        ]
        assert errors == [], "\n".join(errors)
        print(
            f"\n{self.journey}-{self.language}: {self.count} pages checked "
            f"(axe-core: 0 violations, vnu: 0 errors)"
        )


@pytest.fixture
def open_checked_page(browser, live_server, transactional_db):
    """Open a browser tab in a language (and phone size) with a checker for every page."""
    contexts = []

    def _open(journey: str, language: str = "nl", phone: bool = False):
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            # The content security policy forbids inline scripts: axe is injected by the test.
            bypass_csp=True,
            base_url=live_server.url,
        )
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page, PageChecker(page, journey, language, phone)

    yield _open
    for context in contexts:
        context.close()
