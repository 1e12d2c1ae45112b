"""The directory on the staff page, in real headless Chromium at phone size:
a report from a user waits there; a staff member of Assen adds an IDO (the
postcode gives its point) that the referral uses at once, edits it (kept in
the history), resolves the report, and is refused a door in Groningen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from sqlalchemy import select

from review.app import create_app
from tests.browser import fits_the_screen, heading, screenshot, served, wait
from wegwijzer.cli import ensure_database
from wegwijzer.db.models import Counter
from wegwijzer.db.session import session_factory, session_scope
from wegwijzer.directory import counter_index
from wegwijzer.doors import DoorStore
from wegwijzer.staff import create_staff

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "bert", "assen-regie-wachtwoord"


@pytest.fixture(scope="module")
def directory_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder: Path = tmp_path_factory.mktemp("directory-db")
    url = f"sqlite:///{folder / 'directory.db'}"
    ensure_database(url)
    with session_scope(url) as session:
        create_staff(session, USERNAME, "Bert Bakker", PASSWORD, gemeenten=["GM0106"])  # Assen only
        assen = session.execute(
            select(Counter).where(Counter.source == "roo", Counter.source_id == "GM0106")
        ).scalar_one()
        desk_id = assen.id
    DoorStore(session_factory(url)).report(desk_id, "Het gemeentehuis is op zaterdag dicht", "tg")
    with served(create_app(url, secret=b"directory-test")) as base:
        yield url, base


def log_in(browser: WebDriver, base: str) -> None:
    browser.delete_all_cookies()
    browser.get(base + "/login")
    browser.find_element(By.ID, "gebruikersnaam").send_keys(USERNAME)
    browser.find_element(By.ID, "wachtwoord").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    heading(browser, "Overdrachten")


def fill(browser: WebDriver, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = browser.find_element(By.ID, name)
        field.clear()
        field.send_keys(value)


def test_keeping_up_the_directory(browser: WebDriver, directory_site: tuple[str, str]) -> None:
    url, base = directory_site
    log_in(browser, base)
    browser.find_element(By.LINK_TEXT, "Deuren").click()
    heading(browser, "Deuren")
    reports = browser.find_element(By.ID, "meldingen").text
    assert "Gemeente Assen" in reports and "op zaterdag dicht" in reports
    first = browser.find_element(By.CSS_SELECTOR, "#deuren tbody tr").text
    assert first.startswith("Gemeente Assen")  # reported doors first
    fits_the_screen(browser)
    screenshot(browser, "directory-list.png")

    # A new IDO in Assen: the postcode gives the point, the history says who.
    browser.find_element(By.LINK_TEXT, "Nieuwe deur toevoegen").click()
    heading(browser, "Nieuwe deur")
    fill(
        browser,
        {
            "name": "IDO Bibliotheek Testwijk",
            "address": "Proefplein 7",
            "postcode": "9401 AA",
            "place": "Assen",
            "opening_hours": "Tu,Th 10:00-12:00",
            "attribution": "Opgegeven door de gemeente Assen (test)",
        },
    )
    browser.find_element(By.CSS_SELECTOR, "input[name=walk_in]").click()
    browser.find_element(By.CSS_SELECTOR, "#deur button[type=submit]").click()
    heading(browser, "IDO Bibliotheek Testwijk")
    assert "Wegwijzer gebruikt hem meteen" in browser.find_element(By.CSS_SELECTOR, "p.ok").text
    assert "Toegevoegd door web:bert" in browser.find_element(By.ID, "geschiedenis").text
    door_url = browser.current_url
    with session_scope(url) as session:
        door = session.execute(select(Counter).where(Counter.name == "IDO Bibliotheek Testwijk")).scalar_one()
        assert (door.kind, door.gemeente_code, door.walk_in, door.status) == ("ido", "GM0106", True, "confirmed")
        assert door.lat is not None and door.lon is not None  # from the PC4 area of 9401
    # Used at once by the referral (the index reloads within seconds).
    deadline = time.monotonic() + 10
    while "IDO Bibliotheek Testwijk" not in [d.name for d in counter_index(url).doors]:
        assert time.monotonic() < deadline, "the new door was not used"
        time.sleep(0.5)

    # An edit, kept in the history with the old and the new value.
    fill(browser, {"opening_hours": "Tu,Th 10:00-16:00"})
    browser.find_element(By.CSS_SELECTOR, "#deur button[type=submit]").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "geschiedenis"), "Gewijzigd"))
    history = browser.find_element(By.ID, "geschiedenis").text
    assert "Openingstijden: Tu,Th 10:00-12:00 → Tu,Th 10:00-16:00" in history
    screenshot(browser, "directory-door.png")

    # Bad hours are refused with a clear message and nothing changes.
    fill(browser, {"opening_hours": "di en do ochtend"})
    browser.find_element(By.CSS_SELECTOR, "#deur button[type=submit]").click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert "OpenStreetMap-notatie" in browser.find_element(By.CSS_SELECTOR, "p.error").text

    # The report on Assen's front desk is resolved.
    browser.get(base + "/deuren")
    browser.find_element(By.CSS_SELECTOR, "#meldingen a").click()
    heading(browser, "Gemeente Assen")
    fill(
        browser,
        {
            next(
                e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, "input[name=afhandeling]")
            ): "Nagevraagd: zaterdag dicht klopt"
        },
    )
    browser.find_element(By.XPATH, "//button[text()='Melding afhandelen']").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.ok"), "afgehandeld"))
    assert not DoorStore(session_factory(url)).reports()

    # A door in Groningen is not Bert's: refused, and not saved.
    browser.get(base + "/deuren/nieuw")
    fill(
        browser,
        {"name": "IDO Buiten Mijn Gemeente", "address": "Proefstraat 9", "postcode": "9711 AA", "attribution": "test"},
    )
    browser.find_element(By.CSS_SELECTOR, "#deur button[type=submit]").click()
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert "alleen deuren in uw eigen gemeenten" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    with session_scope(url) as session:
        assert session.execute(select(Counter).where(Counter.name == "IDO Buiten Mijn Gemeente")).first() is None
    screenshot(browser, "directory-refused.png")

    # The register's door of Assen: confirmed here, kept up in the register itself.
    browser.get(base + "/deuren?toon=all&gemeente=GM0106")
    browser.find_element(By.LINK_TEXT, "Gemeente Assen").click()
    heading(browser, "Gemeente Assen")
    assert browser.find_element(By.CSS_SELECTOR, "#deur fieldset").get_attribute("disabled") is not None
    browser.find_element(By.XPATH, "//button[text()='Klopt: vandaag nagekeken']").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "p.ok"), "Bevestigd"))
    assert "Bevestigd door web:bert" in browser.find_element(By.ID, "geschiedenis").text
    assert f"/deuren/{door.id}?" in door_url
