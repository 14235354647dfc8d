"""Regression guard on the labelled sentence set (tests/data/neutrality/labelled.tsv).

The figures themselves come from `python benchmarks/neutrality_eval.py`; these tests only
keep the checker above the issue's targets so a rules change cannot silently undo them.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import neutrality_eval as ev  # noqa: E402

from bot.neutrality import load_rules  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return ev.read_labelled(ev.LABELLED)


def test_labelled_set_shape(rows):
    assert len(rows) >= 200
    counts = Counter((split, gold) for split, gold, _, _ in rows)
    assert set(counts) == {("dev", True), ("dev", False), ("test", True), ("test", False)}
    neutral = sum(1 for _, gold, _, _ in rows if not gold)
    assert abs(neutral - len(rows) / 2) <= 5
    assert len({s for *_, s in rows}) == len(rows), "duplicate sentences"
    cats = {c for _, gold, c, _ in rows if not gold}
    assert {"name", "date", "quote", "term"} <= cats


@pytest.mark.parametrize("split", ["dev", "test"])
def test_rules_meet_targets(rows, split):
    rs = load_rules()
    part = [r for r in rows if r[0] == split]
    p, r, f, *_ = ev.prf([(gold, ev.rules_count(s, rs) > 0) for _, gold, _, s in part])
    assert p >= 0.9 and r >= 0.85, (p, r, f)


def test_rules_beat_the_word_list_baseline(rows):
    rs = load_rules()
    part = [r for r in rows if r[0] == "test"]
    f_rules = ev.prf([(gold, ev.rules_count(s, rs) > 0) for _, gold, _, s in part])[2]
    f_base = ev.prf([(gold, ev.baseline_count(s) > 0) for _, gold, _, s in part])[2]
    assert f_rules > f_base


def test_eval_script_runs_without_shared_data(tmp_path, capsys):
    assert ev.main(["--wnc", str(tmp_path / "absent")]) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "ms per 1000 texts" in out and "one-biased" in out and "ms per 1000 entries" in out


@pytest.mark.parametrize("path", ev.DEV_CORPORA, ids=lambda p: p.name)
def test_development_corpora_meet_the_targets(path):
    """The corpora the rules were tuned on (other expressions, other writers): 480
    sentences each, two biased for one neutral, all dev."""
    rows = ev.read_labelled(path)
    assert len(rows) == 480 and len({s for *_, s in rows}) == 480
    assert Counter(gold for _, gold, _, _ in rows) == {True: 320, False: 160}
    assert {split for split, *_ in rows} == {"dev"}
    rs = load_rules()
    p, r, f, *_ = ev.prf([(gold, ev.rules_count(s, rs) > 0) for _, gold, _, s in rows])
    assert p >= 0.9 and r >= 0.85, (p, r, f)


@pytest.mark.parametrize(
    "path, tuned",
    [
        # the first four sets: their test halves were reported, then tuned on (1-3) or
        # measured again after changes made without them (4)
        (ev.INDEPENDENT, ("dev", "test")),
        (ev.INDEPENDENT2, ("dev", "test")),
        (ev.INDEPENDENT3, ("dev", "test")),
        (ev.INDEPENDENT4, ("dev", "test")),
        # the fifth to tenth sets: their test halves are held-out figures (README); their
        # dev halves guard against a change that would undo that
        (ev.INDEPENDENT5, ("dev",)),
        (ev.INDEPENDENT6, ("dev",)),
        (ev.INDEPENDENT7, ("dev",)),
        (ev.INDEPENDENT8, ("dev",)),
        (ev.INDEPENDENT9, ("dev",)),
        (ev.INDEPENDENT10, ("dev",)),
    ],
)
def test_independent_sets_shape_and_tuned_halves_meet_targets(path, tuned):
    """The sets written by someone who never saw the rules: the halves the rules were
    tuned on must meet the targets."""
    rows = ev.read_labelled(path)
    assert len(rows) == 240 and len({s for *_, s in rows}) == 240
    assert Counter(gold for _, gold, _, _ in rows) == {True: 120, False: 120}
    assert {split for split, *_ in rows} == {"dev", "test"}
    rs = load_rules()
    part = [r for r in rows if r[0] in tuned]
    p, r, f, *_ = ev.prf([(gold, ev.rules_count(s, rs) > 0) for _, gold, _, s in part])
    assert p >= 0.9 and r >= 0.85, (p, r, f)
