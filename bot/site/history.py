"""What changed since the previous publication, read from git.

The publish workflow tags each publication ``published-...``; ``build`` by
default compares with the newest such tag. git runs as a subprocess with a
fixed argument list (never a shell), read-only, and every old version of an
entry goes through the same hostile-input loader as the current ones.

No git, not a repository, or no tag yet: the changelog says "first
publication". Only a ref that the user named explicitly and that does not
exist is an error (``HistoryError``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from bot.loading import load_text
from bot.project import ENTRIES_DIR
from bot.site.model import Changelog, diff_entries, first_publication

TAG_PATTERN = "published-*"
GIT_TIMEOUT = 120


class HistoryError(Exception):
    """The ref asked for cannot be used (one-line message)."""


class _NoGit(Exception):
    pass


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise _NoGit("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise _NoGit("git did not answer in time") from None
    if check and result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _NoGit(lines[-1] if lines else "git failed")
    return result


def is_repository(root: Path) -> bool:
    try:
        out = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except _NoGit:
        return False
    return out.returncode == 0 and out.stdout.strip() == b"true"


def last_published_tag(root: Path) -> str | None:
    """The newest ``published-*`` tag, or None."""
    try:
        out = _git(root, "tag", "--list", TAG_PATTERN, "--sort=-creatordate")
    except _NoGit:
        return None
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            return line.strip()
    return None


def _stem(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.parent.as_posix() != ENTRIES_DIR or path.suffix not in (".yaml", ".yml"):
        return None
    return path.stem


def changelog(root: Path, since: str | None, current: dict[str, dict]) -> Changelog:
    """Changes between ``since`` (default: the last published tag) and the
    entries published now (``current``: id -> data)."""
    root = Path(root)
    explicit = since is not None
    if not is_repository(root):
        if explicit:
            raise HistoryError(f"--since {since}: {root} is not a git repository")
        return first_publication("the registry is not a git repository, so there is no earlier publication to compare with")
    if not explicit:
        since = last_published_tag(root)
        if since is None:
            return first_publication("no earlier publication was found (no published-* tag)")
    if since.startswith("-"):
        raise HistoryError(f"--since {since}: not a git ref")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{since}^{{commit}}")
    except _NoGit:
        raise HistoryError(f"--since {since}: no such commit or tag in this repository") from None
    try:
        listed = _git(root, "ls-tree", "-r", "--name-only", since, "--", f"{ENTRIES_DIR}/")
        diff = _git(root, "diff", "--relative", "--no-renames", "--name-status", since, "--", f"{ENTRIES_DIR}/")
    except _NoGit as exc:
        raise HistoryError(f"--since {since}: git could not compare: {exc}") from None
    old_names = {}
    for name in listed.stdout.decode("utf-8", "replace").splitlines():
        stem = _stem(name)
        if stem is not None:
            old_names[stem] = name
    touched = set()
    for line in diff.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            stem = _stem(parts[-1])
            if stem is not None:
                touched.add(stem)
    old: dict[str, dict | None] = {}
    for stem, name in old_names.items():
        if stem not in touched and stem in current:
            old[stem] = current[stem]  # identical in git; skipped below
            continue
        try:
            raw = _git(root, "show", f"{since}:./{name}").stdout
        except _NoGit:
            old[stem] = None
            continue
        doc = load_text(name, raw)
        old[stem] = doc.data if doc.ok and isinstance(doc.data, dict) else None
    unchanged = {stem for stem in old_names if stem not in touched and stem in current}
    return diff_entries(since, old, current, unchanged)
