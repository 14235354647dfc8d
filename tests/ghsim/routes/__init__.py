"""REST endpoints: one small handler per GitHub operation, on GitHub's own path templates.

To add an endpoint, copy its path template verbatim from the OpenAPI description
into @route(...) and return (status, body); tests/ghsim/test_ghsim.py checks
every template here exists in the spec.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable

from ..model import Issue, Repo

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


# Registering happens on import; these modules only add to ROUTES.
from . import check_routes, issue_routes, pull_routes, repo_routes  # noqa: E402,F401
