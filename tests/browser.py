"""Real headless Chromium for the tests (Selenium), and the staff page
served by uvicorn on 127.0.0.1 for it to visit.

Needs the Debian packages chromium and chromium-driver (/usr/bin/chromium,
/usr/bin/chromedriver). Without them a browser test FAILS on purpose: `make
test` installs them. Tests that use the `browser` fixture must carry the
`browser` marker (tests/conftest.py checks it).
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from starlette.types import ASGIApp

from wegwijzer.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 10  # seconds, at most, for anything to appear
PHONE = {"width": 390, "height": 844}


@contextmanager
def served(app: ASGIApp) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", timeout_graceful_shutdown=2
        )
    )
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=WAIT)


def chromium() -> Iterator[WebDriver]:
    """A headless Chromium at the size of a phone (390 × 844)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(
            f"Chromium is needed for this test and is missing: {', '.join(missing)}. "
            "Install it with: apt-get install -y chromium chromium-driver"
        )
    profile = tempfile.mkdtemp(prefix="test-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--window-size={PHONE['width']},{PHONE['height']}",
    ):
        options.add_argument(argument)
    # Headless Chromium windows are at least 500 px wide; emulate the phone's
    # screen so the page really gets a 390 px wide viewport.
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {**PHONE, "pixelRatio": 2, "touch": True}})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver: WebDriver) -> WebDriverWait:
    # While a page is replaced (a form was sent, live.js refreshed a part),
    # an element just found may already be gone (stale, or "node does not
    # belong to the document"): look again until the wait ends.
    return WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,))


def heading(driver: WebDriver, text: str) -> None:
    wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))


def screenshot(driver: WebDriver, name: str) -> Path:
    """The whole page, not just the first screen, as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 5_000, f"{name} looks empty"
    return path


def fits_the_screen(driver: WebDriver) -> None:
    """Nothing sticks out to the side: no sideways scrolling on a phone."""
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the phone screen"
