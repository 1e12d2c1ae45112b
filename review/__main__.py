"""`python -m review`: serve the review page with uvicorn.

REVIEW_HOST (default 127.0.0.1) and REVIEW_PORT (default 8080) choose where
it listens; DATABASE_URL the database (default: the SQLite file under var/).
Staff accounts are made with `wegwijzer staff add`.
"""

from __future__ import annotations

import os
import sys

import uvicorn

from review.app import create_app
from wegwijzer.db.migrate import upgrade


def main() -> int:
    host = os.environ.get("REVIEW_HOST", "127.0.0.1")
    try:
        port = int(os.environ.get("REVIEW_PORT", "8080"))
    except ValueError:
        print("review: REVIEW_PORT moet een getal zijn.", file=sys.stderr)
        return 2
    upgrade()  # the tables must exist; reference data are not needed here
    print(f"Overdrachten bekijken: http://{host}:{port}/  (stoppen: Ctrl-C)", file=sys.stderr)
    uvicorn.run(create_app(), host=host, port=port, server_header=False, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
