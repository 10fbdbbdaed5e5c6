"""The ``openai`` rewriter backend: chat completions from an OpenAI-compatible endpoint (standard library).

vLLM (``vllm serve <model>``, http://localhost:8000/v1), the llama.cpp server (http://localhost:8080/v1),
Ollama (http://localhost:11434/v1) and hosted APIs all answer ``POST {base_url}/chat/completions`` with
``{"model", "messages", "max_tokens", "temperature", "top_p", "seed"}``. The API key is read from the
environment variable named by ``api_key_env`` (never from a config, never logged); without one no
``Authorization`` header is sent, as local servers expect.

``concurrency`` requests are in flight at once (a thread pool); replies come back in input order. Each
request waits at most ``timeout`` seconds per connect or read and is retried ``retries`` times with
exponential backoff (``retry_backoff`` seconds, doubled each time; a 429's ``Retry-After`` is honoured up
to a minute) after a timeout, a connection error, HTTP 429 or a 5xx; a 4xx other than 429 is not retried
(the request itself is wrong: model name, key). A request that still fails, or answers with invalid JSON,
without ``choices[0].message.content`` or with empty content, yields a ``Failed`` marker instead of
raising: the responder keeps that reply's draft and counts the reason. After ``give_up_after``
consecutive failed requests the endpoint is taken to be down and the remaining requests fail at once
instead of each waiting out its retries.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from tqdm.auto import tqdm

from ltr import __version__
from ltr.respond.base import Failed, ResponderError

log = logging.getLogger(__name__)


class OpenAIRewriter:
    """Chat completions from ``{base_url}/chat/completions`` (see the module docstring)."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key_env: str | None = "OPENAI_API_KEY",
        timeout: float = 30.0,
        retries: int = 2,
        retry_backoff: float = 1.0,
        concurrency: int = 4,
        give_up_after: int = 16,
        max_new_tokens: int = 160,
        temperature: float = 0.0,
        top_p: float = 0.9,
        seed: int = 0,
    ) -> None:
        if not str(base_url).startswith(("http://", "https://")):
            raise ResponderError(f"responder.base_url={base_url!r}: expected an http:// or https:// URL")
        if not model or model == "???":
            raise ResponderError(f"responder.model is required: the name of the model {base_url} serves")
        # The config schema checks these too; a responder built in Python gets the same messages.
        for key, value, ok, expected in (
            ("timeout", timeout, timeout > 0, "> 0"), ("concurrency", concurrency, concurrency >= 1, ">= 1"),
            ("retries", retries, retries >= 0, ">= 0"),
            ("retry_backoff", retry_backoff, retry_backoff >= 0, ">= 0"),
            ("give_up_after", give_up_after, give_up_after >= 0, ">= 0"),
        ):  # fmt: skip
            if not ok:
                raise ResponderError(f"responder.{key}={value!r}: expected {expected}")
        self.url = str(base_url).rstrip("/") + "/chat/completions"
        self.model = str(model)
        self.api_key_env = api_key_env
        self._api_key = os.environ.get(api_key_env) if api_key_env else None  # kept out of repr, logs, stats
        self.timeout, self.retries, self.retry_backoff = float(timeout), int(retries), float(retry_backoff)
        self.concurrency, self.give_up_after = int(concurrency), int(give_up_after)
        self.max_new_tokens, self.temperature, self.top_p, self.seed = (
            int(max_new_tokens), float(temperature), float(top_p), int(seed),
        )  # fmt: skip
        self._lock = threading.Lock()
        self._failures_in_a_row = 0

    def __repr__(self) -> str:
        return f"OpenAIRewriter({self.url!r}, model={self.model!r}, key from ${self.api_key_env})"

    def headers(self) -> dict[str, str]:
        """The request headers: JSON, and the bearer key when its environment variable is set."""
        out = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"musiccrs-ltr/{__version__}",
        }
        if self._api_key:
            out["Authorization"] = f"Bearer {self._api_key}"
        return out

    def generate(self, chats: Sequence[list[dict[str, str]]]) -> list[str]:
        self._failures_in_a_row = 0  # each call gives the endpoint a fresh chance
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm-endpoint") as pool:
            results = list(
                tqdm(
                    pool.map(self.complete, chats),
                    total=len(chats),
                    desc="llm endpoint",
                    unit="reply",
                    disable=len(chats) <= self.concurrency,
                    leave=False,
                )
            )
        failed = [r for r in results if isinstance(r, Failed)]
        if failed:
            kinds = Counter(f.kind for f in failed)
            log.warning(
                "responder: %d of %d requests to %s failed (%s), e.g. %s; those replies keep their draft",
                len(failed), len(results), self.url, ", ".join(f"{k} {n}" for k, n in kinds.most_common()),
                failed[0].detail,
            )  # fmt: skip
        return results

    def complete(self, chat: list[dict[str, str]]) -> str:
        """One chat's reply text, or a ``Failed`` marker saying why there is none."""
        if self.give_up_after and self._failures_in_a_row >= self.give_up_after:
            return Failed(
                "endpoint_down", f"skipped: {self._failures_in_a_row} requests to {self.url} failed in a row"
            )
        payload = {
            "model": self.model,
            "messages": chat,
            "max_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "seed": self.seed,
        }
        answer = self._post(json.dumps(payload).encode())
        with self._lock:
            self._failures_in_a_row = self._failures_in_a_row + 1 if isinstance(answer, Failed) else 0
        if isinstance(answer, Failed):
            log.debug("responder: %s", answer.detail)
            return answer
        return completion_text(answer, self.url)

    def _post(self, body: bytes) -> bytes | Failed:
        """The response body of one POST, retried as the module docstring says, or why there is none."""
        failure = Failed("endpoint_error", "no attempt")
        wait = 0.0
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(max(wait, self.retry_backoff * 2 ** (attempt - 1)))
            wait = 0.0
            request = urllib.request.Request(self.url, data=body, headers=self.headers(), method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as err:
                failure = Failed("endpoint_error", f"HTTP {err.code} from {self.url}: {self._snippet(err)}")
                if err.code != 429 and err.code < 500:
                    return (
                        failure  # the request itself is wrong (model name, key): the same again fails again
                    )
                wait = _retry_after(err.headers.get("Retry-After"))
            except TimeoutError:
                failure = Failed("timeout", f"no answer from {self.url} within {self.timeout:g} s")
            except urllib.error.URLError as err:
                if isinstance(err.reason, TimeoutError):
                    failure = Failed("timeout", f"no connection to {self.url} within {self.timeout:g} s")
                else:
                    failure = Failed("endpoint_error", f"{self.url}: {self._scrub(str(err.reason))}")
            except (http.client.HTTPException, OSError) as err:  # a dropped connection, a cut-off answer
                failure = Failed("endpoint_error", f"{self.url}: {self._scrub(repr(err))}")
        return failure

    def _snippet(self, err: urllib.error.HTTPError) -> str:
        try:
            text = err.read(300).decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            text = ""
        return self._scrub(" ".join(text.split()) or str(err.reason))

    def _scrub(self, text: str) -> str:
        """``text`` without the API key (a server may echo what it was sent)."""
        return text.replace(self._api_key, "***") if self._api_key else text


def completion_text(body: bytes, url: str = "the endpoint") -> str:
    """``choices[0].message.content`` of a chat completions answer, or a ``Failed`` (malformed, empty)."""
    try:
        answer = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return Failed("malformed", f"{url} answered invalid JSON ({err}): {body[:120]!r}")
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return Failed("malformed", f"{url} answered without choices[0].message.content: {str(answer)[:120]}")
    if not isinstance(content, str):
        return Failed("malformed", f"{url} answered content of type {type(content).__name__}")
    if not content.strip():
        return Failed("empty", f"{url} answered empty content")
    return content


def _retry_after(value: str | None, cap: float = 60.0) -> float:
    """Seconds a ``Retry-After`` header asks for (numeric form only), at most ``cap``; 0 when absent."""
    try:
        return min(max(float(value), 0.0), cap) if value else 0.0
    except ValueError:
        return 0.0
