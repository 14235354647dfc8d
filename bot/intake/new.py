"""`python -m bot new`: a correctly named entry file for git users.

Asks for each required field when run in a terminal (or takes flags, for
scripts: ``--no-input``), writes ``entries/<id>.yaml`` with the same YAML
writer as the forms (never over an existing file), then runs the same checks
as ``check`` on it and prints the findings. Exit status: 0 no errors, 1 the
new file has errors, 2 a usage problem (nothing written).
"""

from __future__ import annotations

import datetime
import sys
import time

from bot.intake.build import dump_new, valid_id
from bot.intake.parse import slugify

REQUIRED = ("name", "organizations", "issue_areas", "scope", "description", "urls")


def add_arguments(parser) -> None:
    parser.add_argument("--id", help="identifier, lower-case with hyphens (default: made from --name)")
    parser.add_argument("--name", help="the mechanism's name")
    parser.add_argument("--acronym")
    parser.add_argument("--organization", action="append", default=[], metavar="NAME", help="repeat for each organisation")
    parser.add_argument("--issue-area", action="append", default=[], metavar="SLUG", help="repeat for each issue area (see schema/vocabularies/issue-areas.yaml)")
    parser.add_argument("--scope", help="national, regional or international")
    parser.add_argument("--description")
    parser.add_argument("--url", action="append", default=[], metavar="URL", help="repeat for each web address")
    parser.add_argument("--mechanism-type", metavar="SLUG")
    parser.add_argument("--status", metavar="SLUG")
    parser.add_argument("--start-date", metavar="YYYY[-MM[-DD]]")
    parser.add_argument("--region", action="append", default=[], metavar="CODE", help="UN M49 code, repeatable")
    parser.add_argument("--country", action="append", default=[], metavar="CC", help="ISO 3166-1 alpha-2, repeatable")
    parser.add_argument("--stakeholder", action="append", default=[], metavar="GROUP=LEVEL", help="for example governments=member; repeatable")
    parser.add_argument("--last-reviewed", metavar="YYYY-MM-DD", help="default: today")
    parser.add_argument("--no-input", action="store_true", help="never prompt; missing required values are a usage error")


def _ask(prompt: str, *, many: bool = False, choices=None, input_fn=input, out=None):
    out = out or sys.stderr  # looked up now: tests and pipes replace it
    hint = f" ({', '.join(choices)})" if choices and len(choices) <= 12 else ""
    if many:
        print(f"{prompt}{hint}: one per line, an empty line to finish", file=out)
        items = []
        while True:
            line = input_fn("  > ").strip()
            if not line:
                return items
            items.append(line)
    return input_fn(f"{prompt}{hint}: ").strip()


def run(args, *, input_fn=input, interactive=None) -> int:
    from bot.cli import UsageError, load_context
    from bot.registry import check_paths
    from bot.report import format_text, summary_line

    started = time.perf_counter()
    ctx = load_context(args)
    vocab = ctx.vocabularies
    if interactive is None:
        interactive = not args.no_input and sys.stdin.isatty()
    values = {
        "name": args.name,
        "organizations": list(args.organization),
        "issue_areas": list(args.issue_area),
        "scope": args.scope,
        "description": args.description,
        "urls": list(args.url),
    }
    prompts = {
        "name": ("Name of the mechanism", False, None),
        "organizations": ("Organisations that run or convene it", True, None),
        "issue_areas": ("Issue areas (slugs)", True, vocab.slugs("issue-areas")),
        "scope": ("Scope", False, ["national", "regional", "international"]),
        "description": ("Description (neutral words: what it is and does, who takes part, when and how)", False, None),
        "urls": ("Web addresses", True, None),
    }
    for key in REQUIRED:
        if values[key]:
            continue
        if not interactive:
            continue
        text, many, choices = prompts[key]
        values[key] = _ask(text, many=many, choices=choices, input_fn=input_fn)
    missing = [k for k in REQUIRED if not values[k]]
    if missing:
        flags = ", ".join("--" + {"organizations": "organization", "issue_areas": "issue-area", "urls": "url"}.get(k, k) for k in missing)
        raise UsageError(f"missing required values: {flags}")
    entry_id = args.id or slugify(values["name"])
    if not valid_id(entry_id):
        raise UsageError(f"`{entry_id}` is not a valid identifier: use lower-case letters, digits and single hyphens (3 to 80 characters)")
    path = ctx.project.entries_dir / f"{entry_id}.yaml"
    if path.exists():
        raise UsageError(f"{ctx.project.relative(path)} already exists; edit it instead (nothing was written)")
    data = {"id": entry_id, "name": values["name"]}
    if args.acronym:
        data["acronym"] = args.acronym
    data["organizations"] = values["organizations"]
    data["issue_areas"] = values["issue_areas"]
    data["scope"] = values["scope"]
    if args.region:
        data["regions"] = list(args.region)
    if args.country:
        data["countries"] = [c.upper() for c in args.country]
    if args.mechanism_type:
        data["mechanism_type"] = args.mechanism_type
    if args.status:
        data["status"] = args.status
    if args.start_date:
        data["start_date"] = args.start_date
    data["description"] = " ".join(values["description"].split())
    data["urls"] = values["urls"]
    if args.stakeholder:
        groups = {}
        for item in args.stakeholder:
            group, sep, level = item.partition("=")
            if not sep:
                raise UsageError(f"--stakeholder {item!r}: write GROUP=LEVEL, for example governments=member")
            groups[group.strip()] = level.strip()
        data["stakeholders"] = groups
    data["last_reviewed"] = args.last_reviewed or datetime.date.today().isoformat()
    data["verification"] = "pending"
    display = ctx.project.relative(path)
    text = dump_new(data, display)
    if text is None:
        raise UsageError("these values cannot be written safely as YAML (unusual characters?); nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # never over a file created meanwhile
        handle.write(text)
    print(f"wrote {display}")
    result = check_paths(ctx, [path])
    out = format_text(result.findings, {c.doc.path: c.doc.text for c in result.files})
    if out:
        print(out)
        print()
    files_with = len({f.path for f in result.findings})
    print(summary_line(result.findings, files_with, len(result.files), time.perf_counter() - started, pending=len(result.pending_verification)))
    return 1 if result.errors else 0
