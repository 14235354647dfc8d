"""State of the simulated GitHub: plain objects, git-style content hashing.

Blob and tree ids are real git object ids (so a tree sha or file sha here is
what git itself would compute); commit ids hash the commit's data plus a
sequence number so that two identical pushes still get distinct commits.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

FILE, SYMLINK, SUBMODULE = "100644", "120000", "160000"
EXECUTABLE = "100755"
MODES = {FILE, EXECUTABLE, SYMLINK, SUBMODULE}


def now_iso(clock: _dt.datetime) -> str:
    return clock.strftime("%Y-%m-%dT%H:%M:%SZ")


def git_hash(kind: str, data: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(data)}\0".encode() + data).hexdigest()


@dataclass
class Entry:
    content: bytes
    mode: str = FILE

    @property
    def sha(self) -> str:
        if self.mode == SUBMODULE:  # a gitlink's content is the commit id it points at
            return self.content.decode().strip()
        return git_hash("blob", self.content)


def tree_objects(tree: dict[str, Entry]) -> tuple[str, dict[str, tuple[str, str]]]:
    """Real git tree hashing of a flat path -> Entry map.

    Returns the root tree sha and {dir_path: (tree_sha, "040000")} for every
    directory (root is "")."""
    dirs: dict[str, dict[str, tuple[str, str]]] = {"": {}}
    for path in tree:
        parts = path.split("/")
        for i in range(1, len(parts)):
            dirs.setdefault("/".join(parts[:i]), {})
    for path, entry in tree.items():
        parent, _, name = path.rpartition("/")
        dirs[parent][name] = (entry.mode, entry.sha)
    shas: dict[str, tuple[str, str]] = {}
    for d in sorted(dirs, key=lambda p: -p.count("/") - (1 if p else 0)):
        body = b""
        # git sorts tree entries by name, directories compared as "name/".
        items = sorted(dirs[d].items(), key=lambda kv: kv[0] + ("/" if kv[1][0] == "40000" else ""))
        for entry_name, (mode, sha) in items:
            body += f"{mode} {entry_name}".encode() + b"\0" + bytes.fromhex(sha)
        sha = git_hash("tree", body)
        shas[d] = (sha, "040000")
        if d:
            parent, _, name = d.rpartition("/")
            dirs[parent][name] = ("40000", sha)
    return shas[""][0], shas


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # "User" | "Bot" | "Organization"
    site_admin: bool = False
    name: str | None = None
    email: str | None = None


@dataclass
class Commit:
    sha: str
    parents: list[str]
    tree: dict[str, Entry]
    message: str
    author: User
    date: str

    @property
    def tree_sha(self) -> str:
        return tree_objects(self.tree)[0]


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Reaction:
    id: int
    user: User
    content: str
    created_at: str


@dataclass
class Comment:
    id: int
    issue_number: int
    user: User
    body: str
    created_at: str
    updated_at: str
    reactions: list[Reaction] = field(default_factory=list)


@dataclass
class Review:
    id: int
    user: User
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    commit_id: str
    body: str
    submitted_at: str


@dataclass
class Issue:
    number: int
    id: int
    title: str
    body: str | None
    user: User
    created_at: str
    updated_at: str
    state: str = "open"
    state_reason: str | None = None
    closed_at: str | None = None
    labels: list[str] = field(default_factory=list)  # label names, in the order added
    comments: list[int] = field(default_factory=list)  # comment ids
    assignees: list[str] = field(default_factory=list)
    locked: bool = False
    pull: "Pull | None" = None


@dataclass
class Pull:
    number: int
    id: int
    head_ref: str
    head_sha: str
    base_ref: str
    draft: bool = False
    merged: bool = False
    merged_at: str | None = None
    merged_by: User | None = None
    merge_commit_sha: str | None = None
    mergeable_override: Any = "auto"  # "auto" = computed; else True/False/None
    requested_reviewers: list[str] = field(default_factory=list)
    requested_teams: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    maintainer_can_modify: bool = False
    mergeable_pending: int = 0  # GET reads left that report mergeable: null ("computing")


@dataclass
class Status:
    id: int
    sha: str
    state: str
    context: str
    description: str | None
    target_url: str | None
    creator: User
    created_at: str
    updated_at: str


@dataclass
class CheckRun:
    id: int
    head_sha: str
    name: str
    status: str
    conclusion: str | None
    started_at: str | None
    completed_at: str | None
    external_id: str | None
    details_url: str | None
    output: dict


@dataclass
class Dispatch:
    workflow_id: str
    ref: str
    inputs: dict
    user: User
    at: str


@dataclass
class Repo:
    id: int
    owner: User
    name: str
    default_branch: str
    created_at: str
    private: bool = False
    description: str | None = None
    branches: dict[str, str] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)  # key: lower-cased name
    statuses: list[Status] = field(default_factory=list)
    check_runs: list[CheckRun] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    pushed_at: str | None = None
    collaborators: set[str] = field(default_factory=set)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def pulls(self) -> dict[int, Pull]:
        return {n: i.pull for n, i in self.issues.items() if i.pull is not None}

    def resolve(self, ref: str) -> str | None:
        """Branch name, refs/heads/x, heads/x, or a (possibly abbreviated) commit sha."""
        for prefix in ("refs/heads/", "heads/"):
            if ref.startswith(prefix):
                ref = ref[len(prefix):]
        if ref in self.branches:
            return self.branches[ref]
        if ref in self.commits:
            return ref
        if len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref):
            hits = [s for s in self.commits if s.startswith(ref)]
            if len(hits) == 1:
                return hits[0]
        return None

    def ancestors(self, sha: str) -> list[str]:
        """sha and every commit reachable from it, nearest first."""
        seen, order, queue = set(), [], [sha]
        while queue:
            cur = queue.pop(0)
            if cur in seen or cur not in self.commits:
                continue
            seen.add(cur)
            order.append(cur)
            queue.extend(self.commits[cur].parents)
        return order

    def merge_base(self, a: str, b: str) -> str | None:
        theirs = set(self.ancestors(b))
        for sha in self.ancestors(a):
            if sha in theirs:
                return sha
        return None


def diff_trees(old: dict[str, Entry], new: dict[str, Entry]) -> dict[str, Entry | None]:
    """path -> new Entry (added/changed) or None (deleted)."""
    out: dict[str, Entry | None] = {}
    for path in old.keys() | new.keys():
        a, b = old.get(path), new.get(path)
        if a is None or b is None or a.content != b.content or a.mode != b.mode:
            out[path] = b
    return out
