"""Telegram end to end: the real bot process, the fake Bot API server over
HTTP, the real Rasa and action servers, and the test database with the
made-up counters of tests/data/counters.csv."""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time

import httpx
import pytest

from bot.commands import help_text
from tests.e2e.conftest import ROOT, BotProcess, start_bot
from tests.fake_telegram import FakeTelegram
from wegwijzer.ports import free_port
from wegwijzer.texts import Voice, say, speaking, users_en

pytestmark = pytest.mark.stack


def texts(calls) -> list[str]:
    return [c.text for c in calls if c.method == "sendMessage"]


def talk(bot: BotProcess, user: int, message: str, quiet: float = 1.5) -> list:
    mark = bot.fake.mark()
    bot.fake.send_text(user, message)
    bot.fake.wait_for("sendMessage", chat_id=user, since=mark)
    return bot.fake.wait_quiet(user, mark, quiet=quiet)


def test_start_is_a_b1_welcome_with_the_command_menu(telegram: BotProcess) -> None:
    # The bot sets three menus as it starts: the default, Dutch and English.
    calls = telegram.fake.wait_for("setMyCommands", count=3)
    menus = {c.params.get("language_code"): c for c in calls}
    commands = {c["command"]: c["description"] for c in menus[None].params["commands"]}
    names = {"start", "help", "rol", "locatie", "privacy", "bronnen", "kaart", "medewerker", "taal", "stop"}
    assert set(commands) == names
    assert commands["stop"] == "Alles over mij wissen"
    # Apps set to English see the same commands described in English.
    english = {c["command"]: c["description"] for c in menus["en"].params["commands"]}
    assert set(english) == names and english["stop"] == users_en("command_menu_stop") != commands["stop"]
    user = telegram.new_user()
    said = "\n".join(texts(talk(telegram, user, "/start")))
    assert "computer" in said and "medewerker" in said and "BSN" in said


def test_topic_then_postcode_gives_a_map_pin(telegram: BotProcess) -> None:
    user = telegram.new_user()
    first = talk(telegram, user, "mijn buurvrouw is haar digid kwijt")
    assert any(c.params.get("reply_markup", {}).get("keyboard") for c in first), "asks to share the location"
    assert any("DigiD" in t for t in texts(first))
    answer = talk(telegram, user, "9561 AB")
    venues = [c for c in answer if c.method == "sendVenue"]
    assert venues, texts(answer)
    assert venues[0].params["title"] == "IDO Proefbibliotheek Ter Apel"
    assert float(venues[0].params["latitude"]) == pytest.approx(52.877)
    after_pin = answer[answer.index(venues[0]) :]
    # Its opening hours ("We 13:00-17:00") said for now, in Amsterdam time.
    assert any(re.search(r"^Nu (open tot|dicht\.) ", t, re.M) for t in texts(after_pin))
    card = next(c for c in after_pin if c.method == "sendMessage" and "IDO Proefbibliotheek Ter Apel" in c.text)
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Klopt dit niet?"]


