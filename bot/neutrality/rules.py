"""The neutral-wording rules: loaded from YAML data, validated, compiled once.

The rules file (`schema/neutrality/rules.yaml`) is reviewed by the chairs like any
entry, so every problem in it is reported as `RulesError` naming the file, the line and
what to change, never as a traceback.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import re
import sys
import threading
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from bot.findings import SEVERITIES, WARNING

RULES_MAX_BYTES = 512 * 1024
DEFAULT_RULES_PATH = Path(__file__).resolve().parents[2] / "schema" / "neutrality" / "rules.yaml"

ATTRIBUTED_MODES = ("drop", "lower")
# What a phrase found by the one-pass scan is (bit flags; a phrase can be several).
TERM, EXEMPT, ATTRIBUTION, REPORTING, SOURCE, RULE, TERM_CUE = 1, 2, 4, 8, 16, 32, 64
REPORTED_MODES = ("drop", "lower", "keep")
# `digits` in `unless_next` / `unless_prev` (any word of digits) is kept as this marker,
# which no word can equal.
DIGITS = "#digits"
_RULE_ID = re.compile(r"^neutrality/[a-z][a-z0-9-]*$")
_WORD = re.compile(r"^[a-z0-9']+\+?$")
# Separators allowed between the words of a phrase: spaces and hyphens (also the
# spaced-out hyphens of tokenised text, " - ").
SEP = r"[\s\u00a0\-\u2010-\u2013/]+"
# Runs of word characters, as the scan splits a text (`\b` and `(?!\w)` use the same \w).
_RUNS = re.compile(r"(\w+)")
# A phrase the word scan can find: word runs joined by apostrophes and single spaces.
_PHRASE_WORDS = re.compile(r"\w+(?:(?:'| (?! ))+\w+)*")


class RulesError(Exception):
    """A problem in the rules file: `str()` is a one-line message for a person."""

    def __init__(self, path, line, problem):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Term:
    """One phrase of a rule, compiled."""

    text: str  # as written in the rules file
    words: tuple  # one frozenset of lower-case forms per word of the phrase
    rule: "Rule" = field(repr=False, compare=False)
    unless_next: frozenset = frozenset()
    unless_prev: frozenset = frozenset()
    # only flag when the previous word is one of these (the words of the named
    # `word_classes` and any words listed with them)
    after: frozenset = frozenset()
    lower_case_only: bool = False
    # flag it even where it looks like part of a proper name ("Big Tech platforms")
    in_names: bool = False
    message: str | None = None
    suggestion: str | None = None

    @property
    def unconditional(self) -> bool:
        return not (self.unless_next or self.unless_prev or self.after or self.lower_case_only)

    @cached_property
    def flag_fields(self) -> tuple:
        """(rule id, category, severity, message, suggestion) of a flag for this term. The
        message is a template for str.format, or, when its only placeholders are
        {match}, the pieces between them: match.join(pieces) is the same text, made
        several times faster (the scan of a biased text makes many flags)."""
        rule = self.rule
        template = self.message or rule.message
        pieces = template.split("{match}")
        if not any("{" in piece or "}" in piece for piece in pieces):
            template = tuple(pieces)
        return rule.id, rule.category, rule.severity, template, self.suggestion or rule.suggestion

    @cached_property
    def regex(self) -> re.Pattern:
        """The term alone, anchored by .match(); compiled on first use (only the rare
        fallback path needs it: the scan itself uses one regex for all terms)."""
        return phrase_regex([set(w) for w in self.words])


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    message: str
    suggestion: str


@dataclass
class RuleSet:
    path: str
    rules: list
    terms: list
    exempt: list
    attribution_cues: list
    reporting_cues: list
    attributed_quotes: str = "drop"
    reported_clauses: str = "lower"
    # phrases that open what a rule of the mechanism requires ("Under the convention, ..."),
    # and the rules whose flags are lowered to info in the rest of that sentence
    rule_cues: list = field(default_factory=list)
    rule_clause_rules: frozenset = frozenset()
    # phrases that tie a sentence to a date when a year follows ("As of March 2025, ..."),
    # and the rules whose flags are lowered to info in that sentence
    time_anchors: list = field(default_factory=list)
    time_anchor_rules: frozenset = frozenset()
    scare_quote_max_words: int = 3
    quoted_sources: list = field(default_factory=list)
    # nouns after which a quotation that starts with a capital letter is a title
    # ('the strategy "A Digital Decade for children and youth: the new ..."')
    quoted_titles: list = field(default_factory=list)
    # every phrase they spell, a final "+" giving the noun's plural only ("action plan+"
    # -> action plan, action plans; not "planned"): the words before such a quotation are
    # looked up here, so these nouns need not start phrases in the scan
    title_phrases: frozenset = frozenset()
    title_max_words: int = 0
    # phrases after which, in the same clause, a short quotation is the term of the text
    # named ('The Convention requires that "dual criminality" ...'), not a scare quote
    quoted_term_cues: list = field(default_factory=list)
    word_classes: dict = field(default_factory=dict)
    # compiled by _compile()
    by_first_word: dict = field(default_factory=dict)
    by_phrase: dict = field(default_factory=dict)
    unconditional: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    # Every phrase of `kinds` cut after each of its words (a run of \w): the word scan
    # extends a phrase while it is still a prefix of some phrase.
    prefixes: frozenset = frozenset()
    # The phrases can all be found word by word (else the scan uses `scan_re`).
    word_scan: bool = True
    # The phrases of one word, and (first word, second word) of the others.
    single_words: dict = field(default_factory=dict)  # phrase -> True
    multi_first: frozenset = frozenset()  # the first words of `first_pairs`
    first_pairs: frozenset = frozenset()
    exempt_punctuated: list = field(default_factory=list)

    @cached_property
    def scan_re(self) -> re.Pattern:
        """One prefix-factored regex for every phrase of `kinds`: the longest phrase at
        each position. Compiled on first use only: the scan finds phrases word by word
        (`word_scan`), which gives the same matches, and needs this regex only for a
        rules file with a phrase that starts or ends with an apostrophe."""
        return re.compile(r"\b" + _trie_regex(self.kinds).replace(re.escape(" "), SEP) + r"(?!\w)")

    @cached_property
    def time_anchor_re(self) -> re.Pattern | None:
        """The `time_anchors` phrases, searched only in the sentence of a relative-time
        flag that is about to be kept (not in the phrase scan: an anchor found there
        would hide a term that starts inside it, "as at present")."""
        return phrases_regex(self.time_anchors)

    @cached_property
    def exempt_punctuated_markers(self) -> tuple:
        """The words of each punctuated exempt phrase, lower-cased and longest first: a
        text can contain the phrase only if it contains all of them, so the regex (slow:
        a pass over the whole text) runs only on texts that do."""
        out = []
        for phrase in self.exempt_punctuated:
            words = sorted(set(re.findall(r"[^\W_]+", phrase.lower())), key=len, reverse=True)
            if words:
                out.append(tuple(words))
        return tuple(out)

    @cached_property
    def exempt_punctuated_re(self) -> re.Pattern | None:
        return phrases_regex(self.exempt_punctuated)

    def rule_or_none(self, rule_id):
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def rule(self, rule_id):
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# --- inflection -----------------------------------------------------------------

_VOWELS = "aeiou"


def inflections(word: str) -> set[str]:
    """Regular English inflections of a word: plural / 3rd person, past, -ing.

    Generous on purpose (both "admited" and "admitted" are produced): an extra form
    that no one writes costs nothing, a missing one is a missed flag.
    """
    forms = {word}
    if word.endswith("e"):
        stem = word[:-1]
        forms |= {word + "s", word + "d", stem + "ing"}
    elif word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        stem = word[:-1]
        forms |= {stem + "ies", stem + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
        if len(word) >= 3 and word[-1] not in _VOWELS + "wy" and word[-2] in _VOWELS and word[-3] not in _VOWELS:
            forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def phrase_words(text: str) -> list[set[str]]:
    """Parse a term: words separated by spaces or hyphens; a|b alternatives; + inflects."""
    out = []
    for token in re.split(r"[\s\-]+", text.strip().lower()):
        if not token:
            continue
        forms = set()
        for alt in token.split("|"):
            if not _WORD.match(alt):
                raise ValueError(f"{alt!r} is not a word (use the letters a-z, digits, ' and a final +)")
            if alt.endswith("+"):
                forms |= inflections(alt[:-1])
            else:
                forms.add(alt)
        out.append(forms)
    if not out:
        raise ValueError("the term is empty")
    return out


def _alternation(forms) -> str:
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))) + ")"


def _trie_regex(words) -> str:
    """A prefix-factored alternation: one regex pass finds every first word fast."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


