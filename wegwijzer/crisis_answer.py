"""The urgent answer, by kind: the right numbers first (data/crisis_kinds.yml).

For no food or no place to sleep, and for an eviction or disconnection within
days, the gemeente's own number is added when the place is known and the
government register has one; otherwise the answer says where to find it.
"""

from __future__ import annotations

import logging

from wegwijzer.crisis import crisis_kind
from wegwijzer.directory import counter_index
from wegwijzer.texts import say

logger = logging.getLogger(__name__)


def gemeente_line(gemeente_code: str | None) -> str:
    """Where to reach the gemeente today: its number from the register, if known."""
    desk = None
    if gemeente_code:
        try:
            desk = counter_index().desk(gemeente_code)
        except Exception:  # noqa: BLE001 — the urgent answer never fails on the directory
            logger.warning("The directory is unavailable for the urgent answer")
    if desk is not None and desk.gemeente and desk.phone:
        return say("crisis_gemeente_phone", gemeente=desk.gemeente, phone=desk.phone)
    if desk is not None and desk.gemeente:
        return say("crisis_gemeente_named", gemeente=desk.gemeente)
    return say("crisis_gemeente_unknown")


def crisis_text(message: str, gemeente_code: str | None = None) -> str:
    """What to say first to this urgent message, in the voice being spoken."""
    kind = crisis_kind(message)
    if kind.gemeente:
        return say(kind.say, gemeente_line=gemeente_line(gemeente_code))
    return say(kind.say)


def needs_gemeente(message: str) -> bool:
    return crisis_kind(message).gemeente
