"""Talking to a board server: what the game and `command-game board ...` use.

Plain HTTP with the standard library and short timeouts, so a board that is down or slow
costs the player a few seconds in a background thread, never a frozen screen. Every
failure is a BoardClientError with the server's error code, or 'unreachable' when there
was no answer at all (the caller may then queue the submission for later).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

UNREACHABLE = "unreachable"


class BoardClientError(Exception):
    def __init__(self, code: str, message: str, status: int = 0, detail: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.detail = detail or {}

    @property
    def retry_later(self) -> bool:
        """No answer, a busy server or a rate limit: the same request may work later."""
        return self.code == UNREACHABLE or self.status in (429, 502, 503, 504)


class BoardClient:
    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> Any:
        req = urllib.request.Request(self.url + path, data=body, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                data = resp.read()
                kind = resp.headers.get("content-type", "")
        except urllib.error.HTTPError as exc:
            raise _server_error(exc) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BoardClientError(UNREACHABLE, f"no answer from {self.url}: {reason}") from None
        return json.loads(data) if kind.startswith("application/json") else data

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/healthz")

    def register(self, name: str) -> dict[str, Any]:
        return self._request("POST", "/api/players", json.dumps({"name": name}).encode(),
                             {"Content-Type": "application/json"})

    def submit(self, replay: bytes, token: str) -> dict[str, Any]:
        return self._request("POST", "/api/runs", replay,
                             {"Content-Type": "application/octet-stream",
                              "Authorization": f"Bearer {token}"})

    def status(self, run_id: int) -> dict[str, Any]:
        return self._request("GET", f"/api/runs/{int(run_id)}")

    def replay(self, run_id: int) -> bytes:
        return self._request("GET", f"/api/runs/{int(run_id)}/replay")

    def top(self, level: str, category: str = "Any%", player: str | None = None,
            seed: int | None = None, limit: int = 10) -> dict[str, Any]:
        query = {"category": category, "limit": limit}
        if player:
            query["player"] = player
        if seed is not None:
            query["seed"] = seed
        path = f"/api/boards/{urllib.parse.quote(level, safe='')}?" + urllib.parse.urlencode(query)
        return self._request("GET", path)


def _server_error(exc: urllib.error.HTTPError) -> BoardClientError:
    try:
        doc = json.loads(exc.read())
        err = doc["error"]
        return BoardClientError(str(err["code"]), str(err["message"]), exc.code, err)
    except (ValueError, KeyError, TypeError, OSError):
        return BoardClientError(f"http_{exc.code}", f"the board answered {exc.code} {exc.reason}",
                                exc.code)
