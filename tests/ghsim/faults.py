"""Fault injection: make matching requests fail the ways GitHub does.

kinds (``status=`` alone means kind "status"):
  status                 reply `status` (default 502) with GitHub's error body
  secondary_rate_limit   403, Retry-After, "You have exceeded a secondary rate limit"
  secondary_rate_limit_429  the same as 429
  primary_rate_limit     403, x-ratelimit-remaining: 0 and x-ratelimit-reset
  timeout                sleep `delay` seconds (past the client's timeout), then,
                         if `apply` (default True), handle the request anyway -
                         the write lands although the client saw a timeout
  disconnect             close the connection without any response
  merge_conflict         409 "Head branch was modified" (for PUT .../merge)
  hook                   run `hook(sim)` right before handling the request, which
                         is then handled normally (e.g. a push that lands between
                         approval and merge)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

KINDS = {"status", "secondary_rate_limit", "secondary_rate_limit_429", "primary_rate_limit",
         "timeout", "disconnect", "merge_conflict", "hook"}


@dataclass
class Fault:
    method: str
    pattern: re.Pattern
    kind: str
    status: int | None = None
    times: int | None = 1          # None = every matching request
    delay: float = 2.0             # timeout: seconds to sleep
    apply: bool = True             # timeout: still perform the request afterwards
    retry_after: int = 60          # secondary rate limits
    reset_in: int = 60             # primary rate limit: seconds until x-ratelimit-reset
    hook: Callable | None = None
    message: str | None = None
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and bool(self.pattern.search(path))


@dataclass
class FaultSet:
    faults: list[Fault] = field(default_factory=list)
    lock: Any = field(default_factory=threading.Lock)

    def add(self, method: str, path_regex: str, *, status: int | None = None, kind: str | None = None,
            times: int | None = 1, **options) -> Fault:
        kind = kind or "status"
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(KINDS)}")
        if kind == "hook" and not callable(options.get("hook")):
            raise ValueError("kind='hook' needs hook=callable(sim)")
        fault = Fault(method=method.upper(), pattern=re.compile(path_regex), kind=kind,
                      status=status, times=times, **options)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first live fault matching this request, counted as hit."""
        with self.lock:
            for fault in self.faults:
                if not fault.exhausted and fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def clear(self) -> None:
        with self.lock:
            self.faults.clear()

    @property
    def total_hits(self) -> int:
        return sum(f.hits for f in self.faults)


DOCS = "https://docs.github.com/rest"


def fault_response(fault: Fault, now: float) -> tuple[int, dict, dict[str, str]]:
    """status, JSON body and extra headers for the error-reply kinds."""
    headers: dict[str, str] = {}
    if fault.kind in ("secondary_rate_limit", "secondary_rate_limit_429"):
        status = 429 if fault.kind.endswith("429") else 403
        headers["Retry-After"] = str(fault.retry_after)
        message = fault.message or ("You have exceeded a secondary rate limit. Please wait a few "
                                    "minutes before you try again.")
        return status, {"message": message, "documentation_url": DOCS + "/overview/rate-limits-for-the-rest-api",
                        "status": str(status)}, headers
    if fault.kind == "primary_rate_limit":
        headers.update({"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0",
                        "x-ratelimit-used": "5000", "x-ratelimit-resource": "core",
                        "x-ratelimit-reset": str(int(now) + fault.reset_in)})
        message = fault.message or "API rate limit exceeded for installation ID 1."
        return 403, {"message": message, "documentation_url": DOCS + "/overview/rate-limits-for-the-rest-api",
                     "status": "403"}, headers
    if fault.kind == "merge_conflict":
        return 409, {"message": fault.message or "Head branch was modified. Review and try the merge again.",
                     "documentation_url": DOCS + "/pulls/pulls#merge-a-pull-request", "status": "409"}, headers
    status = fault.status or 502
    message = fault.message or {500: "Internal Server Error", 502: "Server Error",
                                503: "Service Unavailable", 504: "Gateway Timeout"}.get(status, "Error")
    return status, {"message": message, "documentation_url": DOCS, "status": str(status)}, headers
