"""`wegwijzer`: the command line for welfare workers and administrators.

  wegwijzer nearest "9561 AB"         the nearest doors (also a place or "lat,lon")
      --kind all|ido|loket|gemeente|...  -k N  --radius KM  --json
  wegwijzer places "den bosch"        what a name or postcode resolves to  [--json]
  wegwijzer import FILE               import doors: CSV, the Register van
      --format csv|roo|osm            Overheidsorganisaties export (roo) or
      --source NAME                   OpenStreetMap libraries (GeoJSON, Overpass JSON)
  wegwijzer export --format hsds DIR  the directory as Open Referral HSDS (CSV + datapackage.json)
  wegwijzer export --format csv FILE  the directory in the import schema (round trip)
  wegwijzer export --format rasa-nlu FILE
                                      messages staff marked as misunderstood, as Rasa
                                      NLU YAML for a person to review before training
  wegwijzer load                      create/upgrade the database and load the
                                      reference data (places, organisations, loketten)
  wegwijzer staff add USERNAME [--name NAME] [--telegram-id N] [--admin] [--gemeente GM0106 ...]
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
from wegwijzer.directory import KINDS, CounterIndex, Found, distance_km
from wegwijzer.importers.counters import FORMATS
from wegwijzer.places import Gazetteer, Location, Resolution
from wegwijzer.settings import settings
from wegwijzer.texts import cli as say


def ensure_database(url: str | None = None) -> None:
    """Bring the schema up to date, and load the shipped reference data when
    the database does not hold this version of it yet."""
    from wegwijzer.db.migrate import upgrade_if_needed
    from wegwijzer.importers.reference import is_loaded, load_reference_data

    upgrade_if_needed(url)
    with session_scope(url) as session:
        if not is_loaded(session):
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


def door_json(found: Found) -> dict[str, Any]:
    """A door for `nearest --json` (the contract of the command line)."""
    door = found.door
    return {
        "name": door.name,
        "kind": door.kind,
        "address": door.address,
        "postcode": door.postcode,
        "place": door.place,
        "gemeente": door.gemeente,
        "gemeente_code": door.gemeente_code,
        "phone": door.phone,
        "website": door.website,
        "appointment_url": door.appointment_url,
        "lat": door.lat,
        "lon": door.lon,
        "distance_km": None if found.distance_km is None else round(found.distance_km, 2),
        "source": door.source,
        "attribution": door.attribution,
        "checked": door.checked_on.isoformat() if door.checked_on else None,
        "status": door.status,
        "confirmed": door.confirmed,
        "opening_hours": door.opening_hours,
        "note": door.status_note,
    }


def cmd_nearest(args: argparse.Namespace) -> int:
    with session_scope() as session:
        resolution = Gazetteer.from_session(session).resolve(args.query)
        index = CounterIndex.from_session(session)
    if not resolution.found:
        return fail(explain_failure(resolution))
    here = resolution.location
    assert here is not None
    kinds = KINDS[args.kind]
    found = index.nearest(here.lat, here.lon, kinds, k=args.k, radius_km=args.radius, gemeente_code=here.gemeente_code)
    desk = index.desk(here.gemeente_code)
    if desk is not None and desk.kind in kinds and desk.lat is not None and desk.lon is not None:
        # The person's own gemeente first, also when a neighbour's town hall is nearer.
        own = Found(desk, distance_km(here.lat, here.lon, desk.lat, desk.lon))
        found = [own, *(f for f in found if f.door.id != desk.id)][: args.k]
    results = [door_json(f) for f in found]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(say("nearest_header", what=say(f"nearest_kind_{args.kind}"), place=here.label(), gemeente=here.gemeente))
    if not results:
        print(say("nearest_none", radius=args.radius))
    for r in results:
        where = say("nearest_in_gemeente") if r["distance_km"] is None else say("nearest_distance", km=r["distance_km"])
        checked = say(f"nearest_status_{r['status']}")
        address = ", ".join(str(p) for p in (r["address"], r["postcode"], r["place"]) if p) or say("nearest_no_address")
        phone = say("nearest_phone", phone=r["phone"]) if r["phone"] else ""
        print(
            say(
                "nearest_line",
                where=where,
                name=r["name"],
                kind=r["kind"],
                address=address,
                phone=phone,
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
            report = import_file(session, path, Gazetteer.from_session(session), source=args.source, fmt=args.format)
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
            format=report.format,
            read=report.read,
            added=len(report.added),
            updated=report.updated,
            removed=len(report.removed),
            unchanged=report.unchanged,
            source=report.source,
        )
    )
    for what, names in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        for name in names:
            print(say(f"import_{what}", name=name))
    for line in report.skipped:
        print(say("import_skipped", line=line))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wegwijzer.exporters import export_csv, export_hsds
    from wegwijzer.training_export import export_rasa_nlu

    target = Path(args.target)
    with session_scope() as session:
        if args.format == "rasa-nlu":
            examples = export_rasa_nlu(session, target)
            print(say("export_rasa_nlu_done", file=target, examples=examples))
        elif args.format == "hsds":
            counts = export_hsds(session, target)
            print(say("export_hsds_done", folder=target, **counts))
        else:
            rows = export_csv(session, target, include_retired=args.all)
            print(say("export_csv_done", file=target, rows=rows))
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
    from wegwijzer.staff import StaffError, create_staff, gemeenten_of, set_password

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
                codes = gemeenten_of(session, m.id)
                if codes and not m.is_admin:
                    flags.append(say("staff_gemeenten", codes=", ".join(sorted(codes))))
                print(f"{m.username}\t{m.display_name}\t{', '.join(flags)}")
        return 0
    password = read_new_password()
    if password is None:
        return fail(say("password_none"))
    try:
        with session_scope() as session:
            if args.staff_command == "add":
                member = create_staff(
                    session,
                    args.username,
                    args.name or args.username.strip().capitalize(),
                    password,
                    telegram_user_id=args.telegram_id,
                    is_admin=args.admin,
                    gemeenten=args.gemeente,
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
    nearest.add_argument("--kind", choices=list(KINDS), default="all", help="which doors (default all)")
    nearest.add_argument("-k", type=int, default=5, help="how many (default 5)")
    nearest.add_argument("--radius", type=float, default=25.0, help="km (default 25)")
    nearest.add_argument("--json", action="store_true")
    nearest.set_defaults(run=cmd_nearest)
    places = sub.add_parser("places", help="what a name or postcode resolves to")
    places.add_argument("query")
    places.add_argument("--json", action="store_true")
    places.set_defaults(run=cmd_places)
    imp = sub.add_parser("import", help="import doors: CSV, the ROO export of the gemeenten, or OpenStreetMap")
    imp.add_argument("file")
    imp.add_argument("--format", choices=FORMATS, help="csv, roo or osm (default: picked from the file)")
    imp.add_argument("--source", help="name of the source (default: file name, roo or openstreetmap)")
    imp.set_defaults(run=cmd_import)
    export = sub.add_parser(
        "export", help="the directory as open data (HSDS) or the import CSV; corrections as Rasa NLU"
    )
    export.add_argument("target", help="a folder (hsds) or a file (csv, rasa-nlu)")
    export.add_argument("--format", choices=("hsds", "csv", "rasa-nlu"), required=True)
    export.add_argument("--all", action="store_true", help="csv: also retired doors")
    export.set_defaults(run=cmd_export)
    load = sub.add_parser("load", help="create/upgrade the database and load the reference data")
    load.set_defaults(run=cmd_load)
    staff = sub.add_parser("staff", help="staff accounts for the review page")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="add a staff member (password from WEGWIJZER_STAFF_PASSWORD or asked)")
    add.add_argument("username")
    add.add_argument("--name", help="the name colleagues see (default: the username)")
    add.add_argument("--telegram-id", type=int, help="the staff member's Telegram user id")
    add.add_argument("--admin", action="store_true", help="may manage other staff and edit every door")
    add.add_argument(
        "--gemeente",
        action="append",
        default=[],
        metavar="GM0106",
        help="a gemeente whose doors this member keeps up (repeatable; CBS code)",
    )
    passwd = staff_sub.add_parser("passwd", help="set a new password")
    passwd.add_argument("username")
    staff_sub.add_parser("list", help="list the staff members")
    staff.set_defaults(run=cmd_staff)
    purge = sub.add_parser(
        "purge", help="remove transcripts and user rows older than WEGWIJZER_RETENTION_DAYS (counts stay)"
    )
    purge.add_argument("--days", type=int, help="keep this many days instead of WEGWIJZER_RETENTION_DAYS")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(run=cmd_purge)
    return p


def cmd_purge(args: argparse.Namespace) -> int:
    from wegwijzer.db.session import session_factory
    from wegwijzer.retention import purge

    days = args.days if args.days is not None else settings().data_retention_days
    result = purge(session_factory(), days)
    if args.json:
        print(json.dumps({"days": days, **result.counts()}))
    else:
        for key, value in result.counts().items():
            print(f"{key}: {value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command != "load":
        ensure_database()
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
