"""`python -m review`: serve the staff page with uvicorn.

REVIEW_HOST (default 127.0.0.1) and REVIEW_PORT (default 8080) choose where
it listens; DATABASE_URL the database (default: the SQLite file in the var
folder). Staff accounts are made with `wegwijzer staff add`.
"""

from __future__ import annotations

import sys

import uvicorn

from review.app import create_app
from wegwijzer.cli import ensure_database
from wegwijzer.logs import FORMAT, setup_logging
from wegwijzer.settings import settings
from wegwijzer.texts import staff as staff_text


def main() -> int:
    config = settings()
    setup_logging(config.log_level)
    ensure_database()  # the tables, and the places the directory needs
    print(staff_text("review_listening", host=config.review_host, port=config.review_port), file=sys.stderr)
    # uvicorn's own lines in the same format as ours, and our loggers kept.
    log_config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "loggers": {"uvicorn": {"handlers": ["default"], "level": "WARNING", "propagate": False}},
    }
    uvicorn.run(
        create_app(),
        host=config.review_host,
        port=config.review_port,
        server_header=False,
        log_config=log_config,
        # Open live streams (server-sent events) must not hold up a stop.
        timeout_graceful_shutdown=3,
        # X-Forwarded-For / -Proto only from a trusted reverse proxy.
        proxy_headers=bool(config.review_trusted_proxies),
        forwarded_allow_ips=config.review_trusted_proxies or None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
