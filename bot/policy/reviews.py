"""Approvals: who has approved the head commit in which role, who blocks,
and whom to ask for a review."""

from __future__ import annotations

from dataclasses import dataclass

from bot.governance import Governance, Person
from bot.policy.state import APPROVED, CHANGES_REQUESTED, DISMISSED, PullRequestState, User

def same_person(a: User, b: User) -> bool:
    if a.id is not None and b.id is not None:
        return a.id == b.id
    return a.login.lower() == b.login.lower()


def latest_reviews(state: PullRequestState) -> dict[str, object]:
    """For each reviewer, their latest review that counts (APPROVED,
    CHANGES_REQUESTED, DISMISSED); comments are ignored. Keyed by user id
    when known, else by login."""
    latest = {}
    for review in state.reviews:  # GitHub lists reviews oldest first
        if review.state not in (APPROVED, CHANGES_REQUESTED, DISMISSED):
            continue
        key = review.user.id if review.user.id is not None else review.user.login.lower()
        latest[key] = review
    return latest


@dataclass(frozen=True)
class Approvals:
    chair: User | None  # who fills the chair role at the head commit
    co_chair: User | None
    blocking: tuple[User, ...]  # approvers whose latest review requests changes
    stale: tuple[User, ...]  # approvers whose latest approval is on an older commit
    maintainer: User | None  # a maintainer's approval at the head commit
    reviewed_at_head: tuple[User, ...]  # anyone with any review on the head commit

    @property
    def complete(self) -> bool:
        return self.chair is not None and self.co_chair is not None and not self.blocking


def _fits(person: Person | None, user: User) -> bool:
    return person is not None and person.matches(user.login, user.id)


def approvals(state: PullRequestState, governance: Governance) -> Approvals:
    proposer = state.who_proposed
    latest = latest_reviews(state).values()
    at_head = [
        r.user
        for r in latest
        if r.state == APPROVED and r.commit_id == state.head_sha and not same_person(r.user, proposer)
    ]
    blocking = tuple(
        r.user for r in latest if r.state == CHANGES_REQUESTED and governance.is_approver(r.user.login, r.user.id)
    )
    stale = tuple(
        r.user
        for r in latest
        if r.state == APPROVED and r.commit_id != state.head_sha and governance.is_approver(r.user.login, r.user.id)
    )

    def can_chair(user):
        return _fits(governance.chair, user) or any(_fits(a, user) for a in governance.alternates)

    def can_co_chair(user):
        return _fits(governance.co_chair, user) or any(_fits(a, user) for a in governance.alternates)

    # Two roles, two different people: try the natural holders first, then
    # alternates; a person counts once even if they fit both roles.
    best = (None, None)
    ordered = sorted(at_head, key=lambda u: (not _fits(governance.chair, u) and not _fits(governance.co_chair, u), u.login.lower()))
    for first in ordered + [None]:
        for second in ordered + [None]:
            if first is not None and second is not None and same_person(first, second):
                continue
            chair = first if first is not None and can_chair(first) else None
            co = second if second is not None and can_co_chair(second) else None
            score = (chair is not None) + (co is not None)
            if score > (best[0] is not None) + (best[1] is not None):
                best = (chair, co)
    maintainer = next((u for u in at_head if governance.is_maintainer(u.login, u.id)), None)
    # People who looked at this commit (a dismissed review does not count:
    # whoever dismissed it wants a fresh look).
    last_any = {}
    for review in state.reviews:
        key = review.user.id if review.user.id is not None else review.user.login.lower()
        last_any[key] = review
    any_at_head = tuple(r.user for r in last_any.values() if r.commit_id == state.head_sha and r.state != DISMISSED)
    return Approvals(best[0], best[1], blocking, stale, maintainer, any_at_head)


def reviewers_to_request(state: PullRequestState, governance: Governance, result: Approvals, *, maintainers: bool) -> tuple[str, ...]:
    """Logins who should have a pending review request now.

    For entries: the chair and the co-chair (an alternate instead of one who
    is the proposer), for each role not yet filled at the head commit, unless
    they already reviewed this commit. For other changes: the maintainers.
    """
    proposer = state.who_proposed
    wanted: list[Person] = []
    if maintainers:
        if result.maintainer is None:
            wanted = [m for m in governance.maintainers if not m.matches(proposer.login, proposer.id)]
    else:
        alternates = [a for a in governance.alternates if not a.matches(proposer.login, proposer.id)]
        used = []
        for holder, filled in ((governance.chair, result.chair), (governance.co_chair, result.co_chair)):
            if filled is not None:
                continue
            person = holder
            if holder.matches(proposer.login, proposer.id):
                person = next((a for a in alternates if a not in used), None)
            if person is not None:
                used.append(person)
                wanted.append(person)
    out = []
    for person in wanted:
        if any(person.matches(u.login, u.id) for u in result.reviewed_at_head):
            continue  # they looked at this commit; a new request would only nag
        if person.login not in out:
            out.append(person.login)
    return tuple(out)