def test_a_door_without_an_ido_nearby_is_the_town_hall_with_its_pin_and_links(telegram: BotProcess) -> None:
    user = telegram.new_user()
    talk(telegram, user, "hoe vraag ik digid aan voor mijn vader")
    answer = talk(telegram, user, "4331")  # Middelburg: no IDO known there
    venues = [c for c in answer if c.method == "sendVenue"]
    assert venues and venues[0].params["title"] == "Gemeente Middelburg"
    assert venues[0].params["address"] == "Kanaalweg 3, 4337 PA, Middelburg"
    card = next(c for c in answer if c.method == "sendMessage" and c.text.startswith("Gemeente Middelburg"))
    assert "Telefoon: 14 0118" in card.text
    assert "Vraag naar het Informatiepunt Digitale Overheid. De gemeente weet waar het is." in card.text
    buttons = [b for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
    assert {"text": "Afspraak maken", "url": "https://www.middelburg.nl/afspraak-maken"} in buttons
    assert {"text": "Website", "url": "https://www.middelburg.nl"} in buttons
    assert not any(str(b.get("url", "")).startswith("tel:") for b in buttons)


def test_a_user_reports_a_wrong_door_and_staff_see_it(telegram: BotProcess) -> None:
    from sqlalchemy import select

    from wegwijzer.db.models import DoorReport
    from wegwijzer.db.session import session_scope

    user = telegram.new_user()
    talk(telegram, user, "mijn oom moet zijn digid aanvragen")
    answer = talk(telegram, user, "4331")
    card = next(c for c in answer if c.method == "sendMessage" and c.text.startswith("Gemeente Middelburg"))
    report = next(
        b for row in card.params["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "Klopt dit niet?"
    )
    mark = telegram.fake.mark()
    telegram.fake.press(user, report["callback_data"])
    thanks = telegram.fake.wait_for("sendMessage", chat_id=user, since=mark, contains="Wat klopt er niet?")
    assert thanks
    said = texts(talk(telegram, user, "het gemeentehuis is verhuisd, bel 06 12345678"))
    assert any("bij uw melding gezet" in t for t in said)
    with session_scope() as session:
        stored = session.execute(select(DoorReport).order_by(DoorReport.id.desc())).scalars().first()
        assert stored is not None and stored.channel == "tg" and stored.resolved_at is None
        assert stored.text == "het gemeentehuis is verhuisd, bel [telefoonnummer]"  # redacted
    # Staff see it on the staff page.
    from starlette.testclient import TestClient

    from review.app import create_app
    from wegwijzer.staff import create_staff

    with session_scope() as session:
        create_staff(session, "meldingen", "Meldingen Test", "een-lang-wachtwoord", is_admin=True)
    with TestClient(create_app(secret=b"report-test")) as client:
        form = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        client.post(
            "/login",
            data={"gebruikersnaam": "meldingen", "wachtwoord": "een-lang-wachtwoord", "csrf": csrf, "next": "/deuren"},
        )
        page = client.get("/deuren").text
    assert "Gemeente Middelburg" in page and "het gemeentehuis is verhuisd" in page
    # The next referral for Middelburg says the door was reported.
    talk(telegram, user, "en waar kan ze terecht met haar toeslag")
    again = talk(telegram, user, "Middelburg")
    assert any("Iemand meldde dat hier iets niet klopt" in t for t in texts(again))


def test_shared_location(telegram: BotProcess) -> None:
    user = telegram.new_user()
    talk(telegram, user, "waar kan mijn oma hulp krijgen met overheidszaken")
    mark = telegram.fake.mark()
    telegram.fake.send_location(user, 52.99, 6.56)
    telegram.fake.wait_for("sendVenue", chat_id=user, since=mark)
    venue = telegram.fake.calls_to("sendVenue", chat_id=user, since=mark)[0]
    assert venue.params["title"] == "IDO Proefbibliotheek Assen"


def test_deep_link_sets_the_gemeente(telegram: BotProcess) -> None:
    user = telegram.new_user()
    said = "\n".join(texts(talk(telegram, user, "/start ido_GM0106")))
    assert "gemeente Assen" in said
    answer = talk(telegram, user, "mijn vader is zijn digid kwijt")
    venues = [c for c in answer if c.method == "sendVenue"]
    assert venues and venues[0].params["title"].startswith("IDO Proef")
    assert not any(c.params.get("reply_markup", {}).get("keyboard") for c in answer), "no need to ask the place"


def test_a_button_press_and_an_unknown_button(telegram: BotProcess) -> None:
    user = telegram.new_user()
    question = talk(telegram, user, "vraagje over iets")
    keyboards = [
        c.params["reply_markup"]["inline_keyboard"]
        for c in question
        if "inline_keyboard" in c.params.get("reply_markup", {})
    ]
    assert keyboards and len(keyboards[0]) == 3
    first = keyboards[0][0][0]
    assert len(first["callback_data"]) <= 64
    mark = telegram.fake.mark()
    telegram.fake.press(user, first["callback_data"])
    answer = telegram.fake.wait_quiet(user, mark)
    assert texts(answer)[0] == f"✔ {first['text']}"
    assert telegram.fake.calls_to("answerCallbackQuery", since=mark)
    mark = telegram.fake.mark()
    telegram.fake.press(user, "verlopen-knop")
    assert texts(telegram.fake.wait_quiet(user, mark)) == [say("old_button")]


def test_role_command_changes_the_voice(telegram: BotProcess) -> None:
    user = telegram.new_user()
    question = talk(telegram, user, "/rol")
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in question
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    professional = next(row[0] for row in keyboard if "professional" in row[0]["text"])
    mark = telegram.fake.mark()
    telegram.fake.press(user, professional["callback_data"])
    assert say("role_set_professional") in texts(telegram.fake.wait_quiet(user, mark))
    talk(telegram, user, "cliënt moet huurtoeslag terugbetalen")
    said = "\n".join(texts(talk(telegram, user, "Assen")))
    assert "Dienst Toeslagen beslist" in said


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]}, "photo"),
        ({"voice": {"file_id": "v1", "file_unique_id": "u2", "duration": 3}}, "voice"),
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "u3",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            "sticker",
        ),
        ({"document": {"file_id": "d1", "file_unique_id": "u4", "file_name": "brief.pdf"}}, "document"),
    ],
)
def test_odd_updates_get_a_friendly_answer(telegram: BotProcess, content: dict, expected: str) -> None:
    user = telegram.new_user()
    mark = telegram.fake.mark()
    telegram.fake.send_media(user, **content)
    assert texts(telegram.fake.wait_quiet(user, mark, quiet=1.0)) == [say(expected)]


