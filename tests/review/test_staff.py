"""Staff accounts: password hashing, login checks and the `wegwijzer staff`
command (run for real as a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from wegwijzer.cli import ensure_database
from wegwijzer.db.models import StaffMember
from wegwijzer.db.session import session_scope
from wegwijzer.staff import StaffError, check_password, create_staff, hash_password, set_password, verify_login

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('staff-db') / 'staff.db'}"
    ensure_database(url)
    return url


def test_hash_format_salt_and_check() -> None:
    first, second = hash_password("een goed wachtwoord"), hash_password("een goed wachtwoord")
    assert first != second  # a fresh salt each time
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert salt and digest and "wachtwoord" not in first
    assert check_password("een goed wachtwoord", first)
    assert not check_password("een goed wachtwoorD", first)
    assert not check_password("een goed wachtwoord", None)
    assert not check_password("x", "scrypt$3$8$1$abc$def")  # n not a power of two
    assert not check_password("x", "plain-text")


def test_create_verify_and_change_password(url: str) -> None:
    with session_scope(url) as session:
        member = create_staff(session, "Carla", "Carla Jansen", "wachtwoord-van-carla", telegram_user_id=4242)
        assert member.username == "carla"
        assert member.password_hash.startswith("scrypt$") and "wachtwoord-van-carla" not in member.password_hash
    with session_scope(url) as session:
        assert verify_login(session, "carla", "wachtwoord-van-carla").display_name == "Carla Jansen"
        assert verify_login(session, "CARLA ", "wachtwoord-van-carla") is not None
        assert verify_login(session, "carla", "verkeerd-wachtwoord") is None
        assert verify_login(session, "niemand", "wachtwoord-van-carla") is None
        set_password(session, "carla", "nieuw-wachtwoord-carla")
    with session_scope(url) as session:
        assert verify_login(session, "carla", "wachtwoord-van-carla") is None
        assert verify_login(session, "carla", "nieuw-wachtwoord-carla") is not None
        session.execute(select(StaffMember).where(StaffMember.username == "carla")).scalar_one().active = False
    with session_scope(url) as session:
        assert verify_login(session, "carla", "nieuw-wachtwoord-carla") is None  # not active any more


def test_refuses_bad_accounts(url: str) -> None:
    with session_scope(url) as session:
        create_staff(session, "dirk", "Dirk", "wachtwoord-van-dirk", telegram_user_id=777)
    for args, message in [
        (("dirk", "Dirk 2", "nog-een-wachtwoord"), "bestaat al"),
        (("eva", "Eva", "kort"), "te kort"),
        (("e va", "Eva", "lang-genoeg-wachtwoord"), "gebruikersnaam"),
        (("eva", " ", "lang-genoeg-wachtwoord"), "naam"),
    ]:
        with session_scope(url) as session, pytest.raises(StaffError, match=message):
            create_staff(session, *args)
    with session_scope(url) as session, pytest.raises(StaffError, match="Telegram"):
        create_staff(session, "eva", "Eva", "lang-genoeg-wachtwoord", telegram_user_id=777)


def run_cli(url: str, *args: str, password: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=url)
    env.pop("WEGWIJZER_STAFF_PASSWORD", None)
    if password is not None:
        env["WEGWIJZER_STAFF_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", "staff", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_staff_command(url: str) -> None:
    added = run_cli(
        url,
        "add",
        "fenna",
        "--name",
        "Fenna Bakker",
        "--telegram-id",
        "31337",
        "--admin",
        password="wachtwoord-van-fenna",
    )
    assert added.returncode == 0, added.stderr
    assert "fenna" in added.stdout and "wachtwoord-van-fenna" not in added.stdout + added.stderr
    with session_scope(url) as session:
        member = verify_login(session, "fenna", "wachtwoord-van-fenna")
        assert member is not None and member.is_admin and member.telegram_user_id == 31337

    again = run_cli(url, "add", "fenna", "--name", "Fenna", password="wachtwoord-van-fenna")
    assert again.returncode == 2 and "bestaat al" in again.stderr

    changed = run_cli(url, "passwd", "fenna", password="ander-wachtwoord-fenna")
    assert changed.returncode == 0, changed.stderr
    with session_scope(url) as session:
        assert verify_login(session, "fenna", "wachtwoord-van-fenna") is None
        assert verify_login(session, "fenna", "ander-wachtwoord-fenna") is not None

    listed = run_cli(url, "list")
    assert listed.returncode == 0, listed.stderr
    line = next(line for line in listed.stdout.splitlines() if line.startswith("fenna"))
    assert "Fenna Bakker" in line and "beheerder" in line and "scrypt" not in listed.stdout

    missing = run_cli(url, "passwd", "niemand", password="wachtwoord-voor-niemand")
    assert missing.returncode == 2 and "bestaat niet" in missing.stderr


def test_staff_command_without_password_changes_nothing(url: str) -> None:
    # no WEGWIJZER_STAFF_PASSWORD and no terminal: getpass reads the (empty) input
    done = run_cli(url, "add", "gert", "--name", "Gert")
    assert done.returncode == 2 and "Geen wachtwoord" in done.stderr
    differ = run_cli(url, "add", "gert", "--name", "Gert", stdin="wachtwoord-een\nwachtwoord-twee\n")
    assert differ.returncode == 2 and "niet hetzelfde" in differ.stderr
    with session_scope(url) as session:
        assert session.execute(select(StaffMember).where(StaffMember.username == "gert")).first() is None
