"""The `wegwijzer` command, run for real as a subprocess against a SQLite
database of this module's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
# The contract of `nearest --json` (every door has these fields).
RESULT_KEYS = {
    "name",
    "kind",
    "address",
    "postcode",
    "place",
    "gemeente",
    "phone",
    "website",
    "appointment_url",
    "lat",
    "lon",
    "distance_km",
    "source",
    "checked",
}


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("cli-db")
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{folder / 'wegwijzer.db'}"
    env["WEGWIJZER_VAR"] = str(folder)
    done = subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", "import", "tests/data/counters.csv", "--source", "tests"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "4 gelezen, 4 nieuw" in done.stdout
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wegwijzer.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def counters_with_source(env: dict[str, str], source: str) -> int:
    from wegwijzer.db.models import Counter
    from wegwijzer.db.session import session_scope

    with session_scope(env["DATABASE_URL"]) as session:
        return session.execute(select(func.count(Counter.id)).where(Counter.source == source)).scalar_one()


# -- nearest --------------------------------------------------------------------------------
def test_nearest_postcode_json(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "9561 AB", "--kind", "ido", "--json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert isinstance(results, list) and results
    for result in results:
        assert set(result) >= RESULT_KEYS, result
    first = results[0]
    assert first["name"] == "IDO Proefbibliotheek Ter Apel"
    assert first["kind"] == "ido"
    assert first["source"] == "tests"
    assert first["confirmed"] is True
    assert (first["lat"], first["lon"]) == (52.877, 7.06)
    assert isinstance(first["distance_km"], float) and 0 <= first["distance_km"] < 2
    distances = [r["distance_km"] for r in results if r["distance_km"] is not None]
    assert distances == sorted(distances)
    assert all(r["kind"] == "ido" for r in results)


def test_nearest_gemeente_gives_the_persons_own_town_hall(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "8261", "--kind", "gemeente", "--json")
    assert done.returncode == 0, done.stderr
    kampen = json.loads(done.stdout)[0]
    assert set(kampen) >= RESULT_KEYS
    assert (kampen["name"], kampen["kind"], kampen["gemeente"]) == ("Gemeente Kampen", "gemeente", "Kampen")
    assert kampen["address"] == "Burg Berghuisplein 1" and kampen["postcode"] == "8261 DD"
    assert kampen["phone"] == "14 038"
    assert kampen["lat"] is not None and kampen["lon"] is not None
    assert kampen["source"] == "roo" and kampen["checked"] == "2026-04-04"


def test_nearest_all_is_the_default_and_holds_the_town_halls(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "9561 AB", "-k", "10", "--json")
    assert done.returncode == 0, done.stderr
    kinds = {r["kind"] for r in json.loads(done.stdout)}
    assert {"ido", "gemeente"} <= kinds


def test_nearest_den_bosch_json_is_a_list(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "den bosch", "--kind", "ido", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # no test IDO within 25 km of 's-Hertogenbosch


def test_nearest_dordrecht_loket_by_gemeente(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "Dordrecht", "--kind", "loket", "--json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    drechtsteden = [r for r in results if r["name"] == "Overheidsbreed loket Drechtsteden (Dordrecht)"]
    assert len(drechtsteden) == 1
    loket = drechtsteden[0]
    assert loket["kind"] == "overheidsbreed_loket"
    assert loket["distance_km"] is None
    assert (loket["lat"], loket["lon"]) == (None, None)
    assert loket["confirmed"] is True and loket["status"] == "confirmed"
    assert loket["checked"] == "2025-05-28"  # the date of the source
    assert loket["source"] == "overheidsbrede_loketten.json"
    papendrecht = json.loads(run(cli_env, "nearest", "Papendrecht", "--kind", "loket", "--json").stdout)
    assert [r["status"] for r in papendrecht if "Papendrecht" in r["name"]] == ["trial"]  # the source: a trial
    assert all(r["kind"] == "overheidsbreed_loket" for r in results)


def test_nearest_text_output(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "9561 AB", "--kind", "ido")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Dichtstbijzijnde Informatiepunten Digitale Overheid bij 9561 AB (Ter Apel)")
    assert "IDO Proefbibliotheek Ter Apel" in lines[1]


# -- places -------------------------------------------------------------------------------------
def test_places_den_bosch(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "places", "den bosch")
    assert done.returncode == 0, done.stderr
    assert "'s-Hertogenbosch" in done.stdout
    assert "GM0796" in done.stdout
    assert done.stderr == ""


def test_places_hengelo_json(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "places", "Hengelo", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["query"] == "Hengelo"
    assert answer["status"] == "ambiguous"
    assert len(answer["places"]) == 2
    assert {p["gemeente_code"] for p in answer["places"]} == {"GM0164", "GM1876"}
    assert {p["key"] for p in answer["places"]} == {"wp:3510", "wp:1535"}


# -- input that cannot be understood ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nearest", "xyzzyqq"), "Die plaats ken ik niet: 'xyzzyqq'."),
        (("places", "0000 AA"), "Die postcode bestaat niet of ken ik niet: '0000 AA'."),
        (("nearest", "Parijs"), "'Parijs' ligt niet in Nederland."),
        (("nearest", "Antwerpen", "--json"), "'Antwerpen' ligt niet in Nederland."),
        (("places", "48.8566,2.3522"), "ligt niet in Nederland."),
        (("nearest", ""), "Geef een postcode, een plaatsnaam of 'lat,lon'."),
    ],
)
def test_unknown_input_exits_2_with_a_dutch_message(
    cli_env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    done = run(cli_env, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("wegwijzer: "), done.stderr
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_an_ambiguous_name_for_nearest_asks_which_one(cli_env: dict[str, str]) -> None:
    done = run(cli_env, "nearest", "Rijswijk")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "meerdere plaatsen" in done.stderr
    for key in ("wp:2459", "wp:3383", "wp:3303"):
        assert key in done.stderr


# -- import -----------------------------------------------------------------------------------------
def test_import_of_a_bad_file_reports_lines_and_imports_nothing(cli_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "slecht.csv"
    bad.write_text(
        "source_id,kind,name,postcode,gemeente_code,lat,lon,phone\n"
        "cli-1,ido,Testinformatiepunt Goed,,GM0106,52.99,6.56,\n"  # line 2: good
        "cli-2,loket,Testloket Fout,,GM0106,,,\n"  # line 3: unknown kind
        "cli-3,ido,Testinformatiepunt Goed Twee,9401 AA,,,,0800 0543\n"  # line 4: good
        "cli-4,ido,Testinformatiepunt Nergens,,,,,\n"  # line 5: cannot be placed
        "cli-5,ido,Testinformatiepunt Buitenland,,GM0106,48.85,2.35,\n",  # line 6: not in NL
        encoding="utf-8",
    )
    done = run(cli_env, "import", str(bad), "--source", "cli-bad")
    assert done.returncode != 0
    assert done.stdout == ""
    assert "niets geïmporteerd" in done.stderr
    for line in ("regel 3:", "regel 5:", "regel 6:"):
        assert line in done.stderr, done.stderr
    for line in ("regel 2:", "regel 4:"):
        assert line not in done.stderr, done.stderr
    assert counters_with_source(cli_env, "cli-bad") == 0
    # The good file still imports afterwards.
    good = tmp_path / "goed.csv"
    good.write_text(
        "source_id,kind,name,postcode,gemeente_code,lat,lon,phone\n"
        "cli-1,ido,Testinformatiepunt Goed,,GM0106,52.99,6.56,\n",
        encoding="utf-8",
    )
    done = run(cli_env, "import", str(good), "--source", "cli-bad")
    assert done.returncode == 0, done.stderr
    assert counters_with_source(cli_env, "cli-bad") == 1


def test_import_of_a_missing_file(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run(cli_env, "import", str(tmp_path / "bestaat-niet.csv"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "bestaat niet" in done.stderr