def test_edited_and_forwarded_messages(telegram: BotProcess) -> None:
    user = telegram.new_user()
    mark = telegram.fake.mark()
    telegram.fake.send_edited(user, "mijn buurvrouw is haar digid kwijt")
    said = texts(telegram.fake.wait_quiet(user, mark))
    assert said[0] == say("edited") and any("DigiD" in t for t in said)
    mark = telegram.fake.mark()
    telegram.fake.send_text(
        user,
        "Uw DigiD verloopt vandaag, klik op deze link",
        forward_origin={"type": "hidden_user", "date": int(time.time()), "sender_user_name": "Onbekend"},
    )
    said = texts(telegram.fake.wait_quiet(user, mark))
    assert said[0] == say("forwarded")


def test_group_chats_are_told_once(telegram: BotProcess) -> None:
    group = {"id": -100777, "type": "group", "title": "Buurthuis"}
    user = telegram.new_user()
    mark = telegram.fake.mark()
    telegram.fake.send_text(user, "hallo bot", chat=group)
    telegram.fake.send_text(user, "hallo nog een keer", chat=group)
    calls = telegram.fake.wait_quiet(-100777, mark, quiet=1.5)
    assert texts(calls) == [say("group_only_private")]


def test_very_long_and_blank_messages(telegram: BotProcess) -> None:
    user = telegram.new_user()
    long = ("mijn buurvrouw is haar digid kwijt en weet niet wat ze moet doen. " * 70)[:4096]
    said = texts(talk(telegram, user, long))
    assert any("DigiD" in t for t in said)
    assert all(len(t) <= 4096 for t in said)
    assert texts(talk(telegram, user, "   ")) == [say("empty_message")]


def test_personal_numbers_are_redacted_and_warned_once(telegram: BotProcess, stack) -> None:
    user = telegram.new_user()
    first = texts(talk(telegram, user, "haar bsn is 111222333 en ze is haar digid kwijt"))
    assert first[0] == say("privacy_warning")
    second = texts(talk(telegram, user, "mijn wachtwoord is Zomer2024"))
    assert say("privacy_warning") not in second
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{telegram.sender(user)}/tracker",
        params={"token": os.environ["RASA_AUTH_TOKEN"]},
    ).json()
    said = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert "haar bsn is [BSN] en ze is haar digid kwijt" in said
    assert not any("111222333" in (t or "") or "Zomer2024" in (t or "") for t in said)
    assert str(user) not in tracker["sender_id"]


