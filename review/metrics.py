"""The staff page's health check and Prometheus metrics.

GET /health: 200 when the page and its database answer (for a supervisor).
GET /metrics: escalations by status and priority, read from the database at
each scrape, and the page's requests; counts only, nothing personal. Served
to this machine only (127.0.0.1), or to whoever sends METRICS_TOKEN as a
bearer token (a Prometheus elsewhere).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from review.web import Web, web_of
from wegwijzer.db.models import Escalation

LOOPBACK = {"127.0.0.1", "::1"}


class EscalationCounts(Collector):
    def __init__(self, web: Web) -> None:
        self.web = web

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "wegwijzer_escalations",
            "Escalations in the database, by status and priority",
            labels=["status", "priority"],
        )
        with self.web.sessions() as session:
            rows = session.execute(
                select(Escalation.status, Escalation.priority, func.count()).group_by(
                    Escalation.status, Escalation.priority
                )
            )
            for status, priority, count in rows:
                family.add_metric([status, priority], count)
        yield family


def registry_of(request: Request) -> CollectorRegistry:
    registry: CollectorRegistry | None = getattr(request.app.state, "metrics", None)
    if registry is None:
        registry = CollectorRegistry()
        registry.register(EscalationCounts(web_of(request)))
        request.app.state.metrics = registry
        request.app.state.scrapes = Counter(
            "wegwijzer_review_scrapes_total", "Times these metrics were read", registry=registry
        )
    return registry


def allowed(request: Request) -> bool:
    token = os.environ.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if hmac.compare_digest(given, token):
            return True
    return bool(request.client and request.client.host in LOOPBACK)


async def metrics(request: Request) -> Response:
    if not allowed(request):
        return PlainTextResponse("Forbidden", status_code=403)
    registry = registry_of(request)
    request.app.state.scrapes.inc()
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


async def health(request: Request) -> Response:
    try:
        with web_of(request).sessions() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any database failure: not healthy
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


routes = [Route("/metrics", metrics), Route("/health", health)]
