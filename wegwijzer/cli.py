"""`wegwijzer`: the command line for welfare workers and administrators.

  wegwijzer nearest "9561 AB"         the nearest doors (also a place or "lat,lon")
      --kind ido|loket|all  -k N  --radius KM  --json
  wegwijzer places "den bosch"        what a name or postcode resolves to  [--json]
  wegwijzer import FILE               import counters (CSV, GeoJSON or Overpass JSON)
      --source NAME
  wegwijzer load                      create/upgrade the database and load the
                                      reference data (places, organisations, loketten)
  wegwijzer staff add USERNAME --name NAME [--telegram-id N] [--admin]
                                      a staff member for the review page (password
                                      from WEGWIJZER_STAFF_PASSWORD, else asked twice)
  wegwijzer staff passwd USERNAME     set a new password
  wegwijzer staff list                the staff members (never their passwords)

The database is DATABASE_URL (default: a SQLite file under var/). Input that
cannot be understood ends with exit code 2 and a Dutch message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wegwijzer.db.session import database_url, session_scope
from wegwijzer.directory import KINDS, CounterIndex
from wegwijzer.places import Gazetteer, Location, Resolution
from wegwijzer.settings import settings
from wegwijzer.texts import cli as say


def ensure_database(url: str | None = None) -> None:
    """Bring the schema up to date and load the reference data when empty."""
    from sqlalchemy import func, select

    from wegwijzer.db.migrate import upgrade_if_needed
    from wegwijzer.db.models import Organisation, Place
    from wegwijzer.importers.reference import load_reference_data

    upgrade_if_needed(url)
    with session_scope(url) as session:
        places = session.execute(select(func.count(Place.id))).scalar_one()
        organisations = session.execute(select(func.count(Organisation.id))).scalar_one()
        if not places or not organisations:
            load_reference_data(session)


def fail(message: str) -> int:
    print(say("failure", message=message), file=sys.stderr)
    return 2


def explain_failure(resolution: Resolution) -> str:
    if resolution.status == "ambiguous":
        names = "; ".join(f"{c.label()} [{c.key}]" for c in resolution.choices)
        return say("place_ambiguous", names=names)
    return say(f"place_{resolution.status}", query=resolution.query)


def location_json(location: Location) -> dict[str, Any]:
    return {
        "name": location.name,
        "kind": location.kind,
        "lat": location.lat,
        "lon": location.lon,
        "gemeente": location.gemeente,
        "gemeente_code": location.gemeente_code,
        "provincie": location.provincie,
        "key": location.key,
    }


def cmd_places(args: argparse.Namespace) -> int:
    with session_scope() as session:
        resolution = Gazetteer.from_session(session).resolve(args.query)
    if resolution.status not in {"found", "ambiguous"}:
        return fail(explain_failure(resolution))
    found = [resolution.location] if resolution.location else list(resolution.choices)
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "status": resolution.status, "places": [location_json(p) for p in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if resolution.status == "ambiguous":
        print(say("places_ambiguous", query=args.query))
    for place in found:
        print(
            say(
                "places_line",
                label=place.label(),
                kind=place.kind,
                gemeente=place.gemeente,
                code=place.gemeente_code,
                provincie=place.provincie,
                lat=place.lat,
                lon=place.lon,
                key=place.key,
            )
        )
    return 0


def cmd_nearest(args: argparse.Namespace) -> int:
    with session_scope() as session:
        resolution = Gazetteer.from_session(session).resolve(args.query)
        index = CounterIndex.from_session(session)
    if not resolution.found:
        return fail(explain_failure(resolution))
    here = resolution.location
    assert here is not None
    found = index.nearest(
        here.lat, here.lon, KINDS[args.kind], k=args.k, radius_km=args.radius, gemeente_code=here.gemeente_code
    )
    results = [
        {
            "name": f.door.name,
            "kind": f.door.kind,
            "distance_km": None if f.distance_km is None else round(f.distance_km, 2),
            "lat": f.door.lat,
            "lon": f.door.lon,
            "address": f.door.address,
            "postcode": f.door.postcode,
            "place": f.door.place,
            "gemeente": f.door.gemeente,
            "opening_hours": f.door.opening_hours,
            "phone": f.door.phone,
            "website": f.door.website,
            "source": f.door.source,
            "confirmed": f.door.confirmed,
            "note": f.door.status_note,
        }
        for f in found
    ]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(say("nearest_header", what=say(f"nearest_kind_{args.kind}"), place=here.label(), gemeente=here.gemeente))
    if not results:
        print(say("nearest_none", radius=args.radius))
    for r in results:
        where = say("nearest_in_gemeente") if r["distance_km"] is None else say("nearest_distance", km=r["distance_km"])
        checked = say("nearest_checked") if r["confirmed"] else say("nearest_not_checked")
        address = ", ".join(str(p) for p in (r["address"], r["place"]) if p) or say("nearest_no_address")
        print(
            say(
                "nearest_line",
                where=where,
                name=r["name"],
                kind=r["kind"],
                address=address,
                checked=checked,
                source=r["source"],
            )
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from wegwijzer.importers.counters import ImportFailed, import_file

    path = Path(args.file)
    if not path.is_file():
        return fail(say("import_no_file", file=args.file))
    try:
        with session_scope() as session:
            report = import_file(session, path, Gazetteer.from_session(session), source=args.source)
    except ImportFailed as failure:
        print(say("import_refused", count=len(failure.errors)), file=sys.stderr)
        for error in failure.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    except (ValueError, UnicodeDecodeError) as error:
        return fail(say("import_unreadable", error=error))
    print(
        say(
            "import_done",
            file=path.name,
            read=report.read,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            source=report.source,
        )
    )
    for line in report.skipped:
        print(say("import_skipped", line=line))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from wegwijzer.db.migrate import upgrade
    from wegwijzer.importers.reference import load_reference_data

    upgrade()
    with session_scope() as session:
        report = load_reference_data(session)
    print(
        say(
            "load_done",
            url=database_url(),
            places=report.places,
            organisations=report.organisations,
            counters=report.counters,
        )
    )
    return 0


def read_new_password() -> str | None:
    """WEGWIJZER_STAFF_PASSWORD, else typed twice (not shown); None when the
    two do not match or nothing was typed."""
    configured = settings().staff_password
    if configured is not None:
        return configured.get_secret_value()
    from getpass import getpass

    try:
        first = getpass(say("password_first"))
        second = getpass(say("password_again"))
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return None
    if not first:
        return None
    if first != second:
        print(say("password_mismatch"), file=sys.stderr)
        return None
    return first


def cmd_staff(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from wegwijzer.db.models import StaffMember
    from wegwijzer.staff import StaffError, create_staff, set_password

    if args.staff_command == "list":
        with session_scope() as session:
            members = session.execute(select(StaffMember).order_by(StaffMember.username)).scalars().all()
            if not members:
                print(say("staff_none_yet"))
            for m in members:
                flags = [
                    say("staff_telegram", id=m.telegram_user_id) if m.telegram_user_id else say("staff_no_telegram")
                ]
                if m.is_admin:
                    flags.append(say("staff_admin"))
                if not m.active:
                    flags.append(say("staff_inactive"))
                if not m.password_hash:
                    flags.append(say("staff_no_password"))
                print(f"{m.username}\t{m.display_name}\t{', '.join(flags)}")
        return 0
    password = read_new_password()
    if password is None:
        return fail(say("password_none"))
    try:
        with session_scope() as session:
            if args.staff_command == "add":
                member = create_staff(
                    session, args.username, args.name, password, telegram_user_id=args.telegram_id, is_admin=args.admin
                )
                message = say("staff_added", username=member.username, name=member.display_name)
            else:
                member = set_password(session, args.username, password)
                message = say("staff_password_saved", username=member.username)
    except StaffError as error:
        return fail(str(error))
    print(message)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wegwijzer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True)
    nearest = sub.add_parser("nearest", help="the nearest doors for a postcode, place or lat,lon")
    nearest.add_argument("query")
    nearest.add_argument("--kind", choices=sorted(KINDS), default="ido")
    nearest.add_argument("-k", type=int, default=5, help="how many (default 5)")
    nearest.add_argument("--radius", type=float, default=25.0, help="km (default 25)")
    nearest.add_argument("--json", action="store_true")
    nearest.set_defaults(run=cmd_nearest)
    places = sub.add_parser("places", help="what a name or postcode resolves to")
    places.add_argument("query")
    places.add_argument("--json", action="store_true")
    places.set_defaults(run=cmd_places)
    imp = sub.add_parser("import", help="import counters from CSV, GeoJSON or Overpass JSON")
    imp.add_argument("file")
    imp.add_argument("--source", help="name of the source (default: file name, or openstreetmap)")
    imp.set_defaults(run=cmd_import)
    load = sub.add_parser("load", help="create/upgrade the database and load the reference data")
    load.set_defaults(run=cmd_load)
    staff = sub.add_parser("staff", help="staff accounts for the review page")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a staff member (password from WEGWIJZER_STAFF_PASSWORD or asked)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name colleagues see")
    add.add_argument("--telegram-id", type=int, help="the staff member's Telegram user id")
    add.add_argument("--admin", action="store_true", help="may manage other staff")
    passwd = staff_sub.add_parser("passwd", help="set a new password")
    passwd.add_argument("username")
    staff_sub.add_parser("list", help="list the staff members")
    staff.set_defaults(run=cmd_staff)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command != "load":
        ensure_database()
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
