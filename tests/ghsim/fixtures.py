"""pytest fixtures: a fresh simulator per test, validated against GitHub's OpenAPI spec.

Use from a conftest.py:  ``from tests.ghsim.fixtures import sim  # noqa``
(``sim`` is self-contained: it needs no other fixture imported beside it).

Teardown fails the test if any request or response broke the OpenAPI description
(outside tests/ghsim/deviations.py and the test's own ``sim.allow``) or if the
code under test called an endpoint the simulator does not implement.

If the spec cannot be fetched (no npm / no registry) the fixture skips, unless
CI=true, where it fails: CI must never silently skip the simulator tests.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest

from .openapi import get_validator
from .simulator import Simulator
from .spec import SpecUnavailable, openapi_spec_path, webhook_examples_path


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"GitHub simulator unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"GitHub simulator unavailable: {reason}")


def load_validator():
    """The compiled OpenAPI validator (cached per process, ~0.5 s to load); skips if unavailable."""
    try:
        path = openapi_spec_path()
        webhook_examples_path()  # same registry; fetch both up front so neither fails mid-test
    except SpecUnavailable as exc:
        _unavailable(str(exc))
    return get_validator(path)


@pytest.fixture(scope="session")
def ghsim_validator():
    return load_validator()


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every connection that does not go to the loopback interface."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(address):
        if not _is_local(address):
            raise ConnectionRefusedError(f"ghsim tests may not reach {address!r}: loopback only")

    def connect(self, address):
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def no_network(monkeypatch):
    block_network(monkeypatch)


@pytest.fixture
def sim():
    """A running Simulator; fails the test at teardown on OpenAPI violations."""
    validator = load_validator()
    with pytest.MonkeyPatch.context() as mp:
        block_network(mp)
        s = Simulator(validator=validator).start()
        try:
            yield s
        finally:
            s.stop()
    check_violations(s)


def check_violations(s: Simulator) -> None:
    """Fail (pytest.fail) if the simulator recorded any violation."""
    problems = list(s.violations)
    if problems:
        listing = "\n  ".join(problems[:30])
        pytest.fail(f"GitHub simulator: {len(problems)} OpenAPI violation(s) or unimplemented "
                    f"call(s):\n  {listing}\n(known deviations: tests/ghsim/deviations.py)",
                    pytrace=False)


def github_client(sim: Simulator, token: str = "t", **kwargs):
    """A real PyGithub client on the simulator; throttling and retries off (tests only)."""
    import github
    from github import Auth
    options = dict(base_url=sim.base_url, auth=Auth.Token(token), retry=None,
                   seconds_between_requests=None, seconds_between_writes=None)
    options.update(kwargs)
    return github.Github(**options)
