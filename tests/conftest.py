"""Shared test set-up: the network is blocked except loopback, and helpers
to build throwaway registries."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket
        return True
    host = address[0]
    return host in ("127.0.0.1", "::1", "localhost") or str(host).startswith("127.")


def _guarded_connect(self, address):
    if not _allowed(address):
        raise OSError(f"tests may not reach the network ({address!r}); only loopback is allowed")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _allowed(address):
        raise OSError(f"tests may not reach the network ({address!r}); only loopback is allowed")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_network():
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex


@pytest.fixture
def make_registry(tmp_path):
    """A copy of the registry's schema, vocabularies and rules with the given
    entries: ``make_registry({"entries/x.yaml": "..."})`` -> root Path."""

    made = []

    def make(files: dict[str, str | bytes] | None = None, *, with_shipped_entries=False) -> Path:
        made.append(1)
        root = tmp_path / ("registry" if len(made) == 1 else f"registry{len(made)}")
        shutil.copytree(ROOT / "schema", root / "schema")
        if with_shipped_entries:
            shutil.copytree(ROOT / "entries", root / "entries")
        else:
            (root / "entries").mkdir(parents=True)
        for name, content in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode("utf-8")
            path.write_bytes(content)
        return root

    return make


def entry_text(entry_id="example-entry", **fields) -> str:
    """A valid entry as YAML text; keyword arguments replace fields (given as
    YAML source fragments) or remove them (None)."""
    base = {
        "id": entry_id,
        "name": "Example Cooperation Mechanism",
        "organizations": "\n  - Example Organisation",
        "issue_areas": "\n  - cybersecurity",
        "scope": "international",
        "description": "An example mechanism used by the tests; it has every required field.",
        "urls": "\n  - https://www.example.org/" + entry_id,
        "last_reviewed": "2026-01-15",
    }
    base.update(fields)
    return "".join(f"{key}: {value}\n" for key, value in base.items() if value is not None)
from tests.ghsim.fixtures import sim  # noqa: F401,E402  (the GitHub API simulator)
