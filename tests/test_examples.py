"""Positive and negative example entries: every bad-input class is a real
file, and `check` must report exactly the expected rules at exact positions."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from bot.project import find_project
from bot.registry import Context, check_paths
from tests.conftest import EXAMPLES, ROOT

EXPECTED = YAML(typ="safe").load((EXAMPLES / "expected-invalid.yaml").read_text())


@pytest.fixture(scope="module")
def ctx():
    return Context.load(find_project(ROOT), wording=False)


def test_every_invalid_example_has_expectations():
    files = sorted(p.name for p in (EXAMPLES / "invalid").iterdir())
    assert files == sorted(EXPECTED), "add the new example to expected-invalid.yaml"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_example(ctx, name):
    result = check_paths(ctx, [EXAMPLES / "invalid" / name])
    errors = sorted(f"{f.rule}@{f.line}:{f.column}" for f in result.findings if f.is_error)
    assert errors == sorted(EXPECTED[name])
    for finding in result.findings:
        assert finding.path.endswith(name)
        assert finding.message and finding.end_line >= finding.line


@pytest.mark.parametrize("path", sorted((EXAMPLES / "valid").iterdir()), ids=lambda p: p.name)
def test_valid_example(ctx, path):
    result = check_paths(ctx, [path])
    assert [f for f in result.findings if f.is_error] == []
