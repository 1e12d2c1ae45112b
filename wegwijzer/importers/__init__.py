"""Filling the database: the reference data shipped with the project
(`reference.py`) and counter lists from outside (`counters.py`, which reads
CSV with `csv_counters.py` and OpenStreetMap exports with `osm.py`; the
field checks they share are in `fields.py`)."""
