"""Filling the database: the reference data shipped with the project
(`reference.py`) and counter lists from outside (`counters.py`)."""
