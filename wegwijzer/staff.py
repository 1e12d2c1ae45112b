"""Staff: who is staff (by Telegram id, for the staff group) and the staff
accounts of the staff page: create, change password, log in.

Passwords are stored only as a salted scrypt hash,
'scrypt$n$r$p$salt$hash' (salt and hash in URL-safe base64), and compared in
constant time. A plain password is never stored, returned or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wegwijzer.db.models import StaffGemeente, StaffMember
from wegwijzer.texts import cli as cli_text
from wegwijzer.texts import staff as staff_text

# scrypt cost: 2**14 × 8 × 128 bytes = 16 MiB of memory per hash, ~50 ms.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSWORD_LENGTH = 10
GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
# Limits for parameters read back from the database, so a damaged row cannot
# make a login use unbounded memory or time.
MAX_N = 2**20
MAX_RP = 64


class StaffError(ValueError):
    """A staff account cannot be created or changed; the message is Dutch."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * r * n + 1024 * 1024, dklen=length
    )


def hash_password(password: str) -> str:
    """'scrypt$n$r$p$salt$hash' with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str | None) -> bool:
    """True when the password matches the stored hash (constant-time compare)."""
    if not stored:
        return False
    try:
        scheme, n_text, r_text, p_text, salt_text, hash_text = stored.split("$")
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt, expected = _unb64(salt_text), _unb64(hash_text)
    except ValueError:
        return False
    if scheme != "scrypt" or not (1 < n <= MAX_N and n & (n - 1) == 0) or not (0 < r <= MAX_RP and 0 < p <= MAX_RP):
        return False
    if not salt or not expected:
        return False
    actual = _scrypt(password, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(cli_text("staff_password_too_short", length=MIN_PASSWORD_LENGTH))


def _normal_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise StaffError(cli_text("staff_bad_username"))
    return name


def get_staff(session: Session, username: str) -> StaffMember | None:
    return session.execute(
        select(StaffMember).where(StaffMember.username == username.strip().lower())
    ).scalar_one_or_none()


def create_staff(
    session: Session,
    username: str,
    display_name: str,
    password: str,
    telegram_user_id: int | None = None,
    is_admin: bool = False,
    gemeenten: Sequence[str] = (),
) -> StaffMember:
    """A new, active staff member, keeping up the doors of these gemeenten
    (CBS codes). The session is flushed, not committed."""
    name = _normal_username(username)
    codes = [code.strip().upper() for code in gemeenten]
    unknown = [code for code in codes if not GEMEENTE_CODE.match(code)]
    if unknown:
        raise StaffError(cli_text("staff_bad_gemeente", codes=", ".join(unknown)))
    if not display_name.strip():
        raise StaffError(cli_text("staff_no_name"))
    check_new_password(password)
    if get_staff(session, name) is not None:
        raise StaffError(cli_text("staff_username_taken", username=name))
    if (
        telegram_user_id is not None
        and session.execute(select(StaffMember.id).where(StaffMember.telegram_user_id == telegram_user_id)).first()
    ):
        raise StaffError(cli_text("staff_telegram_id_taken"))
    member = StaffMember(
        username=name,
        display_name=display_name.strip(),
        telegram_user_id=telegram_user_id,
        password_hash=hash_password(password),
        is_admin=is_admin,
        active=True,
    )
    session.add(member)
    session.flush()
    session.add_all(StaffGemeente(staff_id=member.id, gemeente_code=code) for code in dict.fromkeys(codes))
    session.flush()
    return member


def gemeenten_of(session: Session, staff_id: int) -> frozenset[str]:
    """The gemeenten whose doors this staff member keeps up."""
    return frozenset(
        session.execute(select(StaffGemeente.gemeente_code).where(StaffGemeente.staff_id == staff_id)).scalars()
    )


def may_edit_door(is_admin: bool, gemeenten: frozenset[str], gemeente_code: str | None) -> bool:
    """Admins edit every door; other staff the doors of their own gemeenten."""
    return is_admin or (gemeente_code is not None and gemeente_code in gemeenten)


def set_password(session: Session, username: str, password: str) -> StaffMember:
    member = get_staff(session, username)
    if member is None:
        raise StaffError(cli_text("staff_unknown_username", username=username.strip().lower()))
    check_new_password(password)
    member.password_hash = hash_password(password)
    session.flush()
    return member


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password: checked when the username does not exist,
    so a wrong username takes as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


def verify_login(session: Session, username: str, password: str) -> StaffMember | None:
    """The active staff member with this username and password, else None."""
    member = get_staff(session, username) if len(username) <= 64 else None
    if member is None or not member.active or not member.password_hash:
        check_password(password, _dummy_hash())
        return None
    return member if check_password(password, member.password_hash) else None


class StaffDirectory:
    """Who is staff in the staff group: members in the database with a
    Telegram id, and the ids of STAFF_USER_IDS."""

    def __init__(self, sessions: sessionmaker[Session], allowed_ids: frozenset[int] = frozenset()) -> None:
        self.sessions = sessions
        self.allowed_ids = allowed_ids

    def member(self, telegram_user_id: int) -> tuple[str, int | None] | None:
        """(name, staff account id or None) if this Telegram user is staff, else None."""
        with self.sessions() as session:
            member = session.execute(
                select(StaffMember).where(
                    StaffMember.telegram_user_id == telegram_user_id, StaffMember.active.is_(True)
                )
            ).scalar_one_or_none()
            if member is not None:
                return member.display_name, member.id
        if telegram_user_id in self.allowed_ids:
            # Named by their place in STAFF_USER_IDS: staff pages show no Telegram ids.
            return staff_text("member_by_id", number=sorted(self.allowed_ids).index(telegram_user_id) + 1), None
        return None

    def name_of(self, telegram_user_id: int) -> str | None:
        """The staff member's name if this Telegram user is staff, else None."""
        found = self.member(telegram_user_id)
        return found[0] if found else None

    def accounts_exist(self) -> bool:
        """Whether anyone can log in to the staff page to answer."""
        with self.sessions() as session:
            return (
                session.execute(
                    select(StaffMember.id)
                    .where(StaffMember.active.is_(True), StaffMember.password_hash.is_not(None))
                    .limit(1)
                ).first()
                is not None
            )
