"""The real bot (`python -m bot`) with its clock moved CLOCK_SHIFT_DAYS days
ahead (time-machine), so what is due in a week happens now."""

from __future__ import annotations

import os
import runpy
from datetime import UTC, datetime, timedelta

import time_machine

if __name__ == "__main__":
    shifted = datetime.now(UTC) + timedelta(days=float(os.environ["CLOCK_SHIFT_DAYS"]))
    with time_machine.travel(shifted, tick=True):
        runpy.run_module("bot", run_name="__main__")
