"""Unit checks of the simulator's own machinery (spec cache, validator, routes, allow-list)."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ghsim import deviations, fixtures, spec
from tests.ghsim.openapi import _convert_nullable
from tests.ghsim.routes import ROUTES

pytestmark = pytest.mark.simulator


@pytest.fixture(scope="module")
def validator():
    return fixtures.load_validator()


def test_every_route_is_a_documented_operation(validator):
    undocumented = []
    for method, template, _rx, _fn in ROUTES:
        if validator.operation(template, method) is None:
            undocumented.append((method, template))
    allowed = {(m, t) for m, t, pattern, _ in deviations.ALLOWED if "no such operation" in pattern}
    assert set(undocumented) == allowed


def test_allow_list_entries_name_real_operations_and_say_why(validator):
    for method, template, pattern, why in deviations.ALLOWED:
        assert why.strip() and pattern
        if template != "*" and "no such operation" not in pattern:
            assert validator.operation(template, method) is not None, (method, template)


def test_path_matching_prefers_literal_segments(validator):
    m = validator.match
    assert m("GET", "/repos/o/r/issues/comments/5").template.endswith("/issues/comments/{comment_id}")
    assert m("GET", "/repos/o/r/issues/5/comments").template.endswith("/issues/{issue_number}/comments")
    assert m("GET", "/repos/o/r/contents/a/b/c.yaml").template.endswith("/contents/{path}")
    assert m("GET", "/repos/o/r/git/ref/heads/feature/x").template.endswith("/git/ref/{ref}")
    assert m("GET", "/repos/o/r/git/refs") is None  # undocumented: see deviations.py


def test_nullable_conversion():
    doc = {"a": {"type": "string", "nullable": True},
           "b": {"allOf": [{"$ref": "#/x"}], "nullable": True, "description": "d"},
           "c": {"type": "string", "enum": ["x"], "nullable": True},
           "d": {"properties": {"nullable": {"type": "boolean"}}}}
    out = _convert_nullable(json.loads(json.dumps(doc)))
    assert out["a"] == {"type": ["string", "null"]}
    assert out["b"] == {"description": "d", "anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}]}
    assert out["c"]["enum"] == ["x", None]
    assert out["d"] == doc["d"]  # a property *named* nullable is left alone


def test_validation_is_fast_enough(validator):
    op = validator.match("GET", "/repos/o/r/labels/x")
    body = {"id": 1, "node_id": "n", "url": "u", "name": "x", "description": None,
            "color": "fff", "default": False}
    start = time.perf_counter()
    for _ in range(1000):
        assert validator.check_response(op, 200, body) == []
    assert time.perf_counter() - start < 2.0  # compiled once, cached per operation


def test_spec_cache_is_reused_without_npm(monkeypatch, tmp_path):
    (tmp_path / f"octokit-openapi-{spec.OPENAPI_VERSION}-api.github.com.json").write_text("{}")
    monkeypatch.setenv("GHSIM_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("GHSIM_OPENAPI", raising=False)
    monkeypatch.setattr(spec.shutil, "which", lambda name: None)
    assert spec.openapi_spec_path().read_text() == "{}"
    with pytest.raises(spec.SpecUnavailable, match="npm is not installed"):
        spec.webhook_examples_path()


def test_unavailable_spec_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="unavailable"):
        fixtures._unavailable("no npm")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="unavailable in CI"):
        fixtures._unavailable("no npm")


pytest_plugins = ["pytester"]


def test_fixture_fails_a_test_at_teardown_on_a_violation(pytester, monkeypatch):
    """End to end: an inner test whose simulator sent a malformed response errors at teardown."""
    pytester.makeconftest("from tests.ghsim.fixtures import sim  # noqa\n")
    pytester.makepyfile(test_inner='''
import requests

def test_malformed(sim, monkeypatch):
    sim.create_repo("o/r", labels=["x"])
    good = sim.render.label
    monkeypatch.setattr(sim.render, "label",
                        lambda repo, name: {k: v for k, v in good(repo, name).items() if k != "id"})
    assert requests.get(sim.base_url + "/repos/o/r/labels/x", timeout=5).status_code == 200

def test_clean(sim):
    sim.create_repo("o/r")
    assert requests.get(sim.base_url + "/repos/o/r", timeout=5).status_code == 200
''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*'id' is a required property*"])


@pytest.fixture(scope="module")
def paging_sim(validator):
    from tests.ghsim import Simulator
    with Simulator(validator=validator) as s:
        yield s
    fixtures.check_violations(s)


_repo_counter = iter(range(10**6))


@settings(max_examples=15, deadline=None)
@given(count=st.integers(0, 230), per_page=st.integers(1, 100))
def test_link_pagination_visits_every_item_once(paging_sim, count, per_page):
    import requests
    name = f"o/r{next(_repo_counter)}"
    paging_sim.create_repo(name)
    for i in range(count):
        paging_sim.create_label(name, f"l{i:03}")
    url, seen, pages = f"{paging_sim.base_url}/repos/{name}/labels?per_page={per_page}", [], 0
    while url:
        resp = requests.get(url, timeout=5)
        assert resp.status_code == 200
        seen += [lab["name"] for lab in resp.json()]
        url = resp.links.get("next", {}).get("url")
        pages += 1
    assert seen == [f"l{i:03}" for i in range(count)]
    assert pages == max(1, -(-count // per_page))
