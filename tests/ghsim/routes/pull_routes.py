"""Pull requests: list, create, update, files, commits, reviews, reviewers, merge."""

from __future__ import annotations

from . import DOCS, ApiError, invalid, not_found, route


# --- pull requests ---------------------------------------------------------------------
@route("GET", "/repos/{owner}/{repo}/pulls")
def list_pulls(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    state, head, base = ctx.q("state", "open"), ctx.q("head"), ctx.q("base")
    out = []
    for issue in rp.issues.values():
        pr = issue.pull
        if pr is None or (state != "all" and issue.state != state):
            continue
        if head and head not in (f"{rp.owner.login}:{pr.head_ref}", pr.head_ref):
            continue
        if base and base != pr.base_ref:
            continue
        out.append(issue)
    key = {"created": lambda i: i.created_at, "updated": lambda i: i.updated_at}.get(
        ctx.q("sort", "created"), lambda i: i.created_at)
    out.sort(key=lambda i: (key(i), i.number), reverse=ctx.q("direction", "desc") == "desc")
    return 200, [ctx.r.pull(rp, i, full=False) for i in ctx.paginate(out)]


@route("POST", "/repos/{owner}/{repo}/pulls")
def create_pull(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    head = body.get("head", "")
    if ":" in head:
        who, _, head = head.partition(":")
        if who != rp.owner.login:
            raise invalid("head", resource="PullRequest")
    base = body.get("base", "")
    if head not in rp.branches:
        raise invalid("head", resource="PullRequest")
    if base not in rp.branches:
        raise invalid("base", resource="PullRequest")
    for issue in rp.issues.values():
        if issue.pull and issue.state == "open" and issue.pull.head_ref == head and issue.pull.base_ref == base:
            raise ApiError(422, "Validation Failed", [{
                "resource": "PullRequest", "code": "custom",
                "message": f"A pull request already exists for {rp.owner.login}:{head}."}])
    if rp.branches[head] in rp.ancestors(rp.branches[base]):
        raise ApiError(422, "Validation Failed", [{
            "resource": "PullRequest", "code": "custom", "message": f"No commits between {base} and {head}"}])
    if not body.get("title"):
        raise invalid("title", code="missing_field", resource="PullRequest")
    number = ctx.sim.open_pull(rp, head, base, user=ctx.actor.login, title=body["title"],
                               body=body.get("body"), draft=bool(body.get("draft")))
    rp.issues[number].pull.maintainer_can_modify = bool(body.get("maintainer_can_modify"))
    return 201, ctx.r.pull(rp, rp.issues[number])


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}")
def get_pull(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    out = ctx.r.pull(rp, issue, reading=True)
    if issue.pull.mergeable_pending > 0:
        issue.pull.mergeable_pending -= 1
    return 200, out


@route("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}")
def update_pull(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    body = ctx.json()
    if body.get("state") not in (None, "open", "closed"):
        raise invalid("state", resource="PullRequest")
    if issue.pull.merged and body.get("state") == "open":
        raise ApiError(422, "Validation Failed", [{"resource": "PullRequest", "code": "custom",
                                                   "message": "Cannot reopen a merged pull request"}])
    if "base" in body:
        if body["base"] not in rp.branches:
            raise invalid("base", resource="PullRequest")
        issue.pull.base_ref = body["base"]
    ctx.sim.edit_issue(rp, issue.number, title=body.get("title"), body=body.get("body"),
                       state=body.get("state"))
    return 200, ctx.r.pull(rp, issue)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files")
def pull_files(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    return 200, ctx.paginate(ctx.sim._pull_files(rp, issue)[:3000])


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits")
def pull_commits(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    shas = ctx.sim._pull_commit_shas(rp, issue)[:250]
    return 200, [ctx.r.commit(rp, rp.commits[s]) for s in ctx.paginate(shas)]


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
def pull_reviews(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    return 200, [ctx.r.review(rp, issue, r) for r in ctx.paginate(issue.pull.reviews)]


@route("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews")
def create_review(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    body = ctx.json()
    event = body.get("event", "PENDING")
    if issue.user.login == ctx.actor.login and event in ("APPROVE", "REQUEST_CHANGES"):
        raise ApiError(422, "Unprocessable Entity", [f"Can not {event.lower().replace('_', ' ')} your own pull request"])
    rid = ctx.sim.review(rp, issue.number, ctx.actor.login, event,
                         commit_id=body.get("commit_id"), body=body.get("body", ""))
    review = next(r for r in issue.pull.reviews if r.id == rid)
    return 200, ctx.r.review(rp, issue, review)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def get_requested(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    pr = ctx.issue(rp, pull_number, pull=True).pull
    return 200, {"users": [ctx.r.user(ctx.sim.users[u]) for u in pr.requested_reviewers], "teams": []}


@route("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def request_reviewers(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    logins = ctx.json().get("reviewers") or []
    if issue.user.login in logins:
        raise ApiError(422, "Review cannot be requested from pull request author.")
    strangers = [x for x in logins if x not in rp.collaborators and x != rp.owner.login]
    if strangers:
        raise ApiError(422, "Reviews may only be requested from collaborators. One or more of the users "
                            f"or teams you specified is not a collaborator of the {rp.full_name} repository.")
    ctx.sim.request_reviewers(rp, issue.number, logins)
    return 201, ctx.r.pull(rp, issue, full=False)


@route("DELETE", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
def remove_requested(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    for login in ctx.json().get("reviewers") or []:
        if login in issue.pull.requested_reviewers:
            issue.pull.requested_reviewers.remove(login)
    return 200, ctx.r.pull(rp, issue, full=False)


@route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/merge")
def is_merged(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    if not ctx.issue(rp, pull_number, pull=True).pull.merged:
        raise not_found()
    return 204, None


@route("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge")
def merge(ctx, owner, repo, pull_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, pull_number, pull=True)
    pr = issue.pull
    body = ctx.json()
    docs = DOCS + "/pulls/pulls#merge-a-pull-request"
    method = body.get("merge_method", "merge")
    if method not in ("merge", "squash", "rebase"):
        raise invalid("merge_method", resource="PullRequest")
    if issue.state != "open" or pr.merged:
        raise ApiError(405, "Pull Request is not mergeable", docs=docs)
    if body.get("sha") and body["sha"] != pr.head_sha:
        raise ApiError(409, "Head branch was modified. Review and try the merge again.", docs=docs)
    if pr.draft:
        raise ApiError(405, "Pull Request is still a draft", docs=docs)
    if ctx.sim._mergeable(rp, issue) is not True:
        raise ApiError(405, "Pull Request is not mergeable", docs=docs)
    sha = ctx.sim._merge(rp, issue, method, body.get("commit_title"), body.get("commit_message"),
                         ctx.actor)
    return 200, {"sha": sha, "merged": True, "message": "Pull Request successfully merged"}
