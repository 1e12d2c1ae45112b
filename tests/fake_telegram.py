"""A fake Telegram Bot API server for the tests: real HTTP on 127.0.0.1.

It answers the Bot API methods the bot uses like Telegram does (getMe,
getUpdates with long polling, sendMessage, sendVenue, ...), records every
call, and lets a test push updates as if users wrote to the bot.

    fake = FakeTelegram(token="123:ABC").start()
    fake.send_text(user_id=1001, text="hallo")
    reply = fake.wait_for("sendMessage", chat_id=1001)
    fake.stop()

The bot is pointed at it with TELEGRAM_API_URL=fake.api_url.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Wegwijzer",
    "username": "wegwijzer_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")


MAX_TEXT = 4096  # UTF-16 code units, as Telegram counts
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_TOPIC_NAME = 128


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def telegram_would_refuse(method: str, params: dict[str, Any]) -> str | None:
    """What Telegram's Bot API would answer with 400 Bad Request, else None."""
    if method in ("sendMessage", "editMessageText"):
        text = str(params.get("text") or "")
        if not text.strip():
            return "message text is empty"
        if utf16_units(text) > MAX_TEXT:
            return "message is too long"
    if "caption" in params and utf16_units(str(params["caption"] or "")) > MAX_CAPTION:
        return "message caption is too long"
    if method in ("createForumTopic", "editForumTopic") and utf16_units(str(params.get("name") or "")) > MAX_TOPIC_NAME:
        return "TOPIC_NAME_INVALID"
    markup = params.get("reply_markup")
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    return "BUTTON_DATA_INVALID"
                if not str(button.get("text") or "").strip():
                    return "BUTTON_TEXT_INVALID"
    return None


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN", port: int = 0) -> None:
        self.token = token
        self.port = port
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by the bot
        self.history: list[dict[str, Any]] = []  # every update ever pushed
        self.pushed_at: dict[int, float] = {}  # update_id → when it was pushed
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._topic_ids = itertools.count(100)
        self._lock = threading.Lock()
        self._new_update: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.fail_methods: set[str] = set()
        self.flood: dict[str, int] = {}  # method → how many more calls get "429 retry after 1"
        self.delay: dict[str, float] = {}  # method → seconds before the answer (a slow Telegram)
        self.refused: list[Call] = []  # requests Telegram would answer with 400

    @property
    def bot_user(self) -> dict[str, Any]:
        """Like Telegram: the bot's id is the number before the colon of its token."""
        return {**BOT_USER, "id": int(self.token.split(":")[0])}

    # -- lifecycle ----------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeTelegram:
        from wegwijzer.ports import free_port

        if not self.port:
            self.port = free_port()
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not (self._server.started and self._loop):
            if time.monotonic() > deadline:
                raise RuntimeError("fake Telegram server did not start")
            time.sleep(0.01)
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._new_update = asyncio.Event()
        assert self._server is not None
        self._loop.run_until_complete(self._server.serve())

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    # -- pushing updates ------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            update = {"update_id": update_id, **update}
            self.updates.append(update)
            self.history.append(update)
            self.pushed_at[update_id] = time.perf_counter()
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update_id

    def push_again(self, update_id: int) -> None:
        """Deliver an update a second time (as Telegram does on retries)."""
        with self._lock:
            original = next(u for u in self.history if u["update_id"] == update_id)
            self.updates.append(dict(original))
        if self._loop is not None and self._new_update is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)

    def _message(self, user_id: int, chat: dict[str, Any] | None = None, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat or {"id": user_id, "type": "private", "first_name": f"Gebruiker{user_id}"},
            "from": {"id": user_id, "is_bot": False, "first_name": f"Gebruiker{user_id}", "language_code": "nl"},
            **content,
        }

    def send_text(self, user_id: int, text: str, chat: dict[str, Any] | None = None, **extra: Any) -> int:
        message = self._message(user_id, chat, text=text, **extra)
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": message})

    def send_edited(self, user_id: int, text: str) -> int:
        message = self._message(user_id, text=text, edit_date=int(time.time()))
        return self.push({"edited_message": message})

    def send_location(self, user_id: int, lat: float, lon: float) -> int:
        return self.push({"message": self._message(user_id, location={"latitude": lat, "longitude": lon})})

    def send_media(self, user_id: int, chat: dict[str, Any] | None = None, **content: Any) -> int:
        return self.push({"message": self._message(user_id, chat, **content)})

    def send_in_topic(
        self, user_id: int, chat: dict[str, Any], thread_id: int, text: str | None = None, **content: Any
    ) -> int:
        """A message in a forum topic of a supergroup (the staff group)."""
        extra = {"message_thread_id": thread_id, "is_topic_message": True, **content}
        if text is not None:
            return self.send_text(user_id, text, chat=chat, **extra)
        return self.send_media(user_id, chat=chat, **extra)

    def press(self, user_id: int, data: str, message_id: int = 1, chat: dict[str, Any] | None = None) -> int:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat or {"id": user_id, "type": "private"},
            "text": "…",
        }
        query = {
            "id": str(next(self._message_ids)),
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            "chat_instance": "1",
            "data": data,
            "message": message,
        }
        return self.push({"callback_query": query})

    # -- reading what the bot did --------------------------------------------------
    def calls_to(self, method: str | None = None, chat_id: int | None = None, since: int = 0) -> list[Call]:
        with self._lock:
            calls = list(self.calls[since:])
        return [
            c for c in calls if (method is None or c.method == method) and (chat_id is None or c.chat_id == chat_id)
        ]

    def mark(self) -> int:
        """A position in the call log; pass it as `since` to see only later calls."""
        with self._lock:
            return len(self.calls)

    def wait_for(
        self,
        method: str,
        chat_id: int | None = None,
        since: int = 0,
        timeout: float = 30.0,
        contains: str | None = None,
        count: int = 1,
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method, chat_id, since) if contains is None or contains in c.text]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.text[:80]) for c in self.calls_to(None, chat_id, since)]
                raise AssertionError(f"no {method} {contains!r} for chat {chat_id} within {timeout}s; saw {seen}")
            time.sleep(0.02)

    def wait_quiet(self, chat_id: int, since: int, quiet: float = 1.5, timeout: float = 30.0) -> list[Call]:
        """All calls for a chat once the bot has been silent for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last_count, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            calls = self.calls_to(None, chat_id, since)
            if len(calls) != last_count:
                last_count, last_change = len(calls), time.monotonic()
            elif calls and time.monotonic() - last_change >= quiet:
                return calls
            time.sleep(0.05)
        return self.calls_to(None, chat_id, since)

    # -- the Bot API ---------------------------------------------------------------
    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401)
        method = request.path_params["method"]
        params = await self._params(request)
        if method.lower() in self.fail_methods:
            return JSONResponse(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"}, status_code=500
            )
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        if self.flood.get(method, 0) > 0:
            self.flood[method] -= 1
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                status_code=429,
            )
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        refusal = telegram_would_refuse(method, params)
        if refusal is not None:
            with self._lock:
                self.refused.append(Call(method, params))
            return JSONResponse({"ok": False, "error_code": 400, "description": f"Bad Request: {refusal}"}, 400)
        with self._lock:
            self.calls.append(Call(method, params))
        result = self._result(method, params)
        if result is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"}, status_code=404
            )
        return JSONResponse({"ok": True, "result": result})

    async def _params(self, request: Request) -> dict[str, Any]:
        if request.method == "GET":
            raw: dict[str, Any] = dict(request.query_params)
        elif request.headers.get("content-type", "").startswith("application/json"):
            raw = await request.json()
        else:
            form = await request.form()
            raw = {}
            for key, value in form.items():
                if isinstance(value, UploadFile):  # an uploaded file (sendDocument): kept to look at
                    value = {"filename": value.filename, "content": await value.read()}
                raw[key] = value
        params = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            params[key] = value
        return params

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = self.updates[:limit]
                if not ready:
                    self._new_update.clear()
            if ready or time.monotonic() >= deadline:
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=max(0.0, deadline - time.monotonic()))

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        chat = {"id": int(params.get("chat_id") or 0), "type": "private"}
        message_base = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
        }
        if "message_thread_id" in params:
            message_base["message_thread_id"] = int(params["message_thread_id"])
        simple_true = {
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "sendChatAction",
            "answerCallbackQuery",
            "editForumTopic",
            "closeForumTopic",
            "reopenForumTopic",
            "deleteMyCommands",
            "setChatMenuButton",
            "deleteMessage",
            "pinChatMessage",
            "logOut",
            "close",
        }
        if method in simple_true:
            return True
        if method == "getMe":
            return self.bot_user
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method in {"sendMessage", "editMessageText"}:
            return {**message_base, "text": params.get("text", "")}
        if method == "editMessageReplyMarkup":
            return {**message_base, "text": "…"}
        if method == "sendVenue":
            location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
            return {
                **message_base,
                "venue": {"location": location, "title": params.get("title", ""), "address": params.get("address", "")},
                "location": location,
            }
        if method == "sendLocation":
            return {
                **message_base,
                "location": {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])},
            }
        if method in {"sendPhoto", "copyMessage", "forwardMessage", "sendDocument"}:
            if method == "copyMessage":
                return {"message_id": message_base["message_id"]}
            return {**message_base, "caption": params.get("caption", "")}
        if method == "createForumTopic":
            return {"message_thread_id": next(self._topic_ids), "name": params.get("name", ""), "icon_color": 7322096}
        if method == "getChat":
            return {"id": int(params.get("chat_id") or 0), "type": "supergroup", "title": "Staf", "is_forum": True}
        return None
