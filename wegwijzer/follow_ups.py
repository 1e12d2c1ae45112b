""" "Is het gelukt?": asking a helper, with their consent, some days after a
referral whether it worked, and counting the answers.

A follow-up is a FHIR-Task-like record (wegwijzer.vocabulary.FollowUpStatus):
requested when the helper agrees, in-progress once asked, then completed
("Ja"), failed ("Nee", "Ik wil hulp") or cancelled (the user stopped). Only
the door, its kind, the topic and the gemeente stay for the statistics; the
chat id is dropped once the question is answered or the user stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.clock import now_utc
from wegwijzer.db.models import FollowUp
from wegwijzer.escalations import FORGOTTEN
from wegwijzer.vocabulary import FollowUpStatus

ANSWERS = {"ja": FollowUpStatus.COMPLETED, "nee": FollowUpStatus.FAILED, "hulp": FollowUpStatus.FAILED}


@dataclass(frozen=True)
class Due:
    """A follow-up to ask now."""

    id: int
    pseudonym: str
    user_chat_id: int
    door_name: str


class FollowUps:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def request(
        self,
        *,
        pseudonym: str,
        channel: str,
        user_chat_id: int,
        door: dict[str, Any],
        topic: str | None,
        days: float,
    ) -> int:
        """The helper agreed to be asked about this door (a referral card's
        payload) in `days` days. One open follow-up per user: a newer
        referral replaces an older one not asked yet."""
        with self.sessions.begin() as session:
            session.execute(
                update(FollowUp)
                .where(FollowUp.pseudonym == pseudonym, FollowUp.status == FollowUpStatus.REQUESTED.value)
                .values(status=FollowUpStatus.CANCELLED.value, user_chat_id=None)
            )
            row = FollowUp(
                pseudonym=pseudonym,
                channel=channel,
                user_chat_id=user_chat_id,
                topic=topic,
                counter_id=door.get("door_id"),
                door_name=str(door.get("name") or "")[:200],
                door_kind=door.get("kind"),
                gemeente_code=door.get("gemeente_code"),
                gemeente=door.get("gemeente"),
                status=FollowUpStatus.REQUESTED.value,
                due_at=now_utc() + timedelta(days=days),
            )
            session.add(row)
            session.flush()
            return row.id

    def due(self, channel: str, now: datetime | None = None) -> list[Due]:
        """Requested follow-ups whose time has come."""
        moment = now or now_utc()
        with self.sessions() as session:
            rows = session.execute(
                select(FollowUp)
                .where(
                    FollowUp.channel == channel,
                    FollowUp.status == FollowUpStatus.REQUESTED.value,
                    FollowUp.due_at <= moment,
                    FollowUp.user_chat_id.is_not(None),
                )
                .order_by(FollowUp.due_at)
            ).scalars()
            return [Due(r.id, r.pseudonym, int(r.user_chat_id or 0), r.door_name) for r in rows]

    def asked(self, follow_up_id: int) -> None:
        with self.sessions.begin() as session:
            session.execute(
                update(FollowUp)
                .where(FollowUp.id == follow_up_id, FollowUp.status == FollowUpStatus.REQUESTED.value)
                .values(status=FollowUpStatus.IN_PROGRESS.value, asked_at=now_utc())
            )

    def answer(self, follow_up_id: int, pseudonym: str, answer: str) -> FollowUpStatus | None:
        """The helper's answer ("ja", "nee", "hulp") to their own follow-up;
        None when it is not theirs, not asked, or already answered."""
        status = ANSWERS.get(answer)
        if status is None:
            return None
        with self.sessions.begin() as session:
            row = session.get(FollowUp, follow_up_id)
            if row is None or row.pseudonym != pseudonym or row.status != FollowUpStatus.IN_PROGRESS.value:
                return None
            row.status, row.answer, row.answered_at, row.user_chat_id = status.value, answer, now_utc(), None
        return status

    def forget_user(self, pseudonym: str) -> None:
        """/stop: open follow-ups are cancelled; nothing points to the user."""
        with self.sessions.begin() as session:
            session.execute(
                update(FollowUp)
                .where(
                    FollowUp.pseudonym == pseudonym,
                    FollowUp.status.in_([FollowUpStatus.REQUESTED.value, FollowUpStatus.IN_PROGRESS.value]),
                )
                .values(status=FollowUpStatus.CANCELLED.value)
            )
            session.execute(
                update(FollowUp).where(FollowUp.pseudonym == pseudonym).values(pseudonym=FORGOTTEN, user_chat_id=None)
            )


@dataclass(frozen=True)
class OutcomeRow:
    """The follow-ups of one door kind, topic or gemeente, by status."""

    key: str | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        return self.counts.get(FollowUpStatus.COMPLETED.value, 0) + self.counts.get(FollowUpStatus.FAILED.value, 0)

    @property
    def completed_share(self) -> float | None:
        """Of the answered ones, the share that worked (None when none answered)."""
        return self.counts.get(FollowUpStatus.COMPLETED.value, 0) / self.answered if self.answered else None


GROUPINGS = {"door_kind": FollowUp.door_kind, "topic": FollowUp.topic, "gemeente": FollowUp.gemeente}


def outcomes_by(
    session: Session, grouping: str, since: datetime | None = None, until: datetime | None = None
) -> list[OutcomeRow]:
    """Follow-up states per door kind, topic or gemeente, most follow-ups first."""
    column = GROUPINGS[grouping]
    query = select(column, FollowUp.status, func.count(FollowUp.id)).group_by(column, FollowUp.status)
    if since is not None:
        query = query.where(FollowUp.created_at >= since)
    if until is not None:
        query = query.where(FollowUp.created_at < until)
    table: dict[str | None, dict[str, int]] = {}
    for key, status, count in session.execute(query).tuples():
        table.setdefault(key, {})[status] = int(count)
    rows = [OutcomeRow(key, counts) for key, counts in table.items()]
    return sorted(rows, key=lambda r: (-r.total, r.key or ""))
