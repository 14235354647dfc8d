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