def test_stop_forgets_the_user_after_confirmation(telegram: BotProcess, stack) -> None:
    user = telegram.new_user()
    talk(telegram, user, "/rol professional")
    talk(telegram, user, "digid kwijt")
    question = talk(telegram, user, "/stop")
    keyboard = next(
        c.params["reply_markup"]["inline_keyboard"]
        for c in question
        if "inline_keyboard" in c.params.get("reply_markup", {})
    )
    yes = next(row[0] for row in keyboard if row[0]["text"] == say("stop_yes_button"))
    mark = telegram.fake.mark()
    telegram.fake.press(user, yes["callback_data"])
    assert say("stop_done") in texts(telegram.fake.wait_quiet(user, mark))
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{telegram.sender(user)}/tracker",
        params={"token": os.environ["RASA_AUTH_TOKEN"]},
    ).json()
    assert not [e for e in tracker["events"] if e.get("event") == "user"]
    from wegwijzer.db.models import ButtonPayload, ChatUser
    from wegwijzer.db.session import session_scope

    with session_scope() as session:
        assert session.get(ChatUser, telegram.sender(user)) is None
        assert not session.query(ButtonPayload).filter_by(pseudonym=telegram.sender(user)).count()


def test_one_user_in_order_while_others_are_served(telegram: BotProcess) -> None:
    a, b = telegram.new_user(), telegram.new_user()
    mark = telegram.fake.mark()
    for command in ("/bronnen", "/privacy", "/help"):
        telegram.fake.send_text(a, command)
    telegram.fake.send_text(b, "/help")
    said_a = texts(telegram.fake.wait_quiet(a, mark))
    assert said_a == [say("sources"), say("privacy"), help_text()]
    assert texts(telegram.fake.wait_quiet(b, mark)) == [help_text()]


def test_a_flood_slows_only_the_flooder(telegram: BotProcess) -> None:
    flooder, other = telegram.new_user(), telegram.new_user()
    mark = telegram.fake.mark()
    for n in range(12):
        telegram.fake.send_text(flooder, f"/help {n}")
    time.sleep(0.3)
    sent = time.perf_counter()
    telegram.fake.send_text(other, "/bronnen")
    reply = telegram.fake.wait_for("sendMessage", chat_id=other, since=mark)[0]
    assert reply.at - sent < 1.0, "another user is not slowed down"
    said = texts(telegram.fake.wait_quiet(flooder, mark, quiet=2.5, timeout=40))
    assert say("slow_down") in said
    assert said.count(help_text()) == 12, "nothing is dropped"


def test_a_retried_update_is_handled_once(telegram: BotProcess) -> None:
    user = telegram.new_user()
    mark = telegram.fake.mark()
    update_id = telegram.fake.send_text(user, "/bronnen")
    telegram.fake.wait_for("sendMessage", chat_id=user, since=mark)
    telegram.fake.push_again(update_id)
    time.sleep(1.5)
    assert texts(telegram.fake.calls_to("sendMessage", chat_id=user, since=mark)) == [say("sources")]


