"""Prometheus metrics of the front-end and the staff page.

Counts and timings only: no pseudonym, chat id, text, place or topic of a
user is ever a label. The front-end serves them on 127.0.0.1:METRICS_PORT
(`/metrics`, and `/health` for a supervisor); the staff page at `/metrics`.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

MESSAGES = Counter("wegwijzer_messages_total", "Messages from users, by kind of update", ["kind"])
REPLY_SECONDS = Histogram(
    "wegwijzer_reply_seconds",
    "From taking a user's message to sending its last reply",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
FALLBACKS = Counter("wegwijzer_fallbacks_total", "Messages the NLU did not understand (a clarifying question)")
ESCALATIONS = Counter("wegwijzer_escalations_total", "Escalations to a person, by reason", ["reason"])
ERRORS = Counter("wegwijzer_errors_total", "Errors while handling an update, by where", ["where"])
RASA_UP = Gauge("wegwijzer_rasa_up", "1 when the last message reached a Rasa server, 0 while none answers")
RASA_RETRIES = Counter("wegwijzer_rasa_retries_total", "Messages sent again because no Rasa server answered")
RASA_GAVE_UP = Counter("wegwijzer_rasa_unanswered_total", "Messages answered with 'it does not work now'")
URGENT = Counter("wegwijzer_urgent_total", "Urgent answers (crisis numbers) given")

FALLBACK_KEYS = frozenset({"utter_clarify_topic"})  # what Rasa says when it did not understand
