"""Neutral-wording checker: flags wording that takes sides, for a human to review.

Rules are data (`schema/neutrality/rules.yaml`); `scan(text)` returns `Flag`s with
code-point offsets into the text. The command is `python -m bot neutrality`.
"""

from .rules import DEFAULT_RULES_PATH, Rule, RuleSet, RulesError, Term, load_rules, parse_rules
from .scan import Flag, normalise_match, scan

__all__ = [
    "DEFAULT_RULES_PATH",
    "Flag",
    "Rule",
    "RuleSet",
    "RulesError",
    "Term",
    "load_rules",
    "normalise_match",
    "parse_rules",
    "scan",
]
