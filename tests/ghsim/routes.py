"""REST endpoints: one small handler per GitHub operation, on GitHub's own path templates.

To add an endpoint, copy its path template verbatim from the OpenAPI description
into @route(...) and return (status, body); tests/ghsim/test_routes.py checks
every template here exists in the spec.
"""

from __future__ import annotations

import base64
import binascii
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable

from . import model as m
from .model import CheckRun, Dispatch, Issue, Repo, Status

DOCS = "https://docs.github.com/rest"


class ApiError(Exception):
    def __init__(self, status: int, message: str, errors: list | None = None, docs: str = DOCS):
        super().__init__(message)
        self.status, self.message, self.errors, self.docs = status, message, errors, docs

    def body(self) -> dict:
        out: dict[str, Any] = {"message": self.message, "documentation_url": self.docs}
        if self.errors is not None:
            out["errors"] = self.errors
        out["status"] = str(self.status)
        return out


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def invalid(field_name: str, code: str = "invalid", resource: str = "Issue", message: str | None = None):
    err = {"resource": resource, "code": code, "field": field_name}
    if message:
        err["message"] = message
    return ApiError(422, "Validation Failed", [err])


@dataclass
class Ctx:
    sim: Any
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    actor: Any = None  # the User the request's token acts as
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def r(self):
        return self.sim.render

    def q(self, name: str, default: str | None = None) -> str | None:
        vals = self.query.get(name)
        return vals[-1] if vals else default

    def json(self) -> dict:
        return self.body if isinstance(self.body, dict) else {}

    def repo(self, owner: str, name: str) -> Repo:
        repo = self.sim.repos.get(f"{owner}/{name}")
        if repo is None:
            raise not_found()
        return repo

    def issue(self, repo: Repo, number: str, pull: bool = False) -> Issue:
        issue = repo.issues.get(int(number)) if number.isdigit() else None
        if issue is None or (pull and issue.pull is None):
            raise not_found()
        return issue

    def paginate(self, items: list) -> list:
        per_page = max(1, min(int(self.q("per_page", "30") or 30), 100))
        page = max(1, int(self.q("page", "1") or 1))
        last = max(1, -(-len(items) // per_page))
        links = []

        def link(n: int, rel: str) -> None:
            query = {k: v[-1] for k, v in self.query.items()}
            query.update(page=str(n), per_page=str(per_page))
            links.append(f'<{self.sim.base_url}{self.path}?{urllib.parse.urlencode(query)}>; rel="{rel}"')

        if page > 1:
            link(page - 1, "prev")
        if page < last:
            link(page + 1, "next")
            link(last, "last")
        if page > 1:
            link(1, "first")
        if links:
            self.headers["Link"] = ", ".join(links)
        return items[(page - 1) * per_page: page * per_page]


Handler = Callable[..., tuple[int, Any]]
ROUTES: list[tuple[str, str, re.Pattern, Handler]] = []


def route(method: str, template: str):
    segs = template.strip("/").split("/")
    pattern = ""
    for i, seg in enumerate(segs):
        if seg.startswith("{"):
            name = seg[1:-1]
            greedy = i == len(segs) - 1 and name in ("path", "ref", "branch")
            # contents/{path} may be empty: "contents/" lists the root directory.
            body = ".*" if name == "path" else ".+"
            pattern += f"/(?P<{name}>{body})" if greedy else f"/(?P<{name}>[^/]+)"
        else:
            pattern += "/" + re.escape(seg)
    regex = re.compile(pattern + "$")

    def deco(fn: Handler) -> Handler:
        ROUTES.append((method, template, regex, fn))
        return fn
    return deco


def dispatch(sim, method: str, path: str, query: dict, body: Any,
             token: str | None = None) -> tuple[int, Any, dict, str | None]:
    """(status, body, headers, template of the route that served it or None)."""
    matches = [(t, rx.match(path), fn) for meth, t, rx, fn in ROUTES if meth == method]
    matches = [(t, mt, fn) for t, mt, fn in matches if mt]
    if not matches:
        return 404, ApiError(404, "Not Found").body(), {}, None
    # The most literal segments win (/issues/comments/{id} over /issues/{n}/comments).
    template, mt, fn = max(matches, key=lambda x: sum(1 for s in x[0].split("/") if s and s[0] != "{"))
    ctx = Ctx(sim, method, path, query, body, actor=sim.actor_for(token))
    params = {k: urllib.parse.unquote(v) for k, v in mt.groupdict().items()}
    try:
        with sim.lock:
            status, out = fn(ctx, **params)
    except ApiError as exc:
        return exc.status, exc.body(), ctx.headers, template
    return status, out, ctx.headers, template


# --- meta -----------------------------------------------------------------------------
@route("GET", "/user")
def get_user(ctx):
    # A GITHUB_TOKEN (installation token) cannot read /user.
    raise ApiError(403, "Resource not accessible by integration",
                   docs=DOCS + "/users/users#get-the-authenticated-user")


@route("GET", "/rate_limit")
def rate_limit(ctx):
    reset = int(time.time()) + 3600
    used = len(ctx.sim.log)
    core = {"limit": 5000, "used": used, "remaining": max(0, 5000 - used), "reset": reset}
    res = {k: {"limit": 1000, "used": 0, "remaining": 1000, "reset": reset}
           for k in ("search", "graphql", "integration_manifest", "code_scanning_upload")}
    res["core"] = core
    return 200, {"resources": res, "rate": core}


# --- repositories -------------------------------------------------------------------
@route("GET", "/repos/{owner}/{repo}")
def get_repo(ctx, owner, repo):
    return 200, ctx.r.repo(ctx.repo(owner, repo))


@route("GET", "/repos/{owner}/{repo}/branches/{branch}")
def get_branch(ctx, owner, repo, branch):
    rp = ctx.repo(owner, repo)
    if branch not in rp.branches:
        raise ApiError(404, "Branch not found", docs=DOCS + "/branches/branches#get-a-branch")
    return 200, ctx.r.branch(rp, branch)


# --- git --------------------------------------------------------------------------------
def _branch_of_ref(ref: str) -> str:
    for prefix in ("refs/heads/", "heads/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    raise not_found()


@route("GET", "/repos/{owner}/{repo}/git/refs")
def list_refs(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    return 200, ctx.paginate([ctx.r.ref(rp, b) for b in sorted(rp.branches)])


@route("GET", "/repos/{owner}/{repo}/git/matching-refs/{ref}")
def matching_refs(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    return 200, [ctx.r.ref(rp, b) for b in sorted(rp.branches) if f"heads/{b}".startswith(ref)]


@route("GET", "/repos/{owner}/{repo}/git/ref/{ref}")
def get_ref(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    branch = _branch_of_ref(ref)
    if branch not in rp.branches:
        raise not_found()
    return 200, ctx.r.ref(rp, branch)


@route("POST", "/repos/{owner}/{repo}/git/refs")
def create_ref(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    ref, sha = body.get("ref", ""), body.get("sha", "")
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    if sha not in rp.commits:
        raise ApiError(422, "Object does not exist")
    branch = _branch_of_ref(ref)
    if branch in rp.branches:
        raise ApiError(422, "Reference already exists")
    ctx.sim._move_branch(rp, branch, sha)
    return 201, ctx.r.ref(rp, branch)


@route("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}")
def update_ref(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    branch = _branch_of_ref(ref)
    if branch not in rp.branches:
        raise ApiError(422, "Reference does not exist")
    sha = ctx.json().get("sha", "")
    if sha not in rp.commits:
        raise ApiError(422, "Object does not exist")
    if not ctx.json().get("force") and rp.branches[branch] not in rp.ancestors(sha):
        raise ApiError(422, "Update is not a fast forward")
    ctx.sim._move_branch(rp, branch, sha)
    return 200, ctx.r.ref(rp, branch)


@route("DELETE", "/repos/{owner}/{repo}/git/refs/{ref}")
def delete_ref(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    branch = _branch_of_ref(ref)
    if branch not in rp.branches:
        raise ApiError(422, "Reference does not exist")
    del rp.branches[branch]
    return 204, None


def _find_tree(rp: Repo, sha: str) -> tuple[dict[str, m.Entry], str, str] | None:
    """(flat tree, directory prefix, tree sha) for a commit-ish or a tree sha."""
    commit = rp.resolve(sha)
    if commit:
        tree = rp.commits[commit].tree
        return tree, "", m.tree_objects(tree)[0]
    for c in rp.commits.values():
        for d, (tsha, _) in m.tree_objects(c.tree)[1].items():
            if tsha == sha:
                return c.tree, d, tsha
    return None


@route("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}")
def get_tree(ctx, owner, repo, tree_sha):
    rp = ctx.repo(owner, repo)
    found = _find_tree(rp, tree_sha)
    if found is None:
        raise not_found()
    tree, prefix, sha = found
    recursive = ctx.q("recursive") not in (None, "", "0", "false")
    u = ctx.r.repo_url(rp)
    dirs = m.tree_objects(tree)[1]
    pre = prefix + "/" if prefix else ""
    items = []
    for d, (dsha, _) in dirs.items():
        if d and d.startswith(pre) and (recursive or "/" not in d[len(pre):]):
            items.append({"path": d[len(pre):], "mode": "040000", "type": "tree", "sha": dsha,
                          "url": f"{u}/git/trees/{dsha}"})
    for path, e in tree.items():
        if path.startswith(pre) and (recursive or "/" not in path[len(pre):]):
            item = {"path": path[len(pre):], "mode": e.mode, "sha": e.sha}
            if e.mode == m.SUBMODULE:
                item["type"] = "commit"
            else:
                item.update(type="blob", size=len(e.content), url=f"{u}/git/blobs/{e.sha}")
            items.append(item)
    items.sort(key=lambda i: i["path"])
    return 200, {"sha": sha, "url": f"{u}/git/trees/{sha}", "tree": items, "truncated": False}


# --- contents ----------------------------------------------------------------------------
def _resolve_ref(ctx, rp: Repo) -> tuple[str, str]:
    ref = ctx.q("ref") or rp.default_branch
    sha = rp.resolve(ref)
    if sha is None:
        raise ApiError(404, f"No commit found for the ref {ref}",
                       docs=DOCS + "/repos/contents#get-repository-content")
    return ref, sha


@route("GET", "/repos/{owner}/{repo}/contents/{path}")
def get_contents(ctx, owner, repo, path):
    rp = ctx.repo(owner, repo)
    ref, sha = _resolve_ref(ctx, rp)
    tree = rp.commits[sha].tree
    path = path.strip("/")
    entry = tree.get(path)
    if entry is not None:
        if entry.mode == m.SYMLINK:
            # GitHub serves the target when it is a regular file in the repository.
            target = _normalise(path.rpartition("/")[0], entry.content.decode(errors="replace"))
            hit = tree.get(target) if target else None
            if hit is not None and hit.mode in (m.FILE, m.EXECUTABLE):
                return 200, ctx.r.content_item(rp, target, ref, hit)
        return 200, ctx.r.content_item(rp, path, ref, entry)
    dirs = m.tree_objects(tree)[1]
    if path in dirs:
        pre = path + "/" if path else ""
        listing = []
        for d, (dsha, _) in dirs.items():
            if d and d.startswith(pre) and "/" not in d[len(pre):]:
                listing.append(ctx.r.content_item(rp, d, ref, None, dir_sha=dsha))
        for p, e in tree.items():
            if p.startswith(pre) and "/" not in p[len(pre):]:
                listing.append(ctx.r.content_item(rp, p, ref, e, listing=True))
        return 200, sorted(listing, key=lambda i: i["name"])
    raise ApiError(404, "Not Found", docs=DOCS + "/repos/contents#get-repository-content")


def _normalise(base: str, target: str) -> str | None:
    parts = [] if target.startswith("/") else [p for p in base.split("/") if p]
    for p in target.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(p)
    return "/".join(parts)


@route("PUT", "/repos/{owner}/{repo}/contents/{path}")
def put_contents(ctx, owner, repo, path):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    branch = body.get("branch") or rp.default_branch
    if branch not in rp.branches:
        raise ApiError(404, f"Branch {branch} not found")
    try:
        content = base64.b64decode(body.get("content", ""), validate=False)
    except binascii.Error:
        raise ApiError(422, "content is not valid Base64") from None
    tree = rp.commits[rp.branches[branch]].tree
    old = tree.get(path)
    if old is not None and not body.get("sha"):
        raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if old is not None and body.get("sha") != old.sha:
        raise ApiError(409, f"{path} does not match {body.get('sha')}")
    sim = ctx.sim
    who = ctx.actor
    new_tree = dict(tree)
    new_tree[path] = m.Entry(content)
    sha = sim._commit(rp, [rp.branches[branch]], new_tree, body.get("message", ""), who)
    sim._move_branch(rp, branch, sha)
    item = ctx.r.content_item(rp, path, branch, new_tree[path], listing=True)
    return (200 if old else 201), {"content": item,
                                   "commit": ctx.r.git_commit_short(rp, rp.commits[sha])}


# --- commits ---------------------------------------------------------------------------
@route("GET", "/repos/{owner}/{repo}/commits/{ref}")
def get_commit(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    sha = rp.resolve(ref)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    c = rp.commits[sha]
    parent = rp.commits[c.parents[0]].tree if c.parents else {}
    files = ctx.sim._diff_entries(rp, parent, c.tree, sha)
    return 200, ctx.r.commit(rp, c, files=files)


@route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls")
def commit_pulls(ctx, owner, repo, commit_sha):
    rp = ctx.repo(owner, repo)
    sha = rp.resolve(commit_sha)
    if sha is None:
        raise ApiError(422, f"No commit found for SHA: {commit_sha}")
    out = []
    for issue in rp.issues.values():
        if issue.pull and (issue.pull.merge_commit_sha == sha or
                           sha in ctx.sim._pull_commit_shas(rp, issue)):
            out.append(ctx.r.pull(rp, issue, full=False))
    return 200, ctx.paginate(out)


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


# --- issues, comments, reactions -----------------------------------------------------------
@route("POST", "/repos/{owner}/{repo}/issues")
def create_issue(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    if not body.get("title"):
        raise invalid("title", code="missing_field")
    n = ctx.sim.open_issue(rp, ctx.actor.login, str(body["title"]), body.get("body"),
                           labels=[lab if isinstance(lab, str) else lab["name"] for lab in body.get("labels", [])])
    return 201, ctx.r.issue(rp, rp.issues[n])


@route("GET", "/repos/{owner}/{repo}/issues")
def list_issues(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    state = ctx.q("state", "open")
    wanted = {x.strip().lower() for x in (ctx.q("labels") or "").split(",") if x.strip()}
    out = [i for i in rp.issues.values()
           if (state == "all" or i.state == state) and wanted <= {n.lower() for n in i.labels}
           and (ctx.q("creator") is None or i.user.login == ctx.q("creator"))]
    key = (lambda i: i.updated_at) if ctx.q("sort") == "updated" else (lambda i: i.created_at)
    out.sort(key=lambda i: (key(i), i.number), reverse=ctx.q("direction", "desc") == "desc")
    return 200, [ctx.r.issue(rp, i) for i in ctx.paginate(out)]


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    return 200, ctx.r.issue(rp, ctx.issue(rp, issue_number))


@route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    body = ctx.json()
    if body.get("state") not in (None, "open", "closed"):
        raise invalid("state")
    labels = body.get("labels")
    if labels is not None:
        labels = [lab if isinstance(lab, str) else lab["name"] for lab in labels]
    if "assignees" in body:
        issue.assignees = [ctx.sim.user(a).login for a in body["assignees"] or []]
    ctx.sim.edit_issue(rp, issue.number, title=body.get("title"), body=body.get("body"),
                       state=body.get("state"), labels=labels, state_reason=body.get("state_reason"))
    return 200, ctx.r.issue(rp, issue)


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def list_comments(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    store = ctx.sim._comments[rp.full_name]
    return 200, [ctx.r.comment(rp, store[i]) for i in ctx.paginate(issue.comments)]


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    text = ctx.json().get("body")
    if not isinstance(text, str) or not text:
        raise invalid("body", code="missing_field", resource="IssueComment")
    if len(text) > 65536:
        raise invalid("body", code="custom", resource="IssueComment",
                      message="Body is too long (maximum is 65536 characters)")
    cid = ctx.sim.comment(rp, issue.number, ctx.actor.login, text)
    return 201, ctx.r.comment(rp, ctx.sim._comments[rp.full_name][cid])


def _comment(ctx, rp: Repo, comment_id: str):
    c = ctx.sim._comments[rp.full_name].get(int(comment_id)) if comment_id.isdigit() else None
    if c is None:
        raise not_found()
    return c


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    return 200, ctx.r.comment(rp, _comment(ctx, rp, comment_id))


@route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def edit_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    text = ctx.json().get("body")
    if not isinstance(text, str) or not text:
        raise invalid("body", code="missing_field", resource="IssueComment")
    if len(text) > 65536:
        raise invalid("body", code="custom", resource="IssueComment",
                      message="Body is too long (maximum is 65536 characters)")
    c.body, c.updated_at = text, ctx.sim.now()
    return 200, ctx.r.comment(rp, c)


@route("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def delete_comment(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    rp.issues[c.issue_number].comments.remove(c.id)
    del ctx.sim._comments[rp.full_name][c.id]
    return 204, None


REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
def list_reactions(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    return 200, [ctx.r.reaction(x) for x in ctx.paginate(_comment(ctx, rp, comment_id).reactions)]


@route("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")
def add_reaction(ctx, owner, repo, comment_id):
    rp = ctx.repo(owner, repo)
    c = _comment(ctx, rp, comment_id)
    content = ctx.json().get("content")
    if content not in REACTIONS:
        raise invalid("content", resource="Reaction")
    for x in c.reactions:
        if x.user.login == ctx.actor.login and x.content == content:
            return 200, ctx.r.reaction(x)
    x = m.Reaction(id=ctx.sim.new_id(), user=ctx.actor, content=content, created_at=ctx.sim.now())
    c.reactions.append(x)
    return 201, ctx.r.reaction(x)


# --- labels --------------------------------------------------------------------------------
def _label_names(body: Any) -> list[str]:
    items = body.get("labels", []) if isinstance(body, dict) else body
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list):
        raise invalid("labels", resource="Label")
    return [i if isinstance(i, str) else i.get("name", "") for i in items]


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def issue_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    return 200, [ctx.r.label(rp, n) for n in ctx.paginate(issue.labels)]


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    for name in _label_names(ctx.body):
        ctx.sim._add_label(rp, issue, name)
    issue.updated_at = ctx.sim.now()
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def set_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    ctx.sim.edit_issue(rp, issue.number, labels=_label_names(ctx.body))
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def clear_labels(ctx, owner, repo, issue_number):
    rp = ctx.repo(owner, repo)
    ctx.sim.edit_issue(rp, ctx.issue(rp, issue_number).number, labels=[])
    return 204, None


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
def remove_label(ctx, owner, repo, issue_number, name):
    rp = ctx.repo(owner, repo)
    issue = ctx.issue(rp, issue_number)
    hit = [n for n in issue.labels if n.lower() == name.lower()]
    if not hit:
        raise ApiError(404, "Label does not exist", docs=DOCS + "/issues/labels#remove-a-label-from-an-issue")
    issue.labels.remove(hit[0])
    issue.updated_at = ctx.sim.now()
    return 200, [ctx.r.label(rp, n) for n in issue.labels]


@route("GET", "/repos/{owner}/{repo}/labels")
def list_labels(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    return 200, [ctx.r.label(rp, k) for k in ctx.paginate(list(rp.labels))]


@route("POST", "/repos/{owner}/{repo}/labels")
def create_label(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    name = body.get("name")
    if not name:
        raise invalid("name", code="missing_field", resource="Label")
    if name.lower() in rp.labels:
        raise invalid("name", code="already_exists", resource="Label")
    color = (body.get("color") or "ededed").lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", color):
        raise invalid("color", resource="Label")
    ctx.sim.create_label(rp, name, color, body.get("description"))
    return 201, ctx.r.label(rp, name)


@route("GET", "/repos/{owner}/{repo}/labels/{name}")
def get_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    if name.lower() not in rp.labels:
        raise not_found()
    return 200, ctx.r.label(rp, name)


@route("PATCH", "/repos/{owner}/{repo}/labels/{name}")
def update_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    lab = rp.labels.get(name.lower())
    if lab is None:
        raise not_found()
    body = ctx.json()
    if body.get("new_name"):
        del rp.labels[name.lower()]
        for issue in rp.issues.values():
            issue.labels = [body["new_name"] if n == lab.name else n for n in issue.labels]
        lab.name = body["new_name"]
        rp.labels[lab.name.lower()] = lab
    if body.get("color"):
        lab.color = body["color"].lstrip("#")
    if "description" in body:
        lab.description = body["description"]
    return 200, ctx.r.label(rp, lab.name)


@route("DELETE", "/repos/{owner}/{repo}/labels/{name}")
def delete_label(ctx, owner, repo, name):
    rp = ctx.repo(owner, repo)
    lab = rp.labels.pop(name.lower(), None)
    if lab is None:
        raise not_found()
    for issue in rp.issues.values():
        if lab.name in issue.labels:
            issue.labels.remove(lab.name)
    return 204, None


# --- statuses and checks ----------------------------------------------------------------------
@route("POST", "/repos/{owner}/{repo}/statuses/{sha}")
def create_status(ctx, owner, repo, sha):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    if sha not in rp.commits:
        raise ApiError(422, f"No commit found for SHA: {sha}")
    if body.get("state") not in ("error", "failure", "pending", "success"):
        raise invalid("state", resource="Status")
    t = ctx.sim.now()
    s = Status(id=ctx.sim.new_id(), sha=sha, state=body["state"], context=body.get("context") or "default",
               description=body.get("description"), target_url=body.get("target_url"),
               creator=ctx.actor, created_at=t, updated_at=t)
    rp.statuses.append(s)
    return 201, ctx.r.status(rp, s)


def _commit_or_404(rp: Repo, ref: str) -> str:
    sha = rp.resolve(ref)
    if sha is None:
        raise ApiError(404, f"No commit found for SHA: {ref}")
    return sha


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses")
def list_statuses(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    sha = _commit_or_404(rp, ref)
    items = [s for s in reversed(rp.statuses) if s.sha == sha]
    return 200, [ctx.r.status(rp, s) for s in ctx.paginate(items)]


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/status")
def combined_status(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    sha = _commit_or_404(rp, ref)
    latest: dict[str, Status] = {}
    for s in rp.statuses:
        if s.sha == sha:
            latest[s.context] = s
    states = {s.state for s in latest.values()}
    if states & {"error", "failure"}:
        state = "failure"
    elif not states or "pending" in states:
        state = "pending"
    else:
        state = "success"
    items = list(latest.values())
    u = ctx.r.repo_url(rp)
    return 200, {"state": state, "statuses": [ctx.r.status(rp, s) for s in ctx.paginate(items)],
                 "sha": sha, "total_count": len(items), "repository": ctx.r.minimal_repo(rp),
                 "commit_url": f"{u}/commits/{sha}", "url": f"{u}/commits/{sha}/status"}


@route("POST", "/repos/{owner}/{repo}/check-runs")
def create_check_run(ctx, owner, repo):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    if body.get("head_sha") not in rp.commits:
        raise invalid("head_sha", resource="CheckRun")
    if not body.get("name"):
        raise invalid("name", code="missing_field", resource="CheckRun")
    status = body.get("status", "queued")
    conclusion = body.get("conclusion")
    if conclusion and status != "completed":
        status = "completed"
    t = ctx.sim.now()
    cr = CheckRun(id=ctx.sim.new_id(), head_sha=body["head_sha"], name=body["name"], status=status,
                  conclusion=conclusion, started_at=body.get("started_at", t),
                  completed_at=body.get("completed_at", t if status == "completed" else None),
                  external_id=body.get("external_id"), details_url=body.get("details_url"),
                  output=body.get("output") or {})
    rp.check_runs.append(cr)
    return 201, ctx.r.check_run(rp, cr)


@route("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}")
def update_check_run(ctx, owner, repo, check_run_id):
    rp = ctx.repo(owner, repo)
    cr = next((c for c in rp.check_runs if str(c.id) == check_run_id), None)
    if cr is None:
        raise not_found()
    body = ctx.json()
    for key in ("name", "status", "conclusion", "details_url", "external_id", "completed_at"):
        if key in body:
            setattr(cr, key, body[key])
    if body.get("conclusion"):
        cr.status, cr.completed_at = "completed", cr.completed_at or ctx.sim.now()
    if "output" in body:
        cr.output = body["output"]
    return 200, ctx.r.check_run(rp, cr)


@route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs")
def list_check_runs(ctx, owner, repo, ref):
    rp = ctx.repo(owner, repo)
    sha = _commit_or_404(rp, ref)
    items = [c for c in rp.check_runs if c.head_sha == sha and
             (ctx.q("check_name") is None or c.name == ctx.q("check_name"))]
    if ctx.q("filter", "latest") == "latest":
        latest: dict[str, CheckRun] = {}
        for c in items:
            latest[c.name] = c
        items = list(latest.values())
    return 200, {"total_count": len(items), "check_runs": [ctx.r.check_run(rp, c) for c in ctx.paginate(items)]}


# --- actions ---------------------------------------------------------------------------------
def _workflow(ctx, rp: Repo, workflow_id: str) -> tuple[int, str]:
    tree = rp.commits[rp.branches[rp.default_branch]].tree
    for path in sorted(tree):
        if path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml")):
            wid = ctx.sim._workflow_ids.setdefault((rp.full_name, path), ctx.sim.new_id())
            if workflow_id in (str(wid), path.rpartition("/")[2]):
                return wid, path
    raise not_found()


@route("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}")
def get_workflow(ctx, owner, repo, workflow_id):
    rp = ctx.repo(owner, repo)
    wid, path = _workflow(ctx, rp, workflow_id)
    u = ctx.r.repo_url(rp)
    t = rp.created_at
    return 200, {"id": wid, "node_id": f"W_{wid}", "name": path.rpartition("/")[2],
                 "path": path, "state": "active", "created_at": t, "updated_at": t,
                 "url": f"{u}/actions/workflows/{wid}",
                 "html_url": f"{ctx.r.web}/{rp.full_name}/blob/{rp.default_branch}/{path}",
                 "badge_url": f"{ctx.r.web}/{rp.full_name}/workflows/{path.rpartition('/')[2]}/badge.svg"}


@route("POST", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches")
def dispatch_workflow(ctx, owner, repo, workflow_id):
    rp = ctx.repo(owner, repo)
    _, path = _workflow(ctx, rp, workflow_id)
    body = ctx.json()
    ref = body.get("ref", "")
    if rp.resolve(ref) is None:
        raise ApiError(422, f"No ref found for: {ref}")
    inputs = body.get("inputs") or {}
    if len(inputs) > 25:
        raise ApiError(422, "you may only define up to 25 `inputs` for a `workflow_dispatch` event")
    rp.dispatches.append(Dispatch(workflow_id=path, ref=ref, inputs=inputs, user=ctx.actor,
                                  at=ctx.sim.now()))
    return 204, None