def phrase_regex(words_or_text, *, flags=0) -> re.Pattern:
    words = phrase_words(words_or_text) if isinstance(words_or_text, str) else words_or_text
    body = SEP.join(_alternation(w) for w in words)
    return re.compile(r"(?<![\w])" + body + r"(?![\w])", flags)


# --- loading ------------------------------------------------------------------------

_cache: dict = {}
_lock = threading.Lock()


def load_rules(path=None) -> RuleSet:
    """Load, validate and compile a rules file; cached per path and modification time."""
    p = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        stat = p.stat()
        key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError as exc:
        raise RulesError(p, None, f"cannot read the rules file ({exc.strerror or exc})") from None
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
    try:
        raw = p.read_bytes()
        # What read_text() gives: text mode turns \r\n and \r into \n.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(p, None, f"cannot read the rules file ({exc})") from None
    ruleset = _tables_cache_get(raw, str(p))
    if ruleset is None:
        ruleset = parse_rules(text, str(p))
        _tables_cache_put(raw, ruleset)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = ruleset
    return ruleset


# --- the tables cache ------------------------------------------------------------------
#
# Parsing and validating the rules file and expanding its ~2,900 terms into phrase tables
# takes ~0.1 s, more than a one-file check takes otherwise. `load_rules` keeps the result
# (the tables: no compiled regex) in ~/.cache/igov-registry-bot/, one file per rules file
# content, like Python keeps .pyc files. A cache file is used only if it is signed with
# the key kept there by bot.checkcache (so a file that came from elsewhere is never
# unpickled) and was written for the same rules file bytes (SHA-256), the same Python and
# the same source of the modules that build the tables; a rules file with a problem is
# never cached, so its RulesError is raised as before. IGOV_NO_RULES_CACHE=1 turns it off.

