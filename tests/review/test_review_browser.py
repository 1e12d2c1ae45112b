"""The review page in a real headless Chromium (Selenium), at the size of a
phone (390 × 844), against the app served by uvicorn on 127.0.0.1.

Needs the Debian packages chromium and chromium-driver (/usr/bin/chromium,
/usr/bin/chromedriver). Without them this test FAILS on purpose: CI
installs them.
"""

from __future__ import annotations

import base64
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from review.app import create_app
from tests.review.seed import CHAT_ID_BASE, PASSWORD, PSEUDONYM_PREFIX, STAFF_NAME, USERNAME, Seeded

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 10  # seconds, at most, for anything to appear


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(review_db: tuple[str, Seeded]) -> Iterator[str]:
    url, _ = review_db
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(url, secret=b"browser-test"), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, name="review-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=WAIT)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(
            f"Chromium is needed for this test and is missing: {', '.join(missing)}. "
            "Install it with: apt-get install -y chromium chromium-driver"
        )
    profile = tempfile.mkdtemp(prefix="review-chromium-")
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
        "--window-size=390,844",
    ):
        options.add_argument(argument)
    # Headless Chromium windows are at least 500 px wide; emulate the phone's
    # screen so the page really gets a 390 px wide viewport.
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": True}}
    )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, WAIT)


def heading(driver: WebDriver, text: str) -> None:
    wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), text))


def screenshot(driver: WebDriver, name: str) -> Path:
    """The whole page, not just the first screen."""
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


def test_review_page_in_a_phone_browser(browser: WebDriver, base_url: str, review_db: tuple[str, Seeded]) -> None:
    ids = review_db[1].ids

    # not logged in: the login page
    browser.get(base_url + "/")
    wait(browser).until(EC.url_contains("/login"))
    heading(browser, "Inloggen")
    assert browser.execute_script("return window.innerWidth;") == 390  # a phone's screen

    # a wrong password is refused, in words
    browser.find_element(By.ID, "gebruikersnaam").send_keys(USERNAME)
    browser.find_element(By.ID, "wachtwoord").send_keys("helemaal-verkeerd")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert "klopt niet" in browser.find_element(By.CSS_SELECTOR, "p.error").text

    # logging in through the form shows the list
    name_field = browser.find_element(By.ID, "gebruikersnaam")
    name_field.clear()
    name_field.send_keys(USERNAME)
    browser.find_element(By.ID, "wachtwoord").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    heading(browser, "Overdrachten")
    assert browser.current_url == base_url + "/"
    links = browser.find_elements(By.CSS_SELECTOR, "table.list a[href^='/overdrachten/']")
    assert len(links) == 5 and all(link.is_displayed() for link in links)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert STAFF_NAME in body and "Toeslagen" in body and "Groningen" in body
    assert "Spoed" in body  # e3 is urgent
    fits_the_screen(browser)
    screenshot(browser, "review-list.png")

    # a filter through the form
    browser.find_element(By.CSS_SELECTOR, "#gemeente option[value='Utrecht']").click()
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait(browser).until(EC.url_contains("gemeente=Utrecht"))
    shown = {
        int(a.get_attribute("href").rsplit("/", 1)[1])
        for a in browser.find_elements(By.CSS_SELECTOR, "table.list a[href*='/overdrachten/']")
    }
    assert shown == {ids["e3"], ids["e4"]}

    # one escalation
    browser.get(base_url + "/")
    heading(browser, "Overdrachten")
    browser.find_element(By.CSS_SELECTOR, f"a[href='/overdrachten/{ids['e1']}']").click()
    heading(browser, f"Overdracht #{ids['e1']}")
    transcript = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "ol.transcript")))
    assert "Mijn buurvrouw is haar DigiD kwijt." in transcript.text
    assert "[foto]" in transcript.text and "[BSN]" in transcript.text
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Doorverwezen naar IDO Groningen." in body and "<script>alert('x')</script>" in body  # shown as text
    assert "Opgelost" in body
    assert PSEUDONYM_PREFIX not in browser.page_source and str(CHAT_ID_BASE) not in browser.page_source
    fits_the_screen(browser)
    screenshot(browser, "review-detail.png")

    # the statistics, drawn as SVG on the server
    browser.find_element(By.LINK_TEXT, "Statistieken").click()
    heading(browser, "Statistieken")
    assert browser.find_element(By.ID, "stat-totaal").text == "5"
    assert browser.find_element(By.ID, "stat-mediaan").text == "15 min"
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg.bars")
    assert len(charts) == 4 and all(chart.is_displayed() for chart in charts)
    assert all(chart.size["width"] > 200 for chart in charts)
    assert "<svg" in browser.page_source
    assert not browser.find_elements(By.TAG_NAME, "script")
    fits_the_screen(browser)
    screenshot(browser, "review-stats.png")

    # logging out
    browser.find_element(By.CSS_SELECTOR, "form.logout button").click()
    heading(browser, "Inloggen")
    browser.get(base_url + "/statistieken")
    wait(browser).until(EC.url_contains("/login"))
