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


# The word-by-word phrase finder against the regex it replaces (kept, compiled lazily,
# for rules files with a phrase that starts or ends with an apostrophe).


def _both_paths(rules_text):
    from bot.neutrality import parse_rules

    words = parse_rules(rules_text)
    regex = parse_rules(rules_text)
    regex.word_scan = False
    return words, regex


def _all(rs, cases):
    return [[(f.start, f.end, f.rule, f.severity, f.message, f.match) for f in scan(c["text"], rules=rs, proper_names=tuple(c["names"]))] for c in cases]


def test_regex_path_gives_the_golden_flags_too():
    from bot.neutrality import DEFAULT_RULES_PATH

    words, regex = _both_paths(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    assert words.word_scan
    cases = _cases()
    assert _all(regex, cases) == _all(words, cases)


APOSTROPHE_RULE = """  - id: neutrality/zz-apostrophes
    category: test
    severity: warning
    message: "{match} test"
    suggestion: test
    terms:
      - o'brien
      - rock 'n' roll
      - don't+ care
      - term: l'evaluation
        unless_next: [of]
"""

APOSTROPHE_TEXTS = [
    "O'Brien said rock 'n' roll, rock-'n'-roll, rock 'n'roll and rock n roll.",
    "We don't care; they don't-cares; l'evaluation of it; L'Evaluation; l' evaluation.",
    "o'brien's o' brien o''brien obrien o\u2019brien d'o'brien",
    "'tis members' work; the members'  -  work; 'tis' a members'",
]


@pytest.mark.parametrize("extra,word_scan", [("", True), ("      - \"'tis\"\n      - members'\n", False)])
def test_phrases_with_apostrophes(extra, word_scan):
    from bot.neutrality import DEFAULT_RULES_PATH

    base = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    at = base.index("\nrules:\n") + len("\nrules:\n")
    words, regex = _both_paths(base[:at] + APOSTROPHE_RULE + extra + base[at:])
    assert words.word_scan is word_scan
    cases = [{"text": t, "names": []} for t in APOSTROPHE_TEXTS] + [c for c in _cases() if c["group"] == "adversarial"]
    assert _all(words, cases) == _all(regex, cases)
    assert any(f.rule == "neutrality/zz-apostrophes" for f in scan(APOSTROPHE_TEXTS[0], rules=words))
