"""Commands in pull-request comments: ``/recheck``, ``/hold``, ``/unhold``,
``/accept-wording <reason>``. The first line of a comment, case-insensitive,
tolerant of extra spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.governance import Governance
from bot.policy.state import Comment, PullRequestState

RECHECK, HOLD, UNHOLD, ACCEPT = "recheck", "hold", "unhold", "accept-wording"

_COMMAND = re.compile(r"^\s*/(recheck|hold|unhold|accept-wording)(?:\s+(.*?))?\s*$", re.IGNORECASE)

WHO_MAY = {
    RECHECK: "anyone",
    HOLD: "the chair, the co-chair, their alternates and the maintainers",
    UNHOLD: "the chair, the co-chair, their alternates and the maintainers",
    ACCEPT: "the chair, the co-chair and their alternates (not the proposer)",
}


@dataclass(frozen=True)
class Command:
    name: str
    argument: str
    comment: Comment
    allowed: bool
    problem: str | None = None  # why it was refused or cannot apply


def parse_command(body: str) -> tuple[str, str] | None:
    first = (body or "").replace("\r\n", "\n").split("\n", 1)[0]
    match = _COMMAND.match(first)
    if not match:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def commands(state: PullRequestState, governance: Governance) -> tuple[Command, ...]:
    out = []
    proposer = state.who_proposed
    for comment in state.comments:
        if governance.is_bot(comment.user.login):
            continue
        parsed = parse_command(comment.body)
        if parsed is None:
            continue
        name, argument = parsed
        user = comment.user
        approver = governance.is_approver(user.login, user.id)
        maintainer = governance.is_maintainer(user.login, user.id)
        problem = None
        if name == RECHECK:
            allowed = True
        elif name in (HOLD, UNHOLD):
            allowed = approver or maintainer
        else:
            is_proposer = (user.id is not None and user.id == proposer.id) or user.login.lower() == proposer.login.lower()
            allowed = approver and not is_proposer
            if allowed and not argument:
                allowed, problem = False, "a reason is required: `/accept-wording <reason>`"
        if not allowed and problem is None:
            problem = f"`/{name}` may be used by {WHO_MAY[name]}"
        out.append(Command(name, argument, comment, allowed, problem))
    return tuple(out)


def on_hold(cmds: tuple[Command, ...]) -> Command | None:
    """The allowed /hold in force (the latest of /hold and /unhold), if any."""
    current = None
    for cmd in cmds:
        if cmd.allowed and cmd.name == HOLD:
            current = cmd
        elif cmd.allowed and cmd.name == UNHOLD:
            current = None
    return current