_TABLES_FORMAT = 5
_TABLES_MODULES = ("neutrality/rules.py", "loading.py", "findings.py")
_TABLES_KEEP = 8


def _tables_context(raw: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(f"neutrality tables {_TABLES_FORMAT}\n{sys.version}\n".encode())
    here = Path(__file__).resolve().parents[1]
    for name in _TABLES_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def _tables_file(context: str) -> Path:
    from bot.checkcache import _key_file

    return _key_file().parent / f"neutrality-tables-{context[:32]}.pickle"


def _tables_cache_get(raw: bytes, path: str) -> RuleSet | None:
    if os.environ.get("IGOV_NO_RULES_CACHE"):
        return None
    try:
        from bot.checkcache import _signing_key

        context = _tables_context(raw)
        blob = _tables_file(context).read_bytes()
        key = _signing_key()
        if key is None or len(blob) < 32:
            return None
        payload = blob[32:]
        if not hmac.compare_digest(blob[:32], hmac.new(key, payload, "sha256").digest()):
            return None
        enabled = gc.isenabled()
        gc.disable()  # many small objects: a third faster without collections meanwhile
        try:
            state = pickle.loads(payload)
        finally:
            if enabled:
                gc.enable()
        if not isinstance(state, dict) or state.pop("context", None) != context:
            return None
        ruleset = RuleSet(**state)
    except Exception:  # noqa: BLE001 - a cache that cannot be used is rebuilt
        return None
    ruleset.path = path
    return ruleset


def _tables_cache_put(raw: bytes, ruleset: RuleSet) -> None:
    if os.environ.get("IGOV_NO_RULES_CACHE"):
        return
    try:
        from bot.checkcache import _signing_key

        key = _signing_key()
        if key is None:
            return
        context = _tables_context(raw)
        state = {f.name: getattr(ruleset, f.name) for f in fields(ruleset)}
        state["context"] = context
        payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        target = _tables_file(context)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(hmac.new(key, payload, "sha256").digest() + payload)
        os.replace(tmp, target)
        old = sorted(target.parent.glob("neutrality-tables-*.pickle"), key=lambda f: f.stat().st_mtime, reverse=True)
        for stale in old[_TABLES_KEEP:]:
            stale.unlink()
    except Exception:  # noqa: BLE001 - the cache is an optimisation only
        return


def parse_rules(text: str, path: str = "<rules>") -> RuleSet:
    # The project's hardened loader: the rules file can come from a pull
    # request (the bot checks proposed rules against the registry).
    from bot.loading import load_text

    doc = load_text(path, text, max_bytes=RULES_MAX_BYTES)
    problems = [f for f in doc.findings if f.is_error and f.rule not in ("yaml/not-a-mapping", "yaml/empty")]
    if problems:
        first = problems[0]
        raise RulesError(path, first.line, f"the rules file is not valid YAML: {first.message}")
    data = doc.data

    def fail(keys, problem):
        node = doc.node_at(keys) if doc.root is not None else None
        raise RulesError(path, node.line if node is not None else None, problem)

    if not isinstance(data, dict):
        fail([], "the rules file must be a mapping with `version` and `rules`")
    if data.get("version") != 1:
        fail(["version"] if "version" in data else [], "`version: 1` is required")
    known = {
        "version",
        "settings",
        "exempt",
        "attribution_cues",
        "reporting_cues",
        "rule_cues",
        "time_anchors",
        "quoted_sources",
        "quoted_titles",
        "quoted_term_cues",
        "word_classes",
        "rules",
    }
    for k in data:
        if k not in known:
            fail([k], f"unknown key `{k}` (expected one of: {', '.join(sorted(known))})")

    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        fail(["settings"], "`settings` must be a mapping")
    known_settings = ("attributed_quotes", "reported_clauses", "rule_clauses_lower", "time_anchors_lower", "scare_quote_max_words")
    for k in settings:
        if k not in known_settings:
            fail(["settings", k], f"unknown setting `{k}` (expected one of: {', '.join(known_settings)})")
    attributed = settings.get("attributed_quotes", "drop")
    if attributed not in ATTRIBUTED_MODES:
        fail(["settings", "attributed_quotes"], f"`attributed_quotes` must be one of {', '.join(ATTRIBUTED_MODES)}")
    reported = settings.get("reported_clauses", "lower")
    if reported not in REPORTED_MODES:
        fail(["settings", "reported_clauses"], f"`reported_clauses` must be one of {', '.join(REPORTED_MODES)}")
    rule_clause_rules = settings.get("rule_clauses_lower", ["neutrality/advocacy"])
    if not isinstance(rule_clause_rules, list) or not all(isinstance(x, str) for x in rule_clause_rules):
        fail(["settings", "rule_clauses_lower"], "`rule_clauses_lower` must be a list of rule ids")
    time_anchor_rules = settings.get("time_anchors_lower", ["neutrality/relative-time"])
    if not isinstance(time_anchor_rules, list) or not all(isinstance(x, str) for x in time_anchor_rules):
        fail(["settings", "time_anchors_lower"], "`time_anchors_lower` must be a list of rule ids")
    max_words = settings.get("scare_quote_max_words", 3)
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 0:
        fail(["settings", "scare_quote_max_words"], "`scare_quote_max_words` must be a whole number >= 0")

    def string_list(key):
        value = data.get(key) or []
        if not isinstance(value, list):
            fail([key], f"`{key}` must be a list of phrases")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                fail([key, i], f"`{key}` item {i + 1} must be a non-empty phrase")
        return [v.strip() for v in value]

    exempt = string_list("exempt")
    for i, name in enumerate(exempt):
        if not _as_phrase(name):
            fail(["exempt", i], f"`exempt` item {name!r} has no words")
    attribution = string_list("attribution_cues")
    reporting = string_list("reporting_cues")
    rule_cues = string_list("rule_cues")
    time_anchors = string_list("time_anchors")
    sources = string_list("quoted_sources")
    titles = string_list("quoted_titles")
    term_cues = string_list("quoted_term_cues")
    for key, cues in (
        ("attribution_cues", attribution),
        ("reporting_cues", reporting),
        ("rule_cues", rule_cues),
        ("time_anchors", time_anchors),
        ("quoted_sources", sources),
        ("quoted_titles", titles),
        ("quoted_term_cues", term_cues),
    ):
        for i, cue in enumerate(cues):
            try:
                phrase_words(cue)
            except ValueError as exc:
                fail([key, i], f"`{key}` item {cue!r}: {exc}")

    # Named lists of words, for the `after` condition of a term ("a determiner or a
    # copula before it"): `word_classes: {determiner: [a, an, the]}`.
    classes_raw = data.get("word_classes") or {}
    if not isinstance(classes_raw, dict):
        fail(["word_classes"], "`word_classes` must be a mapping of a name to a list of words")
    word_classes = {}
    for name, value in classes_raw.items():
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_-]*$", name):
            fail(["word_classes", name], f"word class name {name!r} must be a lower-case word")
        if not isinstance(value, list) or not value or not all(isinstance(x, str) and _WORD.match(x.lower()) and not x.endswith("+") for x in value):
            fail(["word_classes", name], f"word class `{name}` must be a non-empty list of single words")
        word_classes[name] = frozenset(x.lower() for x in value)

    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        fail(["rules"] if "rules" in data else [], "`rules` must be a non-empty list")

    rules, terms = [], []
    seen_ids: set = set()
    seen_terms: dict = {}
    for i, raw in enumerate(raw_rules):
        if not isinstance(raw, dict):
            fail(["rules", i], f"rule {i + 1} must be a mapping with id, category, severity, message, suggestion, terms")
        for key in ("id", "category", "severity", "message", "suggestion", "terms"):
            if key not in raw:
                fail(["rules", i], f"rule {raw.get('id', i + 1)!s} is missing `{key}`")
        for key in raw:
            if key not in ("id", "category", "severity", "message", "suggestion", "terms"):
                fail(["rules", i, key], f"rule {raw['id']}: unknown key `{key}`")
        rid = raw["id"]
        if not isinstance(rid, str) or not _RULE_ID.match(rid):
            fail(["rules", i, "id"], f"rule id {rid!r} must look like `neutrality/some-name`")
        if rid in seen_ids:
            fail(["rules", i, "id"], f"rule id {rid} is defined twice")
        seen_ids.add(rid)
        if raw["severity"] not in SEVERITIES:
            fail(["rules", i, "severity"], f"rule {rid}: severity must be one of {', '.join(SEVERITIES)}")
        for key in ("category", "message", "suggestion"):
            if not isinstance(raw[key], str) or not raw[key].strip():
                fail(["rules", i, key], f"rule {rid}: `{key}` must be non-empty text")
        rule = Rule(rid, raw["category"].strip(), raw["severity"], raw["message"].strip(), raw["suggestion"].strip())
        _check_template(rule.message, lambda p, i=i: fail(["rules", i, "message"], f"rule {rid}: {p}"))
        rules.append(rule)
        if not isinstance(raw["terms"], list) or not raw["terms"]:
            fail(["rules", i, "terms"], f"rule {rid}: `terms` must be a non-empty list")
        for j, item in enumerate(raw["terms"]):
            keys = ["rules", i, "terms", j]
            opts = {}
            if isinstance(item, dict):
                opts = dict(item)
                if "term" not in opts:
                    fail(keys, f"rule {rid}: term {j + 1} is a mapping without `term`")
                for k in opts:
                    if k not in ("term", "unless_next", "unless_prev", "after", "case", "in_names", "message", "suggestion"):
                        fail(keys, f"rule {rid}: term {opts['term']!r}: unknown key `{k}`")
                item = opts["term"]
            if not isinstance(item, str):
                fail(keys, f"rule {rid}: term {j + 1} must be text")
            try:
                words = phrase_words(item)
            except ValueError as exc:
                fail(keys, f"rule {rid}: term {item!r}: {exc}")
            norm = " ".join("|".join(sorted(w)) for w in words)
            if norm in seen_terms:
                fail(keys, f"rule {rid}: term {item!r} is already listed (in {seen_terms[norm]})")
            seen_terms[norm] = rid
            lists = {}
            for k in ("unless_next", "unless_prev"):
                v = opts.get(k, [])
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    fail(keys, f"rule {rid}: term {item!r}: `{k}` must be a list of words")
                # A word class named here stands for its words; `digits` (built in) for
                # any word of digits ("admitted 40 fellows"): kept as a marker.
                expanded = set()
                for x in v:
                    x = x.lower()
                    if x in word_classes:
                        expanded |= word_classes[x]
                    elif x == "digits":
                        expanded.add(DIGITS)
                    else:
                        expanded.add(x)
                lists[k] = frozenset(expanded)
            after = opts.get("after", [])
            if not isinstance(after, list) or not all(isinstance(x, str) for x in after):
                fail(keys, f"rule {rid}: term {item!r}: `after` must be a list of word classes or words")
            after_words = set()
            for x in after:
                if x in word_classes:
                    after_words |= word_classes[x]
                elif " " in x.strip() or not _WORD.match(x.lower()) or x.endswith("+"):
                    fail(keys, f"rule {rid}: term {item!r}: `after` item {x!r} is neither a word class nor a single word")
                else:
                    after_words.add(x.lower())
            if "after" in opts and not after_words:
                fail(keys, f"rule {rid}: term {item!r}: `after` is empty")
            case = opts.get("case")
            if case not in (None, "lower"):
                fail(keys, f"rule {rid}: term {item!r}: `case` can only be `lower`")
            in_names = opts.get("in_names", False)
            if not isinstance(in_names, bool):
                fail(keys, f"rule {rid}: term {item!r}: `in_names` must be true or false")
            for k in ("message", "suggestion"):
                if k in opts and (not isinstance(opts[k], str) or not opts[k].strip()):
                    fail(keys, f"rule {rid}: term {item!r}: `{k}` must be non-empty text")
            if "message" in opts:
                _check_template(opts["message"], lambda p, keys=keys: fail(keys, f"rule {rid}: {p}"))
            terms.append(
                Term(
                    text=item,
                    words=tuple(frozenset(w) for w in words),
                    rule=rule,
                    unless_next=lists["unless_next"],
                    unless_prev=lists["unless_prev"],
                    after=frozenset(after_words),
                    lower_case_only=case == "lower",
                    in_names=in_names,
                    message=opts.get("message", "").strip() or None,
                    suggestion=opts.get("suggestion", "").strip() or None,
                )
            )

    for key, named in (("rule_clauses_lower", rule_clause_rules), ("time_anchors_lower", time_anchor_rules)):
        if key in settings:
            for x in named:
                if x not in seen_ids:
                    fail(["settings", key], f"`{key}` names {x!r}, which is not a rule of this file")
    rs = RuleSet(
        path=path,
        rules=rules,
        terms=terms,
        exempt=exempt,
        attribution_cues=attribution,
        reporting_cues=reporting,
        quoted_sources=sources,
        quoted_titles=titles,
        quoted_term_cues=term_cues,
        word_classes=word_classes,
        attributed_quotes=attributed,
        reported_clauses=reported,
        rule_cues=rule_cues,
        rule_clause_rules=frozenset(rule_clause_rules),
        time_anchors=time_anchors,
        time_anchor_rules=frozenset(time_anchor_rules),
        scare_quote_max_words=max_words,
    )
    _compile(rs)
    return rs


