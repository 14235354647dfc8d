"""The bot's memory between runs, kept in its own comment.

GitHub holds no place for "which commands did the bot already answer" or
"which flags did the chair accept, and at which commit". The bot writes that
into a hidden block of its one comment, which only it edits. It is read back
only from a comment that has both the marker *and* the bot's login as author:
anyone can paste a marker, nobody else can post as the bot.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass, field

from bot.governance import Governance
from bot.policy.state import Comment, PullRequestState

MARKER = "<!-- registry-bot:review -->"
_STATE = re.compile(r"<!-- registry-bot:state ([A-Za-z0-9+/=]{0,20000}) -->")


@dataclass(frozen=True)
class Acceptance:
    comment_id: int
    by: str
    reason: str
    sha: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Memory:
    sha: str | None = None  # head commit of the last evaluation
    flags: tuple[str, ...] = ()  # flag identities open at that commit
    acks: tuple[int, ...] = ()  # command comments already answered with a reaction
    acceptances: tuple[Acceptance, ...] = field(default_factory=tuple)
    # the commit status the bot set on `sha` (state, description): GitHub's
    # statuses cost a request to read, the comment is read anyway
    status: tuple[str, str] | None = None

    def encode(self) -> str:
        data = asdict(self)
        raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        return f"<!-- registry-bot:state {base64.b64encode(raw).decode()} -->"

    @classmethod
    def decode(cls, body: str) -> "Memory":
        match = _STATE.search(body or "")
        if not match:
            return cls()
        try:
            data = json.loads(base64.b64decode(match.group(1), validate=True))
            return cls(
                sha=data.get("sha") if isinstance(data.get("sha"), str) else None,
                flags=tuple(str(f) for f in data.get("flags", ())),
                acks=tuple(int(a) for a in data.get("acks", ())),
                acceptances=tuple(
                    Acceptance(int(a["comment_id"]), str(a["by"]), str(a["reason"]), str(a["sha"]), tuple(map(str, a["flags"])))
                    for a in data.get("acceptances", ())
                ),
                status=tuple(map(str, data["status"]))[:2] if isinstance(data.get("status"), list) and len(data["status"]) == 2 else None,
            )
        except (ValueError, KeyError, TypeError):
            return cls()  # a damaged block is forgotten, not trusted


def bot_comments(state: PullRequestState, governance: Governance) -> list[Comment]:
    """The bot's own review comments: marker AND the bot's login."""
    return [c for c in state.comments if governance.is_bot(c.user.login) and MARKER in (c.body or "")]


def read_memory(state: PullRequestState, governance: Governance) -> Memory:
    mine = bot_comments(state, governance)
    return Memory.decode(mine[0].body) if mine else Memory()
