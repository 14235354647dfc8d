"""Known deviations between GitHub's OpenAPI description and what GitHub really accepts.

Each entry: (method, path template, regex searched in the violation message, why).
A violation matching an entry is recorded in `sim.allowed`, not `sim.violations`.
Keep this list short, specific and justified: every entry hides a class of bugs.
"""

from __future__ import annotations

import re

ALLOWED: list[tuple[str, str, str, str]] = [
    # PyGithub's Issue.add_to_labels / PullRequest.add_to_labels POST a bare JSON array
    # (["a", "b"]). The spec's requestBody only lists the {"labels": [...]} object form, but
    # its own description says "You can also pass an array of labels directly", and
    # github.com accepts it.
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", r"request: at <root>: \[",
     "bare array of label names: documented in prose, accepted by GitHub, sent by PyGithub"),
    # The same for Issue.set_labels (PUT), which PyGithub also sends as a bare array.
    ("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels", r"request: at <root>: \[",
     "bare array of label names on set-labels: accepted by GitHub, sent by PyGithub"),
    # pull-request-simple (list pulls, request reviewers, commit pulls) declares
    # labels[].description as a non-nullable string, while the `label` schema for the very
    # same label objects declares it nullable; GitHub sends null for a label created
    # without a description, and PyGithub reads it as None.
    ("*", "*", r"at (\d+/)?labels/\d+/description: None is not of type 'string'",
     "label description null inside pull-request-simple: spec inconsistency"),
    # GitHub answers 404 (basic-error) on every repository operation when the repository
    # or the numbered resource does not exist or the token cannot see it; many operations
    # (e.g. list-reviews, get-check-run, update-label) leave 404 out of their responses.
    ("*", "*", r"status 404 is not documented",
     "404 for a missing repository or resource: universal, often undocumented"),
    # Error statuses GitHub really sends that the description does not list. Each is the
    # answer to a bad call from the code under test, which tests want to exercise.
    ("POST", "/repos/{owner}/{repo}/statuses/{sha}", r"status 422 is not documented",
     "422 'No commit found for SHA' / 'Validation Failed' on create-status; only 201 documented"),
    ("POST", "/repos/{owner}/{repo}/check-runs", r"status 422 is not documented",
     "422 for an unknown head_sha or a missing name on create-check-run; only 201 documented"),
    ("POST", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
     r"status 422 is not documented",
     "422 'No ref found for' an unknown ref on workflow dispatch; only 200/204 documented"),
    # PUT contents' 409 is a oneOf of basic-error and repository-rule-violation-error, two
    # schemas with no required or distinguishing properties: every error body matches both,
    # so no body can satisfy the oneOf. GitHub's real 409 is a basic-error.
    ("PUT", "/repos/{owner}/{repo}/contents/{path}", r"-> 409: .* is valid under each of",
     "overlapping oneOf in the 409 schema: unsatisfiable as written"),
    # Repository.get_git_refs() lists every ref with GET /repos/{o}/{r}/git/refs. GitHub serves
    # it (the pre-"matching-refs" endpoint) but the description documents only POST there.
    ("GET", "/repos/{owner}/{repo}/git/refs", r"no such operation",
     "GET git/refs: served by GitHub, used by PyGithub's get_git_refs, undocumented"),
]


def is_allowed(method: str, path: str, template: str | None, message: str,
               extra: list | None = None) -> str | None:
    """The reason a violation is tolerated, or None."""
    for m, t, pattern, why in [*ALLOWED, *(extra or [])]:
        if m not in ("*", method):
            continue
        if t in ("*", template) or (template is None and re.fullmatch(_template_regex(t), path)):
            if re.search(pattern, message):
                return why
    return None


def _template_regex(template: str) -> str:
    return "".join("/[^/]+" if s.startswith("{") else "/" + re.escape(s)
                   for s in template.strip("/").split("/"))
