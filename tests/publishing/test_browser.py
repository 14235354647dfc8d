"""End to end: the built site in a real headless Chromium (Debian's
``chromium`` and ``chromium-driver``, installed by tests/setup/chromium.sh).

Skipped with a reason when the binaries are missing, except under CI=true,
where a missing browser is a failure (a green run must mean the browser test
ran). Screenshots are kept in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from tests.publishing.registry import REPO, make_registry, sample_entries

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "tests" / "artifacts"


def _require_browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium Python package")
    if not missing:
        return
    reason = f"browser test needs {', '.join(missing)} (run tests/setup/chromium.sh as root, or apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; under CI=true this is a failure, not a skip")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    _require_browser()
    root = make_registry(tmp_path_factory.mktemp("registry"), sample_entries())
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "bot.site", "--root", str(root), "--out", str(out), "--repo", "example-org/igov-registry", "--date", "2026-11-29"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(served_site):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shot(driver, name: str, width: int = 1280) -> Path:
    """The first screen (``NAME-top.png``) and the full page (``NAME.png``,
    the window as tall as the page, up to a limit)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, 900)
    driver.save_screenshot(str(ARTIFACTS / f"{name}-top.png"))
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.set_window_size(width, max(height, 600))
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def _visible_entries(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return sorted(row.get_attribute("data-entry") for row in driver.find_elements(By.CSS_SELECTOR, "tr[data-entry]") if row.is_displayed())


def test_table_filters_and_entry_page(served_site, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    driver.get(served_site + "index.html")
    wait = WebDriverWait(driver, 10)
    wait.until(lambda d: d.find_element(By.ID, "filters").is_displayed())  # JS ran and showed the filters
    ids = [e["id"] for e in sample_entries()]
    assert _visible_entries(driver) == sorted(ids)
    assert "Showing all 5 mechanisms." in driver.find_element(By.ID, "count").text
    # Hostile entry text is shown as text and never runs.
    hostile = driver.find_element(By.CSS_SELECTOR, "#entry-hostile-entry th a")
    assert hostile.text.startswith("<script>alert('x')</script>")
    assert driver.find_elements(By.CSS_SELECTOR, "main img") == []
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    _shot(driver, "site-index")

    Select(driver.find_element(By.ID, "f-scope")).select_by_value("regional")
    wait.until(lambda d: "Showing 2 of 5" in d.find_element(By.ID, "count").text)
    assert _visible_entries(driver) == ["cert-network", "hostile-entry"]
    Select(driver.find_element(By.ID, "f-issue")).select_by_value("cybersecurity")
    wait.until(lambda d: "Showing 1 of 5" in d.find_element(By.ID, "count").text)
    assert _visible_entries(driver) == ["cert-network"]
    assert "scope=regional" in driver.current_url and "issue=cybersecurity" in driver.current_url
    _shot(driver, "site-index-filtered")

    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    wait.until(lambda d: "Showing all 5" in d.find_element(By.ID, "count").text)
    Select(driver.find_element(By.ID, "f-group")).select_by_value("civil-society")
    wait.until(lambda d: "Showing 1 of 5" in d.find_element(By.ID, "count").text)
    assert _visible_entries(driver) == ["privacy-forum"]  # `none` does not count as taking part
    driver.find_element(By.CSS_SELECTOR, "#filters button[type=reset]").click()
    box = driver.find_element(By.ID, "f-q")
    box.send_keys("dns board")
    wait.until(lambda d: "Showing 1 of 5" in d.find_element(By.ID, "count").text)
    assert _visible_entries(driver) == ["national-dns-board"]

    # Keyboard: the entry link is reachable and opens the page.
    link = driver.find_element(By.CSS_SELECTOR, "#entry-national-dns-board th a")
    link.send_keys("\n")
    wait.until(lambda d: d.current_url.endswith("/entries/national-dns-board.html"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "National DNS Board"
    correction = driver.find_element(By.LINK_TEXT, "Propose a correction").get_attribute("href")
    assert correction == (
        "https://github.com/example-org/igov-registry/issues/new?template=correct-entry.yml&entry=national-dns-board"
        "&title=Correction%3A%20national-dns-board"
    )
    history = driver.find_element(By.LINK_TEXT, "History of this entry").get_attribute("href")
    assert history == "https://github.com/example-org/igov-registry/commits/main/entries/national-dns-board.yaml"
    _shot(driver, "site-entry")

    driver.get(served_site + "entries/hostile-entry.html")
    assert "Awaiting verification" in driver.find_element(By.CSS_SELECTOR, ".badge-pending").text
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text

    driver.get(served_site + "coverage.html")
    cell = driver.find_element(By.CSS_SELECTOR, "#stakeholders tr[data-issue=cybersecurity] td[data-col=technical-community]")
    assert cell.text == "2"
    _shot(driver, "site-coverage")


def test_phone_width(served_site, browser):
    from selenium.webdriver.common.by import By

    driver = browser
    driver.set_window_size(400, 860)
    try:
        driver.get(served_site + "index.html")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the page scrolls sideways on a phone ({width}px wide)"
        assert driver.find_element(By.ID, "f-q").is_displayed()
        _shot(driver, "site-index-phone", width=400)
        driver.get(served_site + "entries/cert-network.html")
        _shot(driver, "site-entry-phone", width=400)
    finally:
        driver.set_window_size(1280, 900)
