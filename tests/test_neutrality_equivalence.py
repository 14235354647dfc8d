"""The neutral-wording scan gives exactly the flags of the frozen golden data.

tests/data/neutrality/golden_flags.json was written by the scan as it was before it was
rewritten for speed (one giant trie regex replaced by word tokens and dictionary
lookups); see tests/data/neutrality/make_golden_flags.py for the texts. Any difference
here is a change of results, not a speed-up.
"""

import json
from pathlib import Path

import pytest

from bot.neutrality import scan

GOLDEN = Path(__file__).parent / "data" / "neutrality" / "golden_flags.json"


def _cases():
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["cases"]


def _flags(text, names):
    return [[f.start, f.end, f.rule, f.category, f.severity, f.message, f.suggestion, f.match] for f in scan(text, proper_names=tuple(names))]


def test_golden_data_is_broad():
    cases = _cases()
    groups = {c["group"] for c in cases}
    assert groups == {"labelled", "entries", "synthetic", "adversarial"}
    assert len(cases) > 1500
    assert sum(len(c["flags"]) for c in cases) > 1000


@pytest.mark.parametrize("group", ["labelled", "entries", "synthetic", "adversarial"])
def test_same_flags_as_golden(group):
    mismatches = []
    for case in _cases():
        if case["group"] != group:
            continue
        got = _flags(case["text"], case["names"])
        if got != case["flags"]:
            mismatches.append((case["text"], case["names"], case["flags"], got))
    assert not mismatches, f"{len(mismatches)} texts differ; first: {mismatches[0]!r}"
