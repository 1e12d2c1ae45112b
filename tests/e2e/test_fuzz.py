"""Robustness proof: 10,000 generated updates of every kind through the real
front-end.

What is real: the bot process (`python -m bot`, python-telegram-bot polling),
the fake Telegram Bot API over HTTP on 127.0.0.1 (it refuses what Telegram
would refuse: empty or too long texts and captions counted in UTF-16 units,
invalid buttons), the Rasa and action servers with the trained model, and the
SQLite database. Hypothesis generates the updates: texts with emoji, RTL,
zero-width and control characters, Markdown specials, SQL and HTML, up to
4,096 characters, empty; photos, stickers, voice, documents, edits, unknown
and stale callback data (also staff buttons with malformed data in the staff
group), group and channel posts, users without username or language, very
large ids, and polls the library cannot read.

Afterwards: no unhandled exception in the bot's log, no request Telegram
would refuse, the bot still answers, and no personal number (the BSNs and
IBAN in the generated texts) in clear in the database or the logs."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import ROOT, STAFF_MEMBER, BotProcess, start_bot
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.stack

BATCHES = 100
BATCH_SIZE = 100  # 100 x 100 = 10,000 updates
BSNS = ("111222333", "123456782")  # valid by the 11-test
IBAN = "NL91ABNA0417164300"
SPECIALS = [
    "*bold* _it_ [link](http://x) `code` ~strike~ >quote #tag +-=|{}.!",
    "'; DROP TABLE chat_users; --",
    '<script>alert("x")</script><b>vet</b>&amp;',
    "\u202eRTL override \u200f\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "zero\u200bwidth\u200c\u200d\ufeffjoiners",
    "control \x00\x01\x07\x1b[31m\x7f chars",
    "👨‍👩‍👧‍👦🏳️‍🌈🇳🇱" * 3,
    f"mijn bsn is {BSNS[0]} en mijn iban {IBAN}",
    f"BSN {BSNS[1]}, helpt u mij met digid",
    "/start",
    "/help",
    "/stop",
    "/restart",
    "/urgent_crisis",
    '/inform_location{"plaats": "Assen"}',
    "ik help mijn zus met haar digid",
    "Assen",
    "",
    " ",
]
EMOJI_HEAVY = "😀" * 2100  # 4,200 UTF-16 units in 2,100 code points
TEXTS = st.one_of(
    st.sampled_from(SPECIALS),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=4096),
    st.just("a" * 4096),
    st.just(EMOJI_HEAVY[:2048]),  # 4,096 units exactly
)
IDS = st.one_of(
    st.integers(min_value=1, max_value=2**31),
    st.integers(min_value=2**52, max_value=2**63 - 1),
    st.integers(min_value=2**63, max_value=2**70),  # beyond any 64-bit column
)


KINDS_ELSE = ("button", "staff_button", "group", "channel", "poll")


def user(uid: int, plain: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": "F"}
    if not plain:
        found.update(username=f"u{uid}", language_code="nl")
    return found


@st.composite
def an_update(draw: st.DrawFn, staff_chat: dict[str, Any]) -> dict[str, Any]:
    uid = draw(IDS)
    who = user(uid, draw(st.booleans()))
    private = {"id": uid, "type": "private", "first_name": "F"}
    base = {"message_id": draw(st.integers(1, 2**31)), "date": int(time.time()), "chat": private, "from": who}
    kind = draw(
        st.sampled_from([*("text", "text", "text", "edit", "photo", "sticker", "voice", "document"), *KINDS_ELSE])
    )
    if kind == "text":
        return {"message": {**base, "text": draw(TEXTS)}}
    if kind == "edit":
        return {"edited_message": {**base, "edit_date": int(time.time()), "text": draw(TEXTS) or "x"}}
    if kind == "photo":
        size = {"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}
        return {"message": {**base, "photo": [size], "caption": draw(TEXTS)[:1024]}}
    if kind == "sticker":
        sticker = {"file_id": "CAAD", "file_unique_id": "s1", "width": 512, "height": 512, "is_animated": False}
        return {"message": {**base, "sticker": {**sticker, "is_video": False, "type": "regular"}}}
    if kind == "voice":
        return {"message": {**base, "voice": {"file_id": "AwAD", "file_unique_id": "v1", "duration": 3}}}
    if kind == "document":
        return {"message": {**base, "document": {"file_id": "BQAD", "file_unique_id": "d1", "file_name": "x.pdf"}}}
    if kind in ("button", "staff_button"):
        in_staff = kind == "staff_button"
        data = draw(
            st.one_of(
                st.text(max_size=64),
                st.sampled_from(["st:claim:", "st:close:x", "st:note:99999999999999999999", "st:claim:²", "st:"]),
            )
        )
        chat = staff_chat if in_staff else private
        sender = user(STAFF_MEMBER if in_staff and draw(st.booleans()) else uid, False)
        message = {"message_id": 1, "date": int(time.time()), "chat": chat, "text": "oud bericht"}
        return {
            "callback_query": {
                "id": str(draw(st.integers(1, 2**40))),
                "from": sender,
                "chat_instance": "ci",
                "data": data,
                "message": message,
            }
        }
    if kind == "group":
        group = {"id": -(draw(st.integers(1, 2**40))), "type": "group", "title": "G"}
        return {"message": {**base, "chat": group, "text": draw(TEXTS) or "x"}}
    if kind == "channel":
        channel = {"id": -(10**12) - draw(st.integers(1, 2**30)), "type": "channel", "title": "C"}
        post = {"message_id": 1, "date": int(time.time()), "chat": channel, "text": draw(TEXTS) or "x"}
        return {"channel_post": post}
    # A poll the library cannot read (required fields missing).
    return {"poll": {"id": "p1", "question": "?", "options": [{"text": "a"}]}}


@pytest.fixture(scope="module")
def fuzzed(stack) -> Any:
    fake = FakeTelegram(token="424242:FUZZ").start()
    staff_chat = {"id": -1009424242, "type": "supergroup", "title": "Wegwijzer staf", "is_forum": True}
    log = ROOT / "tests" / "artifacts" / "logs" / "bot-fuzz.log"
    bot = start_bot(
        fake,
        stack.rasa_url,
        log,
        STAFF_CHAT_ID=str(staff_chat["id"]),
        STAFF_USER_IDS=str(STAFF_MEMBER),
        RATE_BURST="1000",
        RATE_PER_SECOND="1000",
    )
    yield fake, bot, staff_chat, log
    bot.stop()
    fake.stop()


def consumed(fake: FakeTelegram, timeout: float = 120.0) -> None:
    """Until the bot has fetched every pushed update and gone quiet."""
    deadline = time.monotonic() + timeout
    while fake.updates and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not fake.updates, "the bot stopped fetching updates"


def test_ten_thousand_generated_updates(fuzzed: Any) -> None:
    fake, bot, staff_chat, log = fuzzed
    sent: list[int] = []

    @settings(
        max_examples=BATCHES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(an_update(staff_chat), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
    def batch(updates: list[dict[str, Any]]) -> None:
        for update in updates:
            sent.append(fake.push(update))
        consumed(fake)

    batch()
    assert len(sent) >= 10_000
    settle(fake)
    still_answers(fake, bot)
    assert fake.refused == [], [(c.method, c.params.get("text", "")[:80]) for c in fake.refused[:5]]
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and " ERROR " not in text, text[text.find("Traceback") - 2000 :][:4000]
    assert "Error while parsing updates" not in text
    for number in (*BSNS, IBAN):
        assert number not in text, f"{number} in the bot's log"
        assert not in_database(number), f"{number} in the database"


def settle(fake: FakeTelegram, quiet: float = 3.0, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        count = len(fake.calls)
        if count == last:
            return
        last = count
        time.sleep(quiet)


def still_answers(fake: FakeTelegram, bot: BotProcess) -> None:
    person = bot.new_user()
    mark = fake.mark()
    fake.send_text(person, "/help")
    assert fake.wait_for("sendMessage", chat_id=person, since=mark, timeout=30)


def in_database(number: str) -> bool:
    import os

    path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                if any(number in str(value) for value in row):
                    return True
    return False
