"""The audit log: every staff action (and every refused attempt), who did
it and when, for accountability. Staff and the relay write through here."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.db.models import StaffAction


class AuditLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def record(
        self,
        action: str,
        actor: str,
        *,
        staff_user_id: int | None = None,
        escalation_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        """One action: claim, reply, note, close, reopen, urgent, refused, login, export, ..."""
        with self.sessions.begin() as session:
            session.add(
                StaffAction(
                    action=action,
                    actor=actor[:120],
                    staff_user_id=staff_user_id,
                    escalation_id=escalation_id,
                    detail=detail,
                )
            )
