"""A realistic synthetic registry: N entries, a share of them invalid and a
share with non-neutral wording, plus the real schema, vocabularies and rules.

    python benchmarks/synth.py DIR [--entries 10000] [--invalid 0.05] [--wording 0.10] [--seed 1]

Entries vary as contributors write them: block and flow lists, folded and
literal descriptions of one to six sentences, quoted and plain scalars,
optional fields, gaps and sources, comments. Invalid entries carry one of the
mistakes contributors make (a typo in a vocabulary value, a missing field, an
impossible date, a web address without its scheme, an unknown field, a YAML
syntax error, a tab, a duplicate key, an id that differs from the file name,
an unknown stakeholder group). A few valid entries share a URL or a name with
another (registry-wide warnings). Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KINDS = (
    "forum network principles agreement standards coordination dialogue initiative observatory council "
    "partnership programme alliance platform group committee framework charter centre exchange"
).split()
TOPICS = (
    "domain names|cross-border data flows|online child protection|spam|incident response|capacity building|"
    "routing security|digital identity|e-commerce|broadband access|internet exchange points|content moderation|"
    "cybercrime|accessibility|multilingual domain names|undersea cables|spectrum|open standards"
).split("|")
VERBS = ("publishes", "coordinates", "reviews", "convenes", "funds", "maintains", "drafts", "hosts")
SENTENCES = (
    "Participants exchange information on {t} and agree on voluntary guidelines.",
    "It meets {n} times a year and publishes a report after each meeting.",
    "The secretariat {v} a register of members and an annual work plan.",
    "Membership is open to {who} from the region, who take part in working groups on {t}.",
    "It was set up in {y} after a meeting of {who} on {t}.",
    "Its steering committee of {n} members is chosen for two years by the plenary.",
    "It {v} technical notes on {t} that national bodies may adopt.",
)
WHO = ("governments", "network operators", "civil-society groups", "universities", "regulators", "companies")
# Wording the neutrality rules flag (puffery, weasel words, loaded labels...).
SLANTED = (
    "It is a landmark and world-leading initiative on {t}.",
    "Critics say it has clearly failed to deliver on {t}.",
    "It is widely regarded as the most successful body on {t}.",
    "The so-called reform of {t} was a notorious setback.",
    "It played a pivotal role in the groundbreaking agreement on {t}.",
)
INVALID_KINDS = (
    "scope-typo",
    "unknown-issue",
    "missing-urls",
    "impossible-date",
    "url-no-scheme",
    "unknown-field",
    "yaml-syntax",
    "tab",
    "duplicate-key",
    "id-mismatch",
    "unknown-stakeholder",
    "short-description",
)


def _vocab():
    from bot.vocabularies import load_vocabularies

    vocab = load_vocabularies(REPO / "schema" / "vocabularies")
    return {
        "issues": [t.slug for t in vocab.issue_areas],
        "groups": [t.slug for t in vocab.stakeholder_groups],
        "levels": [t.slug for t in vocab.participation_levels],
        "regions": [t.slug for t in vocab.regions],
        "types": [t.slug for t in vocab.mechanism_types],
        "gaps": [t.slug for t in vocab.gap_types],
        "statuses": [t.slug for t in vocab.statuses],
        "sources": [t.slug for t in vocab.source_types],
    }


def _description(rng: random.Random, slanted: bool) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        parts.append(
            rng.choice(SENTENCES).format(
                t=rng.choice(TOPICS), n=rng.randint(2, 12), v=rng.choice(VERBS), who=rng.choice(WHO), y=rng.randint(1990, 2024)
            )
        )
    if slanted:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(SLANTED).format(t=rng.choice(TOPICS)))
    return " ".join(parts)


def _wrap(text: str, width: int):
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            yield line
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        yield line


def _scalar(rng, value: str) -> str:
    style = rng.random()
    if style < 0.5 and not any(c in value for c in ":#'\"[]{},&*!|>%@`") and not value[:1].isdigit():
        return value
    if style < 0.8:
        return json.dumps(value, ensure_ascii=False)
    return "'" + value.replace("'", "''") + "'"


def entry(rng: random.Random, i: int, v: dict, *, slanted: bool, shared: dict) -> tuple[str, dict]:
    """(file stem, data) for one valid entry."""
    entry_id = f"{rng.choice(KINDS)}-{rng.choice(KINDS)}-{i:05d}"
    words = rng.sample(KINDS, 3)
    name = f"{words[0].title()} {words[1].title()} on {rng.choice(TOPICS).title()} {i}"
    if shared.get("name") and rng.random() < 0.003:
        name = shared["name"].upper()  # near-identical name: a registry warning
    url = f"https://www.example-{i % 997}.org/{entry_id}"
    if shared.get("url") and rng.random() < 0.003:
        url = shared["url"].replace("https://www.", "http://")  # same URL: a registry warning
    shared.setdefault("name", name)
    shared.setdefault("url", url)
    data = {
        "id": entry_id,
        "name": name,
    }
    if rng.random() < 0.4:
        data["acronym"] = "".join(w[0].upper() for w in words)
    data["organizations"] = [f"Organisation {rng.randrange(500)}" for _ in range(rng.randint(1, 3))]
    data["organizations"] = list(dict.fromkeys(data["organizations"]))
    data["issue_areas"] = rng.sample(v["issues"], rng.randint(1, 4))
    data["scope"] = rng.choice(("national", "regional", "international"))
    if data["scope"] == "regional":
        data["regions"] = rng.sample(v["regions"], rng.randint(1, 2))
    if data["scope"] == "national" and rng.random() < 0.7:
        data["countries"] = rng.sample(["FJ", "KE", "BR", "IN", "DE", "CA", "JP", "ZA"], rng.randint(1, 2))
    if rng.random() < 0.7:
        data["mechanism_type"] = rng.choice(v["types"])
    if rng.random() < 0.7:
        data["status"] = rng.choice(v["statuses"])
    if rng.random() < 0.6:
        data["start_date"] = rng.choice((f"{rng.randint(1990, 2024)}", f"{rng.randint(1990, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    data["description"] = _description(rng, slanted)
    data["urls"] = [url] + ([f"https://example.net/{entry_id}/en"] if rng.random() < 0.3 else [])
    data["stakeholders"] = {g: rng.choice(v["levels"]) for g in rng.sample(v["groups"], rng.randint(1, 5))}
    if rng.random() < 0.3:
        data["gaps"] = [
            {"type": rng.choice(v["gaps"]), "note": f"Participants report a lack of resources to take part in work on {rng.choice(TOPICS)}."}
            for _ in range(rng.randint(1, 2))
        ]
    if rng.random() < 0.6:
        data["sources"] = [
            {
                "type": rng.choice(v["sources"]),
                "title": f"{rng.choice(('Annual report', 'Official page', 'Charter', 'Terms of reference'))} {rng.randint(2000, 2025)}",
                "url": f"https://www.example-{i % 997}.org/{entry_id}/doc-{k}",
                "date": f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
            for k in range(rng.randint(1, 3))
        ]
    data["last_reviewed"] = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    data["verification"] = rng.choice(("pending", "verified"))
    return entry_id, data


def to_yaml(rng: random.Random, data: dict) -> str:
    """Block YAML in the styles contributors use."""
    lines = []
    if rng.random() < 0.2:
        lines.append("# Entry proposed through the web form; facts from the sources below.")
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(x, str) for x in value) and rng.random() < 0.25 and key != "urls":
            lines.append(f"{key}: [{', '.join(json.dumps(x, ensure_ascii=False) for x in value)}]")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    first = True
                    for k, val in item.items():
                        lines.append(f"  {'- ' if first else '  '}{k}: {_scalar(rng, val) if k != 'date' else json.dumps(val)}")
                        first = False
                else:
                    lines.append(f"  - {_scalar(rng, item) if key not in ('regions', 'countries') else json.dumps(item)}")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {val}" for k, val in value.items())
        elif key == "description":
            if rng.random() < 0.8:
                lines.append("description: >")
            else:
                lines.append("description: |")
            lines.extend("  " + chunk for chunk in _wrap(value, rng.choice((72, 76, 80))))
        elif key in ("start_date",):
            lines.append(f"{key}: {json.dumps(value)}")
        elif key == "last_reviewed":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_scalar(rng, value)}")
    return "\n".join(lines) + "\n"


def make_invalid(rng: random.Random, kind: str, stem: str, data: dict, text: str) -> str:
    """The entry's text with one contributor mistake."""
    if kind == "scope-typo":
        return text.replace(f"scope: {data['scope']}", "scope: internationl")
    if kind == "unknown-issue":
        return text.replace("issue_areas:", "issue_areas:\n  - internet-stuff", 1) if "issue_areas:\n" in text else text.replace("issue_areas: [", 'issue_areas: ["internet-stuff", ', 1)
    if kind == "missing-urls":
        lines = text.splitlines()
        out, skipping = [], False
        for line in lines:
            if line.startswith("urls:"):
                skipping = True
                continue
            if skipping and line.startswith("  "):
                continue
            skipping = False
            out.append(line)
        return "\n".join(out) + "\n"
    if kind == "impossible-date":
        return text.replace(f"last_reviewed: {data['last_reviewed']}", "last_reviewed: 2026-02-30")
    if kind == "url-no-scheme":
        return text.replace(data["urls"][0], data["urls"][0].split("://", 1)[1], 1)
    if kind == "unknown-field":
        return text.replace("description:", "descripton:", 1)
    if kind == "yaml-syntax":
        return text.replace(f"name: {_plain_or_quoted(text, 'name')}", f"name: Summit: {data['name']}", 1)
    if kind == "tab":
        return text.replace("\n  ", "\n\t", 1)
    if kind == "duplicate-key":
        return text + f"scope: {data['scope']}\n"
    if kind == "id-mismatch":
        return text.replace(f"id: {_plain_or_quoted(text, 'id')}", f"id: {stem}-old", 1)
    if kind == "unknown-stakeholder":
        return text.replace("stakeholders:", "stakeholders:\n  goverments: member", 1)
    if kind == "short-description":
        return text.replace("description:", "description: Short text.\nold_description:", 1)
    raise ValueError(kind)


