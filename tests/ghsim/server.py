"""HTTP plumbing: a stdlib ThreadingHTTPServer on 127.0.0.1, logging, faults, validation."""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .deviations import is_allowed
from .faults import fault_response
from .routes import dispatch
from .simulator import LogEntry

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a handler that is sleeping out a "timeout" fault
    allow_reuse_address = True


def serve(sim) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.sim = sim  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="ghsim", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


def record(sim, entry: LogEntry, problems: list[str]) -> None:
    for p in problems:
        why = is_allowed(entry.method, entry.path, entry.template, p, sim.allow)
        with sim.lock:
            if why:
                sim.allowed.append(f"{p}  [allowed: {why}]")
            else:
                entry.violations.append(p)
                sim.violations.append(p)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add
        # ~40 ms to every keep-alive request PyGithub makes.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - quiet; the sim keeps its own log
        pass

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _send(self, status: int, body, headers: dict[str, str]) -> None:
        sim = self.server.sim  # type: ignore[attr-defined]
        data = b"" if body is None else json.dumps(body).encode()
        used = len(sim.log)
        base = {
            "Content-Type": "application/json; charset=utf-8",
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Request-Id": uuid.uuid4().hex[:16].upper(),
            "x-ratelimit-limit": "5000", "x-ratelimit-remaining": str(max(0, 5000 - used)),
            "x-ratelimit-used": str(used), "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
        }
        base.update(headers)
        try:
            self.send_response(status)
            for k, v in base.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self) -> None:
        sim = self.server.sim  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query, keep_blank_values=True)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = self.command
        entry = LogEntry(method=method, path=path, query=query, write=method in WRITE_METHODS)
        auth = self.headers.get("Authorization") or ""
        entry.token = auth.split(" ", 1)[1] if " " in auth else None
        with sim.lock:
            sim.log.append(entry)
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                entry.status = 400
                return self._send(400, {"message": "Problems parsing JSON",
                                        "documentation_url": "https://docs.github.com/rest"}, {})
        entry.request_body = body

        op = None
        if sim.validator is not None:
            op, problems = sim.validator.check_request(method, path, query, body, bool(raw))
            entry.template = op.template if op else None
            record(sim, entry, problems)

        fault = sim.faults.take(method, path)
        if fault is not None:
            entry.fault = fault.kind
            if fault.kind == "disconnect":
                return self._drop()
            if fault.kind == "timeout":
                time.sleep(fault.delay)
                if not fault.apply:
                    return self._drop()
            elif fault.kind == "hook":
                try:
                    fault.hook(sim)
                except Exception as exc:  # surface it: the test fails at teardown
                    with sim.lock:
                        sim.violations.append(f"fault hook for {method} {path} raised {exc!r}")
            else:
                status, out, headers = fault_response(fault, time.time())
                entry.status, entry.response_body = status, out
                return self._send(status, out, headers)

        status, out, headers, template = dispatch(sim, method, path, query, body, entry.token)
        entry.status, entry.response_body, entry.routed = status, out, template is not None
        if template is None:
            if sim.strict_routes:
                record(sim, entry, [f"{method} {path}: not implemented by the simulator (404)"])
        elif op is not None and fault is None:
            record(sim, entry, sim.validator.check_response(op, status, out))
        self._send(status, out, headers)