class SwitchableProxy:
    """A TCP proxy to the Rasa server that can be down (refusing) or up."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.AbstractServer | None = None
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def up(self) -> None:
        async def start() -> None:
            self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        asyncio.run_coroutine_threadsafe(start(), self.loop).result(5)

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_rasa_down_then_back_loses_nothing(stack) -> None:
    fake_telegram = FakeTelegram(token="515151:RASA-DOWN").start()  # its own, so no other bot polls it
    proxy = SwitchableProxy(stack.rasa_port)
    bot = start_bot(
        fake_telegram, f"http://127.0.0.1:{proxy.port}", ROOT / "tests" / "artifacts" / "logs" / "bot-rasa-down.log"
    )
    try:
        user = bot.new_user()
        mark = fake_telegram.mark()
        fake_telegram.send_text(user, "mijn buurvrouw is haar digid kwijt")
        fake_telegram.wait_for("sendMessage", chat_id=user, since=mark, contains=say("one_moment"))
        proxy.up()
        answer = fake_telegram.wait_for("sendMessage", chat_id=user, since=mark, contains="DigiD", timeout=40)
        assert answer
    finally:
        bot.stop()
        proxy.close()
        fake_telegram.stop()


def test_webhook_mode_checks_the_secret_token(fake_telegram: FakeTelegram, stack) -> None:
    port = free_port()
    mark = fake_telegram.mark()
    bot = start_bot(
        fake_telegram,
        stack.rasa_url,
        ROOT / "tests" / "artifacts" / "logs" / "bot-webhook.log",
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram-hook",
        TELEGRAM_WEBHOOK_SECRET="s3cret-token",
        TELEGRAM_WEBHOOK_PORT=str(port),
    )
    try:
        set_webhook = fake_telegram.wait_for("setWebhook", since=mark, timeout=20)
        assert set_webhook[-1].params["secret_token"] == "s3cret-token"
        user = bot.new_user()
        update = {
            "update_id": 990001,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": user, "type": "private"},
                "from": {"id": user, "is_bot": False, "first_name": "U"},
                "text": "/bronnen",
                "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
            },
        }
        url = f"http://127.0.0.1:{port}/telegram-hook"
        deadline = time.monotonic() + 20
        while True:
            try:
                refused = httpx.post(url, json=update)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert refused.status_code == 403
        accepted = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
        assert accepted.status_code == 200
        assert texts(fake_telegram.wait_quiet(user, mark, quiet=1.0)) == [say("sources")]
    finally:
        bot.stop()


def test_an_english_helper_is_answered_in_english_with_a_map_pin(telegram: BotProcess) -> None:
    from wegwijzer.topics import topics_in

    user = telegram.new_user()
    first = texts(talk(telegram, user, "hi, my neighbour lost his digid and he only speaks english"))
    assert users_en("language_detected") in first
    assert topics_in(Voice("en"))["topic_digid"].about in first
    assert users_en("utter_ask_location") in first
    answer = talk(telegram, user, "9561 AB")
    venues = [c for c in answer if c.method == "sendVenue"]
    assert venues and venues[0].params["title"] == "IDO Proefbibliotheek Ter Apel"
    said = "\n".join(texts(answer))
    assert any(step in said for step in topics_in(Voice("en"))["topic_digid"].helper)
    with speaking(Voice("en")):
        report = say("card_report_button")
    card = next(c for c in answer if c.method == "sendMessage" and "IDO Proefbibliotheek Ter Apel" in c.text)
    assert [row[0]["text"] for row in card.params["reply_markup"]["inline_keyboard"]] == [report]
    # /taal switches back; the next answer is Dutch.
    switched = texts(talk(telegram, user, "/taal nl"))
    assert say("language_set") in switched
    again = texts(talk(telegram, user, "mijn buurvrouw is haar digid kwijt"))
    assert topics_in(Voice())["topic_digid"].about in again


def test_a_message_in_arabic_gets_the_arabic_text_and_a_person(telegram: BotProcess) -> None:
    from wegwijzer.language import other_language

    user = telegram.new_user()
    answer = talk(telegram, user, "مرحبا، جاري فقد الديجيد الخاص به وهو لا يتكلم الهولندية")
    fixed = other_language("ar")
    message = next(c for c in answer if c.method == "sendMessage" and c.text == fixed.texts[0])
    assert [row[0]["text"] for row in message.params["reply_markup"]["inline_keyboard"]] == [fixed.button]
