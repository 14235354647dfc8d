"""A cache of per-file check results, keyed by content, so that checking one
changed entry against a large registry costs about one parse.

Keys: each file's display path and the SHA-256 of its bytes (never its
modification time), inside one cache file per *context*: the SHA-256 of the
resolved schema (vocabularies included), the wording rules file, whether the
wording checks are on, the Python version and the source of every module that
decides a finding. Change any of them and nothing cached is used.

What is kept per file: its findings, the facts the registry-wide checks need
(id, normalised URLs, normalised name) and whether it awaits verification.

The cache lives in ``.cache/registry-check/`` in the registry (git-ignored).
It is signed with a key kept outside the registry (``~/.cache/igov-registry-bot``),
so a cache file that came with a checkout (say, in a pull request) is never
trusted: it could otherwise hide findings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import marshal
import os
import sys
from pathlib import Path

from bot.findings import Finding

CACHE_DIR = ".cache/registry-check"
FORMAT = 3  # 2: marshal, not JSON (a third of the time to load and write); 3: facts as tuples
# Modules whose code decides what is found (their source is part of the key).
_MODULES = (
    "loading.py", "schema.py", "registry.py", "fastcheck.py", "wording.py", "findings.py",
    "vocabularies.py", "checkcache.py", "neutrality/__init__.py", "neutrality/rules.py", "neutrality/scan.py",
)
_FIELDS = ("path", "line", "column", "end_line", "end_column", "severity", "rule", "message", "suggestion", "category", "match")


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "igov-registry-bot" / "cache.key"


def _signing_key() -> bytes | None:
    path = _key_file()
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None


def context_key(ctx) -> str:
    digest = hashlib.sha256()
    digest.update(f"format {FORMAT}\n{sys.version}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _MODULES:
        try:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0missing\0")
    digest.update(json.dumps(ctx.schema, sort_keys=True, ensure_ascii=False).encode())
    if ctx.rules is None:
        digest.update(b"\0no wording checks")
    else:
        try:
            digest.update(b"\0rules\0" + ctx.project.rules_path.read_bytes())
        except OSError:
            digest.update(b"\0rules unreadable")
    try:
        import fastjsonschema

        digest.update(f"\0fastjsonschema {fastjsonschema.VERSION}".encode())
    except ImportError:
        digest.update(b"\0no fastjsonschema")
    return digest.hexdigest()


def _result_types():
    """(Facts, FileResult), imported on first use (bot.fastcheck imports this module)."""
    global _RESULT_TYPES
    if _RESULT_TYPES is None:
        from bot.fastcheck import Facts, FileResult

        _RESULT_TYPES = (Facts, FileResult)
    return _RESULT_TYPES


_RESULT_TYPES = None


def _text_of(raw: bytes) -> str:
    """The text the hardened loader keeps for these bytes (for the report)."""
    from bot.loading import MAX_BYTES

    if len(raw) > MAX_BYTES:
        return ""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return ""


class Cache:
    def __init__(self, root: Path, ctx, key: bytes):
        self.folder = Path(root) / CACHE_DIR
        self.context = context_key(ctx)
        self.file = self.folder / f"{self.context[:40]}.marshal"
        self._key = key
        self.entries: dict = {}
        self.hits = 0
        self._load()

    @classmethod
    def open(cls, root: Path, ctx) -> "Cache | None":
        key = _signing_key()
        if key is None:
            return None
        return cls(root, ctx, key)

    def _mac(self, body: bytes) -> str:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest()

    def _load(self) -> None:
        try:
            blob = self.file.read_bytes()
        except OSError:
            return
        mac, _, body = blob.partition(b"\n")
        if not hmac.compare_digest(mac.decode("ascii", "replace"), self._mac(body)):
            return  # not written by us: ignore it
        try:
            # Only bytes signed with our key reach here: written by this code, for
            # this Python version (both are part of the context key).
            stored = marshal.loads(body)
        except (ValueError, EOFError, TypeError):
            return
        if not isinstance(stored, dict):
            return
        if stored.get("context") == self.context:
            self.entries = stored.get("entries", {})

    @staticmethod
    def digest(raw: bytes) -> str:
        return hashlib.sha256(raw).hexdigest()

    def get(self, display: str, digest: str, checks: bool, raw: bytes = b""):
        entry = self.entries.get(display)
        if entry is None or entry[0] != digest or (checks and not entry[1]):
            return None
        facts_type, result_type = _result_types()
        findings = tuple(Finding(*f[:11], field_path=tuple(f[11])) for f in entry[2]) if checks else ()
        facts = facts_type(*entry[3])  # (id, ((index, url), ...), name key): tuples as stored
        return result_type(display, findings, facts, entry[4], _text_of(raw) if findings else None, None, digest, entry[1], True)

    def update(self, results, ctx) -> None:
        """Store the results computed in this run (hits are kept as they were)."""
        changed = False
        fresh = {}
        for r in results:
            if r.digest is None:
                continue
            if r.from_cache and r.path in self.entries:
                fresh[r.path] = self.entries[r.path]
                continue
            entry = [
                r.digest,
                r.checked,
                [[getattr(f, name) for name in _FIELDS] + [list(f.field_path)] for f in r.findings],
                (r.facts.entry_id, tuple(tuple(u) for u in r.facts.urls), r.facts.name_key),
                r.pending,
            ]
            if self.entries.get(r.path) != entry:
                changed = True
            fresh[r.path] = entry
        for path, entry in self.entries.items():
            if path not in fresh and not path.startswith("entries/"):
                fresh[path] = entry
        if not changed and len(fresh) == len(self.entries):
            return
        self.entries = fresh
        body = marshal.dumps({"context": self.context, "entries": fresh})
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old_file in [*self.folder.glob("*.json"), *self.folder.glob("*.marshal")]:
                if old_file != self.file:
                    old_file.unlink(missing_ok=True)
            tmp = self.file.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(self._mac(body).encode() + b"\n" + body)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written is only slower
