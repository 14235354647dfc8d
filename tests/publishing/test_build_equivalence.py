"""``build`` writes the same site, byte for byte, whatever the number of
processes: a small synthetic registry (valid entries, invalid ones left
out, slanted wording) built serially and over two forked processes, for
both the checking and the entry pages, with several chunks each."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from benchmarks.synth import generate
from bot import fastcheck
from bot.site import cli, render


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(registry: Path, out: Path, capsys, repo) -> tuple[int, str, str]:
    args = argparse.Namespace(root=registry, out=out, since=None, repo=repo, branch=None, date="2026-01-01", quiet=True)
    status = cli.run(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err.replace(str(out), "OUT")


@pytest.mark.parametrize("repo", ["example-org/registry", None])
def test_serial_and_parallel_builds_are_identical(tmp_path, monkeypatch, capsys, repo):
    registry = tmp_path / "registry"
    counts = generate(registry, 240, invalid=0.1, seed=3)
    assert counts["invalid"] > 0

    monkeypatch.setattr(fastcheck, "default_jobs", lambda: 1)
    serial = build(registry, tmp_path / "serial", capsys, repo)

    # Two processes, several chunks (50 files or pages each) for both stages.
    monkeypatch.setattr(fastcheck, "default_jobs", lambda: 2)
    monkeypatch.setattr(fastcheck, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(render, "PAGES_PER_TASK", 50)
    parallel = build(registry, tmp_path / "parallel", capsys, repo)

    assert serial[0] == parallel[0] == cli.EXIT_ERRORS  # the invalid entries are left out
    assert serial[2] == parallel[2] and "left out of OUT" in serial[2]
    one, two = tree(tmp_path / "serial"), tree(tmp_path / "parallel")
    assert len(one) == 240 - counts["invalid"] + 11 and sorted(one) == sorted(two)
    for name in one:
        assert one[name] == two[name], name