def _check_template(template, fail):
    try:
        template.format(match="x")
    except (KeyError, IndexError, ValueError):
        fail("a message can only use the placeholder {match}")


def _as_phrase(text: str) -> str:
    """A literal phrase (a proper name) in the term syntax: words only, lower case."""
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower()))


def phrases_regex(phrases, flags=re.IGNORECASE) -> re.Pattern | None:
    """One regex for a list of literal phrases (space = any space or hyphen)."""
    bodies = []
    for ph in phrases:
        parts = [re.escape(p) for p in re.split(r"[\s\-]+", ph.strip()) if p]
        if parts:
            bodies.append(SEP.join(parts))
    if not bodies:
        return None
    bodies.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)", flags)


def _expand(words) -> list[str]:
    """All the phrase strings a term can match, words joined by single spaces."""
    out = [""]
    for forms in words:
        out = [f"{prefix} {form}" if prefix else form for prefix in out for form in sorted(forms)]
    return out


def _title_forms(title: str) -> list[str]:
    """The phrases a `quoted_titles` entry spells: "a|b" alternatives; a final "+" adds
    the plural of a noun (report+ -> report, reports), not a verb's forms."""
    out = [""]
    for token in title.strip().lower().split():
        forms = set()
        for alt in token.split("|"):
            if alt.endswith("+"):
                base = alt[:-1]
                if base.endswith("y") and base[-2:-1] not in ("a", "e", "i", "o", "u"):
                    plural = base[:-1] + "ies"  # policy -> policies, not survey -> surveies
                elif base.endswith(("s", "sh", "ch", "x")):
                    plural = base + "es"
                else:
                    plural = base + "s"
                forms |= {base, plural}
            else:
                forms.add(alt)
        out = [f"{prefix} {form}" if prefix else form for prefix in out for form in sorted(forms)]
    return out


