"""The neutral-wording scan of this tree against the one of another commit: same flags?

    python benchmarks/neutrality_equiv.py [--ref main] [--random 20000] [--speed [--rounds 15]]

Loads `bot/neutrality/scan.py` and `rules.py` as they are at `--ref` (``git show``, saved
to a temporary package) and compiles the rules file of this tree with each. Then scans,
with both, every text of a large corpus and asserts that the flags are identical (start,
end, rule, category, severity, message, suggestion, match, in order):

  - every sentence of tests/data/neutrality/labelled.tsv;
  - every line of the Wiki Neutrality Corpus (../shared/data/neutrality/wnc/*.train,
    *.test), when found (see benchmarks/neutrality_eval.py);
  - every free text of entries/*.yaml and tests/cases/_entries/*.yaml, with and without
    the entry's proper names, every other string of entries/ and tests/cases/, and the synthetic and adversarial texts of
    tests/data/neutrality/make_golden_flags.py;
  - `--random` texts assembled from all these sentences (fixed seed): changed case,
    words and spans put in quotation marks, odd separators, and proper names taken from
    the text, the entries or the rules' exempt list passed as `proper_names`.

`--speed` then times both on the texts of the "Speed" section of
benchmarks/neutrality_eval.py, alternating old and new in the same run (the machine is
shared and noisy: never compare runs made at different times), CPU time, the best of
`--rounds` for each chunk of 50 texts, summed.
"""

from __future__ import annotations

import argparse
import importlib
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "benchmarks", ROOT / "tests" / "data" / "neutrality"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import make_golden_flags as golden  # noqa: E402
import neutrality_eval as evaluation  # noqa: E402

from bot.neutrality import DEFAULT_RULES_PATH, load_rules, parse_rules  # noqa: E402
from bot.neutrality import scan as new_scan  # noqa: E402

REF_PACKAGE = "neutrality_ref"