def _plain_or_quoted(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"{key}: "):
            return line[len(key) + 2 :]
    return ""


def generate(root: Path, n: int, *, invalid: float = 0.05, wording: float = 0.10, seed: int = 1) -> dict:
    """Write the registry under ``root``; returns counts of what was made."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    if (root / "schema").exists():
        shutil.rmtree(root / "schema")
    shutil.copytree(REPO / "schema", root / "schema")
    entries = root / "entries"
    entries.mkdir(exist_ok=True)
    v = _vocab()
    shared: dict = {}
    counts = {"entries": n, "invalid": 0, "slanted": 0}
    bad = set(rng.sample(range(n), round(n * invalid)))
    for i in range(n):
        slanted = rng.random() < wording
        stem, data = entry(rng, i, v, slanted=slanted, shared=shared)
        text = to_yaml(rng, data)
        if i in bad:
            kind = INVALID_KINDS[i % len(INVALID_KINDS)]
            changed = make_invalid(rng, kind, stem, data, text)
            if changed == text:  # the mistake did not apply to this entry's form: the typo always does
                changed = text.replace("\nscope: ", "\nscope: x", 1)
            text = changed
            counts["invalid"] += 1
        counts["slanted"] += slanted
        (entries / f"{stem}.yaml").write_text(text, encoding="utf-8")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--invalid", type=float, default=0.05)
    parser.add_argument("--wording", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.root, args.entries, invalid=args.invalid, wording=args.wording, seed=args.seed)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
