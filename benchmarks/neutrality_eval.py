"""Measure the neutral-wording checker.

    python benchmarks/neutrality_eval.py [--labelled FILE] [--wnc DIR] [--errors dev|train]

Reports, for the rule set and for a plain word-list baseline:
  - sentence-level precision, recall and F1 on the labelled set (dev and test halves;
    a sentence counts as flagged when it gets at least one `warning`);
  - on the Wiki Neutrality Corpus pairs (when ../shared/data/neutrality/wnc exists):
    the share of pairs where the biased `pre` sentence gets more flags than its
    neutralised `post` twin (and the share where the neutral twin gets more);
  - speed: milliseconds to scan 1000 entry-sized texts (300-1500 characters).

`--errors dev` lists the dev-half mistakes and `--errors train` the WNC train pairs not
separated, for tuning; the test halves are only ever reported.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.neutrality import RulesError, load_rules, scan  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "neutrality" / "labelled.tsv"
# Written and labelled by someone who never saw the rules (see their headers). A set's test
# half is reported once, held out; when a newer set arrives it becomes tuning data too.
INDEPENDENT = ROOT / "tests" / "data" / "neutrality" / "independent.tsv"
INDEPENDENT2 = ROOT / "tests" / "data" / "neutrality" / "independent2.tsv"
INDEPENDENT3 = ROOT / "tests" / "data" / "neutrality" / "independent3.tsv"
INDEPENDENT4 = ROOT / "tests" / "data" / "neutrality" / "independent4.tsv"
INDEPENDENT5 = ROOT / "tests" / "data" / "neutrality" / "independent5.tsv"
INDEPENDENT6 = ROOT / "tests" / "data" / "neutrality" / "independent6.tsv"
INDEPENDENT7 = ROOT / "tests" / "data" / "neutrality" / "independent7.tsv"
INDEPENDENT8 = ROOT / "tests" / "data" / "neutrality" / "independent8.tsv"
INDEPENDENT9 = ROOT / "tests" / "data" / "neutrality" / "independent9.tsv"
INDEPENDENT10 = ROOT / "tests" / "data" / "neutrality" / "independent10.tsv"
# Development corpora (all tuning data, no test half): 480 sentences each, by helpers that
# never saw the rules: other expressions of each kind of bias, the writers (second-
# language stakeholders, press officers, activists, journalists, academics), and bias
# carried by grammar and framing (presupposition, irony, rhetorical questions).
DEV_CORPORA = (
    ROOT / "tests" / "data" / "neutrality" / "dev-expressions.tsv",
    ROOT / "tests" / "data" / "neutrality" / "dev-writers.tsv",
    ROOT / "tests" / "data" / "neutrality" / "dev-framing.tsv",
)
import os  # noqa: E402


def _shared_data() -> Path:
    """../shared/data/neutrality beside the project (also found from a git worktree one
    level deeper); NEUTRALITY_DATA overrides."""
    if os.environ.get("NEUTRALITY_DATA"):
        return Path(os.environ["NEUTRALITY_DATA"])
    for base in (ROOT.parent, ROOT.parent.parent):
        candidate = base / "shared" / "data" / "neutrality"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "data" / "neutrality"


SHARED = _shared_data()

# The plain word-list baseline: the example words and phrases of the issue, matched as
# whole words, case-insensitively, with no inflection, context, names or quotations.
BASELINE_WORDS = [
    "landmark", "world-class", "highly successful", "pioneering", "direct and positive impact",
    "we are proud", "our organisation", "unfortunately", "clearly", "of course", "interestingly",
    "needless to say", "it is widely believed", "experts agree", "research has shown", "some say",
    "many observers", "so-called", "regime", "sham", "talking shop", "blatant", "alleged",
    "purported", "claimed", "admitted", "revealed", "exposed", "insisted", "recently",
    "currently", "soon", "last year", "to date", "should adopt", "must join", "vital tool",
]
_BASELINE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(BASELINE_WORDS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)


def baseline_count(text: str) -> int:
    return len(_BASELINE_RE.findall(text))


HAND_BUILT = ("strong_subjectives_riloff2003.txt", "hedges_hyland2005.txt", "factives_hooper1975.txt",
              "assertives_hooper1975.txt", "report_verbs.txt", "implicatives_karttunen1971.txt")
ALL_LEXICONS = HAND_BUILT + ("npov_lexicon.txt", "weak_subjectives_riloff2003.txt")


def lexicon_words(directory: Path, names=ALL_LEXICONS) -> set[str]:
    """Every single word of the named research lexicons, lower-cased."""
    words = set()
    for name in names:
        p = directory / name
        if p.exists():
            for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.strip().lower()
                if line and not line.startswith("#") and " " not in line:
                    words.add(line)
    return words


def lexicon_counter(directory: Path):
    """Counting words of the research lexicons (the orientation figure of the issue):
    the hand-built ones and the NPOV lexicon, not the weak subjectives."""
    words = lexicon_words(directory, HAND_BUILT + ("npov_lexicon.txt",))

    def count(text: str) -> int:
        return sum(1 for w in re.findall(r"[a-z']+", text.lower()) if w in words)

    return count


def rules_count(text: str, rs) -> int:
    return sum(1 for f in scan(text, rules=rs) if f.severity != "info")


def read_labelled(path: Path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        split, label, category, sentence = line.split("\t")
        rows.append((split, label == "biased", category, sentence))
    return rows


def prf(pairs):
    tp = sum(1 for gold, pred in pairs if gold and pred)
    fp = sum(1 for gold, pred in pairs if not gold and pred)
    fn = sum(1 for gold, pred in pairs if gold and not pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn


def wnc_ceiling(pre, post, count, lexicons: Path) -> dict:
    """What stands between a word-and-phrase detector and the WNC target, on train pairs.

    - add_only: the edit removes no word at all (it only adds or reorders): a count of
      words and phrases found in a sentence can only stay level or grow, so no such
      detector gives the biased twin more flags;
    - removes_hand_built / removes_any: the edit removes at least one word of the
      hand-built lexicons (subjectivity, hedges, factives, assertives, report verbs,
      implicatives) / of any lexicon, the NPOV lexicon (learnt from Wikipedia's own
      edits, with words such as "people" and "party") and the weak subjectives included:
      a word list, however large, can only separate pairs of this kind by a removed word;
    - missed: pairs the rules do not separate; post_adds_flag: pairs where the neutral
      twin gets more flags (the editors neutralised by adding attribution or hedging
      that the registry flags in its own voice)."""
    from collections import Counter

    hand, every = lexicon_words(lexicons, HAND_BUILT), lexicon_words(lexicons)
    c = dict.fromkeys(("add_only", "removes_hand_built", "removes_any", "missed", "post_adds_flag"), 0)
    for a, b in zip(pre, post):
        removed = Counter(a.split()) - Counter(b.split())
        c["add_only"] += not removed
        c["removes_hand_built"] += any(w in hand for w in removed)
        c["removes_any"] += any(w in every for w in removed)
        ca, cb = count(a), count(b)
        c["missed"] += ca <= cb
        c["post_adds_flag"] += cb > ca
    return c


def wnc_learnt_words(pre, post, count, lexicons: Path, neutral_texts, seeds=(1, 2, 3)) -> list[dict]:
    """Would a longer word list, learnt from the train pairs, carry over to pairs it was
    not learnt from? For each seed: split the train pairs in two halves at random; on
    half A, take every word of the research lexicons that the editors removed from more
    pairs the rules miss than they added it to, and that no neutral sentence of the
    labelled sets or the shipped entries uses; count those words on top of the rules'
    flags; report the pre>post share on A (where they were learnt) and on B (where they
    were not), each beside the rules alone. The gap between A and B is what learning a
    list from these pairs is worth on new pairs (the test pairs)."""
    from collections import Counter

    pool = lexicon_words(lexicons)
    used = {w for t in neutral_texts for w in re.findall(r"[a-z]+", t.lower())}
    base = [(count(a), count(b)) for a, b in zip(pre, post)]

    def share(idx, words):
        n = 0
        for i in idx:
            extra_a = sum(1 for w in pre[i].split() if w in words)
            extra_b = sum(1 for w in post[i].split() if w in words)
            n += base[i][0] + extra_a > base[i][1] + extra_b
        return n / len(idx)

    out = []
    for seed in seeds:
        idx = list(range(len(pre)))
        random.Random(seed).shuffle(idx)
        half_a, half_b = idx[: len(idx) // 2], idx[len(idx) // 2 :]
        gain, loss = Counter(), Counter()
        for i in half_a:
            a, b = Counter(pre[i].split()), Counter(post[i].split())
            if base[i][0] <= base[i][1]:
                gain.update(w for w in a - b if w in pool)
            loss.update(w for w in b - a if w in pool)
        words = {w for w in gain if gain[w] > loss[w] and w not in used}
        out.append(
            {
                "seed": seed,
                "words": len(words),
                "a_rules": share(half_a, set()),
                "a_learnt": share(half_a, words),
                "b_rules": share(half_b, set()),
                "b_learnt": share(half_b, words),
            }
        )
    return out


def wnc_share(pre, post, count):
    more = fewer = 0
    for a, b in zip(pre, post):
        ca, cb = count(a), count(b)
        more += ca > cb
        fewer += ca < cb
    n = len(pre)
    return more / n, fewer / n, n


MIXES = ("neutral", "one-biased", "mixed")


def timing(rs, rows, n_texts=1000, repeats=5, mix="mixed"):
    """Milliseconds of CPU time to scan 1000 entry-sized texts, best of `repeats`
    (texts: `speed_texts`)."""
    texts = speed_texts(rows, n_texts, mix)
    scan(texts[0], rules=rs)  # warm the caches
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for t in texts:
            scan(t, rules=rs)
        best = min(best, time.process_time() - t0)
    avg_len = sum(map(len, texts)) / len(texts)
    return best * 1000 * 1000 / n_texts, avg_len


def entry_texts(directory: Path = ROOT / "entries"):
    """(free texts, proper names) of each entry file in `directory`: what `check` scans
    per entry (bot.wording: every free-text field, with the entry's name, acronym and
    organisations as proper names)."""
    from bot import wording
    from bot.loading import load_text

    out = []
    for path in sorted(directory.glob("*.yaml")):
        doc = load_text(str(path), path.read_bytes())
        texts = [node.value for _, node in wording.free_text_nodes(doc)]
        out.append((texts, wording.proper_names(doc.data)))
    return out


def timing_entries(rs, entries, n_entries=1000, repeats=5, scan_fn=scan):
    """Milliseconds of CPU time to scan the free text of `n_entries` entries (the given
    ones, repeated), best of `repeats`; and the average characters of free text.
    `scan_fn`: the scan to time (another commit's, in neutrality_entries_ab.py)."""
    reps = -(-n_entries // len(entries))
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(reps):
            for texts, names in entries:
                for t in texts:
                    scan_fn(t, rules=rs, proper_names=names)
        best = min(best, time.process_time() - t0)
    avg_chars = sum(sum(map(len, texts)) for texts, _ in entries) / len(entries)
    return best * 1000 * 1000 / (reps * len(entries)), avg_chars


def speed_texts(rows, n_texts=1000, mix="mixed"):
    """`n_texts` entry-sized texts (300-1500 characters) of labelled sentences, the same
    on every run (fixed seed).

    mix: "neutral" (texts of neutral sentences: a typical accepted description),
    "one-biased" (one biased sentence in each text: a typical proposal to review),
    "mixed" (half the sentences biased: a stress case)."""
    rng = random.Random(7)
    neutral = [r[3] for r in rows if not r[1]]
    biased = [r[3] for r in rows if r[1]]
    sentences = [r[3] for r in rows] if mix == "mixed" else neutral
    texts = []
    for _ in range(n_texts):
        target = rng.randint(300, 1500)
        parts, size = [], 0
        if mix == "one-biased":
            s = rng.choice(biased)
            parts.append(s)
            size += len(s) + 1
        while size < target:
            s = rng.choice(sentences)
            parts.append(s)
            size += len(s) + 1
        rng.shuffle(parts)
        texts.append(" ".join(parts))
    return texts


def report_labelled(path: Path, rs, *, errors: bool) -> None:
    rows = read_labelled(path)
    print(f"Labelled set: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"{'split':<6} {'system':<10} {'n':>4} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for split in ("dev", "test"):
        part = [r for r in rows if r[0] == split]
        if not part:
            continue
        for name, pred in (("rules", lambda s: rules_count(s, rs) > 0), ("baseline", lambda s: baseline_count(s) > 0)):
            p, r, f, tp, fp, fn = prf([(gold, pred(s)) for _, gold, _, s in part])
            print(f"{split:<6} {name:<10} {len(part):>4} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:3d} {fp:3d} {fn:3d}")
    if errors:
        print("\nDev-half mistakes:")
        for split, gold, cat, s in rows:
            if split != "dev":
                continue
            flags = [f for f in scan(s, rules=rs) if f.severity != "info"]
            if bool(flags) != gold:
                kind = "FN" if gold else "FP"
                print(f"  {kind} [{cat}] {s}  {[f.match for f in flags]}")
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labelled", type=Path, default=LABELLED)
    ap.add_argument("--independent", type=Path, default=INDEPENDENT, help="the first set written by someone who never saw the rules")
    ap.add_argument("--independent2", type=Path, default=INDEPENDENT2, help="the second such set")
    ap.add_argument("--independent3", type=Path, default=INDEPENDENT3, help="the third such set")
    ap.add_argument("--independent4", type=Path, default=INDEPENDENT4, help="the fourth such set")
    ap.add_argument("--independent5", type=Path, default=INDEPENDENT5, help="the fifth such set (its test half is held out)")
    ap.add_argument("--independent6", type=Path, default=INDEPENDENT6, help="the sixth such set (its test half is held out)")
    ap.add_argument("--independent7", type=Path, default=INDEPENDENT7, help="the seventh such set (its test half is held out)")
    ap.add_argument("--independent8", type=Path, default=INDEPENDENT8, help="the eighth such set (its test half is held out)")
    ap.add_argument("--independent9", type=Path, default=INDEPENDENT9, help="the ninth such set (its test half is held out)")
    ap.add_argument("--independent10", type=Path, default=INDEPENDENT10, help="the tenth such set (its test half is held out)")
    ap.add_argument("--wnc", type=Path, default=SHARED / "wnc")
    ap.add_argument("--rules", type=Path, default=None)
    ap.add_argument("--ceiling", action="store_true", help="on the WNC train pairs, count what no word list can separate")
    ap.add_argument("--errors", choices=("dev", "train"), help="list mistakes on the dev half / WNC train pairs")
    args = ap.parse_args(argv)
    try:
        rs = load_rules(args.rules)
    except RulesError as exc:
        print(f"neutrality_eval: {exc}", file=sys.stderr)
        return 2

    for path in (
        args.labelled,
        args.independent,
        args.independent2,
        args.independent3,
        args.independent4,
        args.independent5,
        args.independent6,
        args.independent7,
        args.independent8,
        args.independent9,
        args.independent10,
        *DEV_CORPORA,
    ):
        report_labelled(path, rs, errors=args.errors == "dev")

    wnc = args.wnc
    if (wnc / "pre.test").exists() and (wnc / "post.test").exists():
        lex = lexicon_counter(wnc.parent / "lexicons")
        print(f"\nWiki Neutrality Corpus ({wnc}): share of pairs where the biased sentence gets more flags")
        print("(and, treating every pre sentence as biased and every post sentence as neutral, sentence-level P/R/F1)")
        print(f"{'part':<6} {'system':<10} {'n':>5} {'pre>post':>9} {'pre<post':>9}   {'P':>6} {'R':>6} {'F1':>6}")
        for part in ("train", "test"):
            pre = (wnc / f"pre.{part}").read_text(encoding="utf-8").splitlines()
            post = (wnc / f"post.{part}").read_text(encoding="utf-8").splitlines()
            for name, count in (("rules", lambda t: rules_count(t, rs)), ("baseline", baseline_count), ("lexicons", lex)):
                more, fewer, n = wnc_share(pre, post, count)
                p, r, f, *_ = prf([(True, count(a) > 0) for a in pre] + [(False, count(b) > 0) for b in post])
                print(f"{part:<6} {name:<10} {n:>5} {more:9.3f} {fewer:9.3f}   {p:6.3f} {r:6.3f} {f:6.3f}")
            if args.ceiling and part == "train":
                c = wnc_ceiling(pre, post, lambda t: rules_count(t, rs), wnc.parent / "lexicons")
                print(f"  of {len(pre)} train pairs: the edit removes no word (no word count can separate them): {c['add_only']};")
                print(f"  the edit removes a word of the hand-built lexicons: {c['removes_hand_built']}; of any lexicon: {c['removes_any']};")
                print(f"  the rules miss: {c['missed']}; the neutral twin gets more flags: {c['post_adds_flag']}")
                neutral = [r[3] for path in (args.labelled, args.independent) for r in read_labelled(path) if not r[1]]
                neutral += [r[3] for r in read_labelled(args.independent2) if not r[1] and r[0] == "dev"]
                neutral += [f.read_text(encoding="utf-8") for f in sorted((ROOT / "entries").glob("*.yaml"))]
                strong = lexicon_words(wnc.parent / "lexicons", ("strong_subjectives_riloff2003.txt",))
                more, fewer, _ = wnc_share(
                    pre, post, lambda t: rules_count(t, rs) + sum(1 for w in t.split() if w in strong)
                )
                print(f"  every word of the strong-subjective lexicon ({len(strong)}) counted on top of the rules: "
                      f"pre>post {more:.3f}, pre<post {fewer:.3f}")
                print("  words of the lexicons learnt from half A of the train pairs, added to the rules (pre>post share):")
                for row in wnc_learnt_words(pre, post, lambda t: rules_count(t, rs), wnc.parent / "lexicons", neutral):
                    print(
                        f"    split {row['seed']}: {row['words']} words; half A (learnt there) {row['a_rules']:.3f} -> "
                        f"{row['a_learnt']:.3f}; half B (not seen) {row['b_rules']:.3f} -> {row['b_learnt']:.3f}"
                    )
            if args.errors == "train" and part == "train":
                for a, b in zip(pre, post):
                    if rules_count(a, rs) <= rules_count(b, rs):
                        print("  PRE ", a, [f.match for f in scan(a, rules=rs)])
                        print("  POST", b, [f.match for f in scan(b, rules=rs)])
    else:
        print(f"\nWiki Neutrality Corpus not found at {wnc}: skipped")

    print("\nSpeed: CPU time to scan 1000 texts of 300-1500 characters, best of 5")
    rows = read_labelled(args.labelled)
    for mix in MIXES:
        ms, avg = timing(rs, rows, mix=mix)
        print(f"  {mix:<11} {ms:6.1f} ms per 1000 texts (average {avg:.0f} characters)")
    entries = entry_texts()
    if entries:
        ms, avg = timing_entries(rs, entries)
        print(
            f"  entries     {ms:6.1f} ms per 1000 entries (the {len(entries)} entries of entries/, repeated: "
            f"every free-text field with its proper names, average {avg:.0f} characters per entry)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