def load_ref(ref: str, into: Path, *, own_rules: bool = False):
    """(scan, RuleSet) of `ref`: its scan.py and rules.py as a package in `into`, the
    rules file of this tree (or, with `own_rules`, of `ref`) compiled by its rules.py
    (no tables cache)."""
    package = into / REF_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("scan.py", "rules.py"):
        source = subprocess.run(
            ["git", "show", f"{ref}:bot/neutrality/{name}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        (package / name).write_text(source, encoding="utf-8")
    sys.path.insert(0, str(into))
    rules = importlib.import_module(f"{REF_PACKAGE}.rules")
    scan = importlib.import_module(f"{REF_PACKAGE}.scan")
    if own_rules:
        text = subprocess.run(
            ["git", "show", f"{ref}:schema/neutrality/rules.yaml"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        rs = rules.parse_rules(text, f"{ref}:schema/neutrality/rules.yaml")
    else:
        rs = rules.parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8"), str(DEFAULT_RULES_PATH))
    return scan.scan, rs


def flags(scan, rs, text, names):
    return [
        (f.start, f.end, f.rule, f.category, f.severity, f.message, f.suggestion, f.match)
        for f in scan(text, rules=rs, proper_names=names)
    ]


# --- the corpus ----------------------------------------------------------------------


def wnc_lines():
    wnc = evaluation.SHARED / "wnc"
    paths = sorted(wnc.glob("*.train")) + sorted(wnc.glob("*.test"))
    for p in paths:
        yield from p.read_text(encoding="utf-8").splitlines()


def yaml_strings():
    """Every string in the YAML files of entries/ and tests/cases/ (not only free text)."""
    from bot.loading import load_text

    paths = sorted((ROOT / "entries").glob("*.yaml")) + sorted((ROOT / "tests" / "cases").rglob("*.yaml"))
    seen = set()
    for p in paths:
        stack = [load_text(str(p), p.read_text(encoding="utf-8")).data]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and value not in seen:
                seen.add(value)
                yield value


def fixed_cases():
    """(group, text, names) of the fixed texts."""
    for _, _, _, sentence in evaluation.read_labelled(evaluation.LABELLED):
        yield "labelled", sentence, ()
    for line in wnc_lines():
        yield "wnc", line, ()
    for text, names in golden.entry_texts():
        yield "entries", text, tuple(names)
    for text in yaml_strings():
        yield "yaml", text, ()
    for text, names in golden.synthetic_texts():
        yield "synthetic", text, tuple(names)
    for text, names in golden.adversarial_texts():
        yield "adversarial", text, tuple(names)


QUOTES = [('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u00ab", "\u00bb"), ("`", "`")]
JOINS = [" ", " ", " ", "  ", "\n", " \n", "; ", " - ", "\u00a0", ". ", ".\n\n", " (", ") "]


def _recase(rng, s):
    pick = rng.randrange(6)
    if pick == 0:
        return s.upper()
    if pick == 1:
        return s.title()
    if pick == 2:
        return s.lower()
    if pick == 3:
        return "".join(c.upper() if rng.random() < 0.2 else c for c in s)
    return s


def _quote_words(rng, s):
    """Put one to four consecutive words of `s` in quotation marks."""
    words = s.split(" ")
    if len(words) < 2:
        return s
    a = rng.randrange(len(words))
    b = min(len(words), a + rng.randint(1, 4))
    left, right = rng.choice(QUOTES)
    words[a] = left + words[a]
    words[b - 1] = words[b - 1] + right
    return " ".join(words)


def random_cases(n, sentences, entry_names, exempt, seed=20261130):
    """(group, text, names) of `n` texts of 1 to 12 sentences with changed case,
    quotation marks, separators and proper names."""
    rng = random.Random(seed)
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 12)):
            s = rng.choice(sentences)
            if rng.random() < 0.2:
                s = _recase(rng, s)
            if rng.random() < 0.25:
                s = _quote_words(rng, s)
            parts.append(s)
        text = "".join(p + rng.choice(JOINS) for p in parts[:-1]) + parts[-1]
        names = []
        if rng.random() < 0.4:
            words = text.split()
            a = rng.randrange(len(words)) if words else 0
            names.append(" ".join(words[a : a + rng.randint(1, 5)]))
        if rng.random() < 0.3 and entry_names:
            names.extend(rng.choice(entry_names))
        if rng.random() < 0.2:
            names.append(rng.choice(exempt))
        if rng.random() < 0.05:
            names.append(rng.choice(["", " ", "x", "The", "'", "\u00e9", "-"]))
        yield "random", text, tuple(names)


def corpus(n_random):
    cases = list(fixed_cases())
    sentences = sorted({t for _, t, _ in cases if t.strip()})
    entry_names = sorted({names for g, _, names in cases if g == "entries" and names})
    cases += random_cases(n_random, sentences, entry_names, load_rules().exempt)
    return cases


# --- the comparison ------------------------------------------------------------------


def compare(cases, old_scan, old_rs, new_rs) -> int:
    counts: dict[str, int] = {}
    n_flags = 0
    differ = []
    for group, text, names in cases:
        counts[group] = counts.get(group, 0) + 1
        old = flags(old_scan, old_rs, text, names)
        new = flags(new_scan, new_rs, text, names)
        n_flags += len(old)
        if old != new:
            differ.append((group, text, names, old, new))
    print(f"compared {len(cases)} texts ({', '.join(f'{g} {n}' for g, n in counts.items())}), {n_flags} flags")
    for group, text, names, old, new in differ[:5]:
        print(f"DIFFERENT ({group}): {text!r} names={names!r}\n  old: {old}\n  new: {new}")
    if differ:
        print(f"{len(differ)} texts differ")
        return 1
    print("identical")
    return 0


def speed(old_scan, old_rs, new_rs, rounds, chunk=50) -> None:
    """Time both on the eval's speed texts: each chunk of `chunk` texts is scanned by
    old and new in turn (order swapped every round), `rounds` times; the best time of
    each chunk is kept and the chunks summed. Short, interleaved samples keep the
    quiet moments of a busy machine for both alike."""
    rows = evaluation.read_labelled(evaluation.LABELLED)
    print(f"\nCPU ms per 1000 texts of 300-1500 characters (best of {rounds} per {chunk} texts, summed), old and new alternating")
    runs = {"old": (old_scan, old_rs), "new": (new_scan, new_rs)}
    for mix in evaluation.MIXES:
        texts = evaluation.speed_texts(rows, mix=mix)
        for scan, rs in runs.values():
            for t in texts:
                scan(t, rules=rs)  # warm the caches
        total = {"old": 0.0, "new": 0.0}
        for lo in range(0, len(texts), chunk):
            part = texts[lo : lo + chunk]
            best = {"old": float("inf"), "new": float("inf")}
            for number in range(rounds):
                for which in ("old", "new") if number % 2 == 0 else ("new", "old"):
                    scan, rs = runs[which]
                    t0 = time.process_time()
                    for t in part:
                        scan(t, rules=rs)
                    best[which] = min(best[which], time.process_time() - t0)
            for which in total:
                total[which] += best[which]
        old, new = (total[w] * 1000 * 1000 / len(texts) for w in ("old", "new"))
        print(f"  {mix:<11} old {old:6.1f}   new {new:6.1f}   ({old / new:.2f}x)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="the commit to compare with (default: main)")
    ap.add_argument("--random", type=int, default=20000, help="number of assembled random texts")
    ap.add_argument("--speed", action="store_true", help="also time old and new")
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="neutrality-ref-") as tmp:
        old_scan, old_rs = load_ref(args.ref, Path(tmp))
        new_rs = load_rules()
        status = compare(corpus(args.random), old_scan, old_rs, new_rs)
        if args.speed:
            # Both rule sets compiled afresh: tables loaded from the tables cache are
            # a few per cent slower to look up in, which is not what is compared here.
            speed(old_scan, old_rs, parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8"), str(DEFAULT_RULES_PATH)), args.rounds)
    return status


if __name__ == "__main__":
    sys.exit(main())
