"""Commit statuses, check runs and workflow dispatches."""

from __future__ import annotations

from ..model import CheckRun, Dispatch, Repo, Status
from . import ApiError, invalid, not_found, route


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
