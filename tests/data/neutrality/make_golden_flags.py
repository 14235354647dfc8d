"""Write golden_flags.json: the neutral-wording scan's output on a fixed set of texts.

    python tests/data/neutrality/make_golden_flags.py [--rescan]

`--rescan` keeps the stored texts and writes the current flags for them, printing every
text whose flags change: the way to record an intended change of the rules, reviewed
text by text (a new set of texts would hide what changed).

The file was written by the implementation *before* the scan was rewritten for speed
(word tokens and dictionary lookups instead of one giant regex), and
tests/test_neutrality_equivalence.py checks that the current scan still gives exactly
these flags. Re-run this only when a change of results is intended and reviewed.

The texts: (a) every sentence of labelled.tsv, (b) every free text of entries/*.yaml
and tests/cases/_entries/*.yaml (scanned with and without the entry's proper names),
(c) synthetic descriptions from benchmarks/synth.py (fixed seed), (d) adversarial
strings built from the rules file (separators, case, quotes, apostrophes, unicode,
names, context conditions), also from a fixed seed. The texts are stored in the file
so the test does not depend on files that may change later.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = Path(__file__).with_name("golden_flags.json")
SEED = 20261129


def labelled_texts():
    rows = (ROOT / "tests" / "data" / "neutrality" / "labelled.tsv").read_text(encoding="utf-8").splitlines()
    for line in rows:
        if not line.strip() or line.startswith("#"):
            continue
        yield line.split("\t")[3], ()


def entry_texts():
    from bot.loading import load_text
    from bot.wording import free_text_nodes, proper_names

    paths = sorted((ROOT / "entries").glob("*.yaml")) + sorted((ROOT / "tests" / "cases" / "_entries").glob("*.yaml"))
    for p in paths:
        doc = load_text(str(p), p.read_text(encoding="utf-8"))
        if not isinstance(doc.data, dict):
            continue
        names = tuple(proper_names(doc.data))
        for _path, node in free_text_nodes(doc):
            if isinstance(node.value, str):
                yield node.value, ()
                if names:
                    yield node.value, names


def synthetic_texts(n=300):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synth

    rng = random.Random(SEED)
    for i in range(n):
        yield synth._description(rng, slanted=i % 2 == 0), ()


SEPS = [" ", "-", "  ", " - ", "/", " / ", "\u00a0", "\u2010", "\u2013", "\u2014", "_", "\t", "\n", "--", " -/ ", "\u2011", ".", "'", "\u2019"]
WRAP = [
    ("{}", ""),
    ("The body is {}.", ""),
    ("{} in every way; it works.", ""),
    ('Critics said "{}" about it.', ""),
    ('It was "{}".', ""),
    ("It was \u201c{}\u201d, they wrote.", ""),
    ("It was '{}'.", ""),
    ("The secretariat stated that it is {} now. Then it met.", ""),
    ("According to the charter, '{}' is the aim.", ""),
    ("The {} Forum of Experts met.", ""),
    ("It is the {}'s work.", ""),
    ("x{}x", ""),
    ("1{} 2", ""),
    ("({})", ""),
    ("\u00ab{}\u00bb", ""),
    ("It met in Caf\u00e9 {} r\u00e9seaux.", ""),
]


def _case_variants(rng, s):
    out = [s, s.upper(), s.title(), s[:1].upper() + s[1:]]
    out.append("".join(c.upper() if rng.random() < 0.3 else c for c in s))
    return out


def _rules_phrases():
    from bot.neutrality import load_rules

    rs = load_rules()
    terms = []
    for t in rs.terms:
        forms = [sorted(w) for w in t.words]
        terms.append((t, forms))
    return rs, terms


def adversarial_texts(n=600):
    rs, terms = _rules_phrases()
    rng = random.Random(SEED)
    cond = [(t, f) for t, f in terms if not t.unconditional]
    multi = [(t, f) for t, f in terms if len(f) > 1]
    out = []

    def phrase(forms, sep_choice=True):
        words = [rng.choice(w) for w in forms]
        if not sep_choice:
            return " ".join(words)
        return "".join(w + (rng.choice(SEPS) if i < len(words) - 1 else "") for i, w in enumerate(words))

    for i in range(n):
        pick = rng.random()
        if pick < 0.25 and multi:
            t, forms = rng.choice(multi)
            core = phrase(forms)
        elif pick < 0.45 and cond:
            t, forms = rng.choice(cond)
            core = phrase(forms, sep_choice=False)
            before = sorted(t.unless_prev | t.after) or ["the", "most", "is"]
            after = sorted(t.unless_next) or ["work", "to"]
            if rng.random() < 0.6:
                core = rng.choice(before) + " " + core
            if rng.random() < 0.6:
                core = core + " " + rng.choice(after)
            if t.lower_case_only and rng.random() < 0.5:
                core = core.upper()
        elif pick < 0.55:
            core = rng.choice(rs.exempt)
            if rng.random() < 0.5:
                t, forms = rng.choice(terms)
                core = core + rng.choice(SEPS) + phrase(forms)
        elif pick < 0.65:
            cue = rng.choice(rs.attribution_cues + rs.reporting_cues + rs.quoted_sources)
            t, forms = rng.choice(terms)
            core = f'{cue} "{phrase(forms)}"' if rng.random() < 0.5 else f"{cue} that it is {phrase(forms)}"
        elif pick < 0.75:
            # Several terms back to back with odd separators: longest-match and overlap.
            parts = [phrase(rng.choice(terms)[1]) for _ in range(rng.randint(2, 5))]
            core = "".join(p + rng.choice(SEPS) for p in parts)
        else:
            t, forms = rng.choice(terms)
            core = phrase(forms)
            # Broken forms: a suffix, a prefix, an apostrophe, a digit, unicode.
            mode = rng.randrange(8)
            if mode == 0:
                core += rng.choice(["s", "ly", "ness", "'s", "\u2019s", "_x", "1", "\u0301", "\u00e9"])
            elif mode == 1:
                core = rng.choice(["un", "non-", "l'", "d\u2019", "_", "9", "\u00e9", "anti"]) + core
            elif mode == 2:
                core = core.replace("i", "\u0130", 1)
            elif mode == 3:
                core = core.replace("s", "\u00df", 1)
            elif mode == 4:
                core = core.replace("e", "\u00e9", 1)
            elif mode == 5:
                core = "\u212a" + core  # Kelvin sign: lower() is 'k'
        for variant in _case_variants(rng, core)[: rng.randint(1, 3)]:
            fmt, _ = rng.choice(WRAP)
            out.append(fmt.format(variant))
    # Fixed hand-written cases.
    out += [
        "",
        " ",
        "world-class",
        "World-Class",
        "world--class",
        "world - class",
        "world/class",
        "world_class",
        "world\u2013class",
        "world\u2014class",
        "world class-",
        "-world class",
        "a landmark, landmark; LANDMARK landmarks landmarked",
        "\u0130stanbul landmark \u0130 landmark",
        "Stra\u00dfe landmark",
        "The so-called reform was a so called 'reform'.",
        "It's 'clearly' the \u2018best\u2019 \u201cworld-leading\u201d \u00abforum\u00bb.",
        "critics have argued that it is 'a sham'",
        "He said: \"it is a sham\" and 'a regime'.",
        "don't doesn't won't isn't o'brien l'\u00e9valuation",
        "US us Us uS",
        "The US-led and us-led regime",
        "regime\u00a0change",
        "a\u200bregime",
        "\ufeffregime",
        "regime\u0301",
        "r\u00e9gime regime\u2019s regime's",
        "Leading Group on Innovative Financing",
        "An Orwellian system; a Pioneering Initiative.",
        "PIONEERING WORK",
        "Pioneering work began in 1999.",
    ]
    return [(t, ()) for t in out]


def flags_of(text, names):
    from bot.neutrality import scan

    return [[f.start, f.end, f.rule, f.category, f.severity, f.message, f.suggestion, f.match] for f in scan(text, proper_names=names)]


def rescan() -> int:
    """Keep the stored texts; write the current flags; print what changed."""
    stored = json.loads(OUT.read_text(encoding="utf-8"))["cases"]
    changed = 0
    for case in stored:
        new = flags_of(case["text"], tuple(case["names"]))
        if new != case["flags"]:
            changed += 1
            old_set = {(f[2], f[7], f[4]) for f in case["flags"]}
            new_set = {(f[2], f[7], f[4]) for f in new}
            print(f"{case['group']}: {case['text'][:100]!r}")
            for rule, match, severity in sorted(old_set - new_set):
                print(f"    - {rule} {match!r} {severity}")
            for rule, match, severity in sorted(new_set - old_set):
                print(f"    + {rule} {match!r} {severity}")
            case["flags"] = new
    OUT.write_text(json.dumps({"cases": stored}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(stored)} texts, {changed} with changed flags")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--rescan"]:
        return rescan()
    cases = []
    seen = set()
    for group, source in (
        ("labelled", labelled_texts()),
        ("entries", entry_texts()),
        ("synthetic", synthetic_texts()),
        ("adversarial", adversarial_texts()),
    ):
        for text, names in source:
            key = (text, names)
            if key in seen:
                continue
            seen.add(key)
            cases.append({"group": group, "text": text, "names": list(names), "flags": flags_of(text, names)})
    OUT.write_text(json.dumps({"cases": cases}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    n_flags = sum(len(c["flags"]) for c in cases)
    print(f"{OUT}: {len(cases)} texts, {n_flags} flags")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
