"""Public libraries from OpenStreetMap (`amenity=library`), as GeoJSON (a
FeatureCollection, e.g. from overpass-turbo's export) or as Overpass API
JSON (`out center;`). Most IDOs are in public libraries, so each library
becomes a door of kind `ido` with the status `probable` ("IDO
waarschijnlijk"), the library's opening hours when they are valid
OpenStreetMap syntax, and the ODbL attribution. Private or school/university
libraries are skipped."""

from __future__ import annotations

from typing import Any

from wegwijzer.importers.fields import opening_hours, phone, place_gemeente, postcode, website
from wegwijzer.places import NL_BOUNDS, Gazetteer
from wegwijzer.texts import cli as cli_text
from wegwijzer.texts import say
from wegwijzer.vocabulary import DoorKind, Standing

OSM_SOURCE = "openstreetmap"
OSM_ATTRIBUTION = "© OpenStreetMap-bijdragers, ODbL (openstreetmap.org/copyright)"


def osm_rows(doc: dict[str, Any], gazetteer: Gazetteer) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    if doc.get("type") == "FeatureCollection":
        elements = [_from_feature(f) for f in doc.get("features") or []]
    elif isinstance(doc.get("elements"), list):
        elements = [_from_overpass(e) for e in doc["elements"]]
    else:
        return [], [], [cli_text("osm_not_geojson")]
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    errors: list[str] = []
    seen: set[str | None] = set()
    for number, (osm_id, lat, lon, tags) in enumerate(elements, start=1):
        where = cli_text("osm_element", number=number, id=f" ({osm_id})" if osm_id else "")
        if tags.get("amenity") != "library":
            skipped.append(cli_text("osm_problem", where=where, problem=cli_text("osm_not_a_library")))
            continue
        if tags.get("access") in {"private", "no"} or tags.get("library") in {"university", "school", "academic"}:
            skipped.append(cli_text("osm_problem", where=where, problem=cli_text("osm_not_public")))
            continue
        problems = []
        if not osm_id:
            problems.append(cli_text("osm_no_id"))
        if osm_id in seen:
            problems.append(cli_text("osm_twice"))
        seen.add(osm_id)
        if lat is None or lon is None:
            problems.append(cli_text("osm_no_coordinate"))
        elif not (NL_BOUNDS[0] <= lat <= NL_BOUNDS[1] and NL_BOUNDS[2] <= lon <= NL_BOUNDS[3]):
            skipped.append(cli_text("osm_problem", where=where, problem=cli_text("osm_abroad")))
            continue
        if problems:
            errors.extend(cli_text("osm_problem", where=where, problem=p) for p in problems)
            continue
        street = " ".join(p for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p)
        ignored: list[str] = []  # an odd phone or website in OSM is left out, not fatal
        row: dict[str, Any] = {
            "source": OSM_SOURCE,
            "source_id": osm_id,
            "kind": DoorKind.IDO.value,
            "name": tags.get("name") or say("osm_library"),
            "address": street or None,
            "postcode": postcode(tags.get("addr:postcode", ""), []),
            "place": tags.get("addr:city"),
            "lat": lat,
            "lon": lon,
            # The library's own hours: the IDO may keep other hours (said in the note).
            "opening_hours": opening_hours(tags.get("opening_hours", ""), ignored),
            "walk_in": False,
            "by_appointment": False,
            "phone": phone(tags.get("phone") or tags.get("contact:phone") or "", ignored),
            "website": website(tags.get("website") or tags.get("contact:website") or "", ignored),
            "appointment_url": None,
            "topics": [],
            "status": Standing.PROBABLE.value,
            "checked_on": None,
            "status_note": say("osm_note"),
            "attribution": OSM_ATTRIBUTION,
        }
        place_gemeente(row, "", gazetteer, [])
        rows.append(row)
    return rows, skipped, errors


Element = tuple[str | None, float | None, float | None, dict[str, Any]]


def _from_feature(feature: dict[str, Any]) -> Element:
    props = dict(feature.get("properties") or {})
    tags: dict[str, Any] = props["tags"] if isinstance(props.get("tags"), dict) else props
    osm_id = props.get("@id") or props.get("id") or feature.get("id")
    lat, lon = _centre(feature.get("geometry") or {})
    return (str(osm_id) if osm_id else None), lat, lon, tags


def _from_overpass(element: dict[str, Any]) -> Element:
    osm_id = f"{element.get('type')}/{element.get('id')}" if element.get("id") is not None else None
    if "lat" in element and "lon" in element:
        lat, lon = element["lat"], element["lon"]
    else:
        centre = element.get("center") or {}
        lat, lon = centre.get("lat"), centre.get("lon")
    return osm_id, lat, lon, element.get("tags") or {}


def _centre(geometry: dict[str, Any]) -> tuple[float | None, float | None]:
    """A point's coordinate, or the mean of a polygon's outline."""
    coords = geometry.get("coordinates")
    if geometry.get("type") == "Point" and coords:
        return float(coords[1]), float(coords[0])
    points: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list) and len(value) >= 2 and all(isinstance(v, (int, float)) for v in value[:2]):
            points.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(coords)
    if not points:
        return None, None
    return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)
