"""From the desired outcome to the minimal actions: diff the plan against the
pull request's current state. Re-running on the state these actions produce
yields no actions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.governance import FLAG_LABELS, LABEL_PREFIXES, STATE_LABELS, Governance
from bot.policy.comment import render
from bot.policy.decide import Plan
from bot.policy.memory import bot_comments
from bot.policy.state import PullRequestState


@dataclass(frozen=True)
class AddLabels:
    names: tuple[str, ...]


@dataclass(frozen=True)
class RemoveLabel:
    name: str


@dataclass(frozen=True)
class CreateComment:
    body: str


@dataclass(frozen=True)
class EditComment:
    comment_id: int
    body: str


@dataclass(frozen=True)
class DeleteComment:
    comment_id: int


@dataclass(frozen=True)
class RequestReviews:
    logins: tuple[str, ...]


@dataclass(frozen=True)
class SetStatus:
    sha: str
    state: str
    description: str
    context: str


@dataclass(frozen=True)
class React:
    comment_id: int
    content: str


@dataclass(frozen=True)
class Merge:
    expected_sha: str
    title: str
    message: str
    method: str = "squash"




def owned_label(name: str, governance: Governance) -> bool:
    """Labels the bot manages; it never touches anyone else's."""
    mine = {governance.label(k) for k in (*STATE_LABELS, *FLAG_LABELS)}
    return name in mine or name.startswith(LABEL_PREFIXES)


def plan_actions(plan: Plan, state: PullRequestState, governance: Governance) -> tuple:
    if plan.kind == "closed":
        return ()
    actions: list = []
    for comment_id, content in plan.reactions:
        actions.append(React(comment_id, content))

    current = {name for name in state.labels if owned_label(name, governance)}
    add = tuple(sorted(plan.labels - current))
    if add:
        actions.append(AddLabels(add))
    for name in sorted(current - plan.labels):
        actions.append(RemoveLabel(name))

    pending = {u.login.lower() for u in state.requested_reviewers}
    request = tuple(login for login in plan.reviewers if login.lower() not in pending)
    if request:
        actions.append(RequestReviews(request))

    if plan.status is not None:
        current_status = state.status
        if (
            current_status is None
            or current_status.state != plan.status.state
            or current_status.description != plan.status.description
        ):
            actions.append(SetStatus(state.head_sha, plan.status.state, plan.status.description, plan.status.context))

    # The comment last: its hidden memory then only records what was done.
    body = render(plan, state, governance)
    mine = bot_comments(state, governance)
    if not mine:
        actions.append(CreateComment(body))
    else:
        if mine[0].body != body:
            actions.append(EditComment(mine[0].id, body))
        for extra in mine[1:]:  # left over from an interrupted run
            actions.append(DeleteComment(extra.id))

    if plan.merge is not None:
        actions.append(Merge(plan.merge.expected_sha, plan.merge.title, plan.merge.message, plan.merge.method))
    return tuple(actions)
