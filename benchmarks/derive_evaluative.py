"""Derive the `neutrality/evaluative` word list of schema/neutrality/rules.yaml.

    python benchmarks/derive_evaluative.py > /tmp/evaluative.txt

Provenance of the list, for the chairs who review it: the strong-subjective words of the
subjectivity lexicon (Riloff & Wiebe 2003, in ../shared/data/neutrality/lexicons) that
WordNet (Debian package `wordnet-base`) knows mainly as adjectives or adverbs (more
adjective/adverb senses than noun/verb senses): modifiers that judge, such as
"brilliant", "tragically", "bizarre". Minus the words that the registry's own neutral
vocabulary needs (STOP below: "critical infrastructure", "vulnerable groups",
"non-discriminatory access", connectives such as "therefore") and the words already in
another rule. A development aid only: neither WordNet nor the lexicons are needed to run.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from neutrality_eval import SHARED  # noqa: E402

WORDNET = Path("/usr/share/wordnet")

# Words a neutral description of a mechanism needs, connectives, and words that are
# descriptive in policy text even though the lexicon lists them as subjective.
STOP = set(
    """
    therefore thus though moreover furthermore nevertheless regardless immediately long little mean moving
    thinking understood kind super sworn inclined concerned novel correctly incorrectly activist pacifist
    estranged impaired destitute drunken altogether inherent explicit strict vulnerable critical serious seriously
    severe severely flexible considerable considerably extensively heavily unwanted intrusive coercive
    discriminatory just especially false falsely mistakenly erroneous yeah finally ultimately eager
    secure safe stable open free fair equal universal meaningful sustainable affordable accessible
    inclusive transparent accountable reliable effective efficient robust resilient trusted trustworthy
    independent neutral voluntary binding legal illegal unlawful lawful legitimate illegitimate public
    private civil social sensitive confidential harmful malicious abusive fraudulent criminal offensive
    defensive sovereign democratic authoritarian equitable fairly equally freely openly publicly
    privately legally illegally directly indirectly fully partly largely mainly mostly primarily
    particularly specifically generally usually typically normally formally informally originally
    initially eventually subsequently previously currently recently jointly mutually collectively
    individually respectively relatively approximately roughly nearly almost exactly precisely
    clear unclear certain uncertain possible impossible likely unlikely able unable available
    unavailable necessary unnecessary sufficient insufficient adequate inadequate appropriate
    inappropriate relevant irrelevant significant insignificant substantial minimal major minor
    key main principal primary secondary central basic fundamental essential vital crucial important
    high low large small big huge tiny wide narrow broad deep shallow strong weak hard soft heavy light
    rapid slow fast quick early late new old young modern ancient recent current former future
    complex simple difficult easy common rare frequent unusual usual ordinary special specific general
    whole entire complete partial total full empty direct indirect formal informal official unofficial
    natural artificial human technical academic scientific economic political cultural religious true right
    absolute actual aware besides certainly consequently compliant conceivable contrary contradictory
    dedicated defective defunct diametrically disinterested disputed dissident enduring entirely evidently exact
    exceeding explicitly fundamentally gainful handy hardly immaterial imminent impending indicative inevitable
    intimate lastly likewise lone maybe mindful neglected obliged okay optimal overdue passive perhaps plainly
    plausible pragmatic preferable privileged proactive radically rational realistic reflecting reflective
    rhetorical rightful rightly rusty scarcely seamless sensitively sensible sober sophisticated stale
    straightforward strictly sure thinkable thusly ultimate ultra unanimous unequal uncommon unipolar unusually
    utmost waning weakening willing unwilling workable worthwhile warily eclectic cheap friendly pervasive
    intuitive creative forbidden healthful credible unfettered sweeping profound intelligible knowing interim
    favorable unfavorable satisfactory dissatisfactory affected knowingly
    """.split()
)


def wordnet_counts(pos: str) -> dict[str, int]:
    counts = {}
    with open(WORDNET / f"index.{pos}", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            parts = line.split()
            counts[parts[0]] = int(parts[2])
    return counts


def main() -> int:
    lexicon = SHARED / "lexicons" / "strong_subjectives_riloff2003.txt"
    if not lexicon.exists() or not (WORDNET / "index.adj").exists():
        print("needs ../shared/data/neutrality/lexicons and WordNet (apt-get install wordnet-base)", file=sys.stderr)
        return 2
    adj, adv, noun, verb = (wordnet_counts(p) for p in ("adj", "adv", "noun", "verb"))
    words = set()
    for line in lexicon.read_text(encoding="utf-8", errors="replace").splitlines():
        w = line.strip().lower()
        if not w or w.startswith("#") or not w.isalpha():
            continue
        modifier = adj.get(w, 0) + adv.get(w, 0)
        other = noun.get(w, 0) + verb.get(w, 0)
        if modifier and modifier >= other and w not in STOP:
            words.add(w)
    from bot.neutrality import load_rules

    rs = load_rules()
    taken = {p for t in rs.terms if t.rule.id != "neutrality/evaluative" for p in t.words[0] if len(t.words) == 1}
    for w in sorted(words - taken):
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
