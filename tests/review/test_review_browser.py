"""The review page in a real headless Chromium (Selenium), at the size of a
phone (390 × 844), against the app served by uvicorn on 127.0.0.1 (see
tests/browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from review.app import create_app
from tests.browser import fits_the_screen, heading, screenshot, served, wait
from tests.review.seed import CHAT_ID_BASE, PASSWORD, PSEUDONYM_PREFIX, STAFF_NAME, USERNAME, Seeded

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(review_db: tuple[str, Seeded]) -> Iterator[str]:
    url, _ = review_db
    with served(create_app(url, secret=b"browser-test")) as base:
        yield base


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
