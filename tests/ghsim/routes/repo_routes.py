"""Meta, repositories, git refs and trees, contents, commits."""

from __future__ import annotations

import base64
import binascii
import time

from .. import model as m
from ..model import Repo
from . import DOCS, ApiError, invalid, not_found, route


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


@route("DELETE", "/repos/{owner}/{repo}/contents/{path}")
def delete_contents(ctx, owner, repo, path):
    rp = ctx.repo(owner, repo)
    body = ctx.json()
    branch = body.get("branch") or rp.default_branch
    if branch not in rp.branches:
        raise ApiError(404, f"Branch {branch} not found")
    if not body.get("message"):
        raise invalid("message", code="missing_field")
    tree = rp.commits[rp.branches[branch]].tree
    old = tree.get(path)
    if old is None:
        raise not_found()
    if body.get("sha") != old.sha:
        raise ApiError(409, f"{path} does not match {body.get('sha')}")
    sim = ctx.sim
    new_tree = dict(tree)
    del new_tree[path]
    sha = sim._commit(rp, [rp.branches[branch]], new_tree, body["message"], ctx.actor)
    sim._move_branch(rp, branch, sha)
    return 200, {"content": None, "commit": ctx.r.git_commit_short(rp, rp.commits[sha])}