def _compile(rs: RuleSet) -> None:
    rs.title_phrases = frozenset(p for title in rs.quoted_titles for p in _title_forms(title))
    rs.title_max_words = max((p.count(" ") + 1 for p in rs.title_phrases), default=0)
    by_first: dict = {}
    by_phrase: dict = {}
    for term in rs.terms:
        for form in term.words[0]:
            by_first.setdefault(form, []).append(term)
        for phrase in _expand(term.words):
            by_phrase.setdefault(phrase, []).append(term)
    rs.by_first_word = by_first
    rs.by_phrase = by_phrase
    # The phrases whose first term has no condition: the scan takes that term at once.
    rs.unconditional = {phrase: terms[0] for phrase, terms in by_phrase.items() if terms[0].unconditional}
    # Every phrase the scanner looks for, and what it is: a term of a rule, an exempt
    # name, an attribution cue, a reporting cue, a quoted source or a quoted-term cue.
    kinds: dict = {}
    for phrase in by_phrase:
        kinds.setdefault(phrase, set()).add("term")
    punctuated = []
    for e in rs.exempt:
        phrase = _as_phrase(e)
        if " ".join(re.split(r"[\s\-]+", e.strip().lower())) != phrase:
            punctuated.append(e)  # "(PITA)", "Réseaux IP Européens (RIPE)": matched as written
        elif phrase:
            kinds.setdefault(phrase, set()).add("exempt")
    rs.exempt_punctuated = punctuated
    for kind, cues in (
        ("attribution", rs.attribution_cues),
        ("reporting", rs.reporting_cues),
        ("rule", rs.rule_cues),
        ("source", rs.quoted_sources),
        ("term cue", rs.quoted_term_cues),
    ):
        for cue in cues:
            if not cue:
                continue
            for phrase in _expand(phrase_words(cue)):
                kinds.setdefault(phrase, set()).add(kind)
    # A term or a quoted-term cue that contains an attribution cue ("critics have argued",
    # "the charter defines") also attributes what follows it: the scan finds the longest
    # phrase, so the cue is not seen alone. (" cue " in " phrase ", tested as: some run of
    # the phrase's words is a cue.)
    cue_phrases = {c for c in kinds if "attribution" in kinds[c]}
    for phrase in list(kinds):
        if " " in phrase and kinds[phrase] & {"term", "term cue"}:
            words = phrase.split(" ")
            n = len(words)
            if any(" ".join(words[a:b]) in cue_phrases for a in range(n) for b in range(a + 1, n + 1)):
                kinds[phrase].add("attribution")
    bits = {"term": TERM, "exempt": EXEMPT, "attribution": ATTRIBUTION, "reporting": REPORTING, "source": SOURCE, "rule": RULE, "term cue": TERM_CUE}
    rs.kinds = {k: sum(bits[x] for x in v) for k, v in kinds.items()}
    # The scan splits the text into runs of word characters (\w) and finds, at the
    # start of each run, the longest phrase of `kinds` made of this run and the next
    # ones, the text between two runs counting as one space where it is a run of
    # separators (SEP). That is the match of one prefix-factored regex, ``\b`` + all
    # the phrases (a space matching SEP) + ``(?!\w)``, as long as every phrase starts
    # and ends with a word character and has no two spaces in a row; a phrase that
    # does not (a word written with an apostrophe at its start or end) makes the scan
    # use that regex, `scan_re`, instead.
    prefixes, pairs, singles = set(), set(), set()
    word_scan = True
    for phrase in rs.kinds:
        if not _PHRASE_WORDS.fullmatch(phrase):
            word_scan = False
            break
        parts = _RUNS.split(phrase)  # ["", word, gap, word, ..., word, ""]
        for i in range(1, len(parts), 2):
            prefixes.add("".join(parts[: i + 1]))
        if len(parts) > 3:
            pairs.add((parts[1], parts[3]))
        else:
            singles.add(phrase)
    rs.word_scan = word_scan
    rs.prefixes = frozenset(prefixes) if word_scan else frozenset()
    # (first word, "") for every first word of a longer phrase: the scan's next word
    # is "" after a gap of two characters or more (" - ", ", "), where it walks on.
    firsts = {first for first, _ in pairs}
    rs.first_pairs = frozenset(pairs | {(first, "") for first in firsts}) if word_scan else frozenset()
    rs.single_words = dict.fromkeys(singles, True) if word_scan else {}
    rs.multi_first = frozenset(firsts) if word_scan else frozenset()
