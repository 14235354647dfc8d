"""What the bot knows about a pull request: plain, frozen data.

The GitHub adapter fills these in; the tests write them as JSON scenario
files. Nothing here talks to GitHub or reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass

APPROVED, CHANGES_REQUESTED, DISMISSED, COMMENTED = "APPROVED", "CHANGES_REQUESTED", "DISMISSED", "COMMENTED"


@dataclass(frozen=True)
class User:
    login: str
    id: int | None = None


@dataclass(frozen=True)
class ChangedFile:
    """A file the pull request changes. ``content`` is the file at the head
    commit (None when removed); ``base_content`` the published version on the
    default branch (None when new). ``mode`` is the git mode at the head."""

    path: str
    status: str  # added | modified | removed | renamed
    content: bytes | None = None
    base_content: bytes | None = None
    previous_path: str | None = None
    mode: str = "100644"


@dataclass(frozen=True)
class Review:
    id: int
    user: User
    state: str  # APPROVED | CHANGES_REQUESTED | DISMISSED | COMMENTED
    commit_id: str
    submitted_at: str = ""


@dataclass(frozen=True)
class Comment:
    id: int
    user: User
    body: str
    created_at: str = ""
    # reactions the bot already left on this comment
    bot_reactions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    state: str  # success | failure | pending | error
    description: str
    context: str = "registry-bot"


@dataclass(frozen=True)
class PullRequestState:
    repo: str
    number: int
    title: str
    author: User
    head_sha: str
    head_committed_at: str  # ISO 8601, UTC: shown in the comment instead of "now"
    base_ref: str
    files: tuple[ChangedFile, ...]
    # sha of the default branch the registry was read from (local checkout),
    # and the default branch's tip now: if they differ, re-check before merging
    registry_sha: str
    base_branch_sha: str
    default_branch: str = "main"
    registry: dict = field(default_factory=dict)  # path -> bytes of the default branch's entries
    labels: tuple[str, ...] = ()
    requested_reviewers: tuple[User, ...] = ()
    reviews: tuple[Review, ...] = ()
    comments: tuple[Comment, ...] = ()  # issue comments, oldest first, including the bot's
    draft: bool = False
    open: bool = True
    merged: bool = False
    mergeable: bool | None = None  # None: GitHub has not computed it yet
    status: Status | None = None  # the bot's current commit status on head_sha
    proposer: User | None = None  # for intake pull requests: the author
    files_truncated: bool = False  # GitHub lists at most 3,000 files

    @property
    def who_proposed(self) -> User:
        return self.proposer or self.author


# ---------------------------------------------------------------------------
# JSON round trip for scenario files


def to_jsonable(value):
    if is_dataclass(value):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return {"base64": __import__("base64").b64encode(value).decode()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def _bytes(value):
    if value is None:
        return None
    if isinstance(value, dict) and "base64" in value:
        return __import__("base64").b64decode(value["base64"])
    return value.encode("utf-8")


def _user(data):
    return User(**data) if isinstance(data, dict) else User(str(data))


def state_from_jsonable(data: dict) -> PullRequestState:
    files = tuple(
        ChangedFile(
            path=f["path"],
            status=f["status"],
            content=_bytes(f.get("content")),
            base_content=_bytes(f.get("base_content")),
            previous_path=f.get("previous_path"),
            mode=f.get("mode", "100644"),
        )
        for f in data.get("files", ())
    )
    return PullRequestState(
        repo=data["repo"],
        number=data["number"],
        title=data.get("title", ""),
        author=_user(data["author"]),
        head_sha=data["head_sha"],
        head_committed_at=data.get("head_committed_at", "2026-11-29T12:00:00Z"),
        base_ref=data.get("base_ref", "main"),
        default_branch=data.get("default_branch", "main"),
        files=files,
        registry_sha=data.get("registry_sha", "b" * 40),
        base_branch_sha=data.get("base_branch_sha", data.get("registry_sha", "b" * 40)),
        registry={k: _bytes(v) for k, v in (data.get("registry") or {}).items()},
        labels=tuple(data.get("labels", ())),
        requested_reviewers=tuple(_user(u) for u in data.get("requested_reviewers", ())),
        reviews=tuple(
            Review(r["id"], _user(r["user"]), r["state"], r["commit_id"], r.get("submitted_at", "")) for r in data.get("reviews", ())
        ),
        comments=tuple(
            Comment(c["id"], _user(c["user"]), c["body"], c.get("created_at", ""), tuple(c.get("bot_reactions", ())))
            for c in data.get("comments", ())
        ),
        draft=data.get("draft", False),
        open=data.get("open", True),
        merged=data.get("merged", False),
        mergeable=data.get("mergeable", True),
        status=Status(**data["status"]) if data.get("status") else None,
        proposer=_user(data["proposer"]) if data.get("proposer") else None,
        files_truncated=data.get("files_truncated", False),
    )
