"""The intake of issue forms, without GitHub: forms, parsing what people
type, building and checking the entry, the decision and the reply."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import registry_of
from bot.intake.build import build_proposal
from bot.intake.flow import (
    IssueInfo,
    PullInfo,
    branch_for,
    decide_intake,
    form_of,
    pull_text,
    render_reply,
    trusted_proposer,
)
from bot.intake.forms import CLEAR, CORRECTION_FILE, drift, expected_files
from bot.intake.parse import MAX_BODY, parse_issue, urls_of
from bot.loading import load_text
from bot.policy.state import User
from bot.project import Project
from bot.site.render import CORRECTION_TEMPLATE, Repository
from tests.conftest import ROOT
from tests.intake_forms import VALID_NEW, body, context, forms

NEW_FORM, CORRECTION_FORM = forms()
REGISTRY = registry_of(Project(ROOT))
TODAY = "2026-11-29"


def propose(answers, form=NEW_FORM, **kw):
    parsed = parse_issue(body(form, answers, **kw), form)
    return parsed, build_proposal(parsed, context(), REGISTRY, TODAY)


# ---------------------------------------------------------------------------
# Forms


def test_committed_forms_match_the_generator():
    stale = drift(ROOT, context().vocabularies)
    assert not stale, f"run `python -m bot forms` and commit: {stale}"


def test_forms_command_check_exits_1_on_drift(tmp_path):
    import shutil

    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    shutil.copytree(ROOT / ".github" / "ISSUE_TEMPLATE", tmp_path / ".github" / "ISSUE_TEMPLATE")
    run = lambda *a: subprocess.run([sys.executable, "-m", "bot", "forms", *a, "--root", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run("--check").returncode == 0
    # The chairs add an issue area by pull request: the forms must follow.
    vocab = tmp_path / "schema/vocabularies/issue-areas.yaml"
    vocab.write_text(vocab.read_text().replace("      - {slug: online-education, title: Online education}",
                                               "      - {slug: online-education, title: Online education}\n      - {slug: digital-heritage, title: Digital heritage}"))
    stale = run("--check")
    assert stale.returncode == 1 and "correct-entry.yml" in stale.stdout
    assert run().returncode == 0
    assert "Sociocultural: Digital heritage" in (tmp_path / ".github/ISSUE_TEMPLATE/propose-mechanism.yml").read_text()
    assert run("--check").returncode == 0


def test_forms_are_valid_issue_forms_built_from_the_vocabularies():
    files = expected_files(context().vocabularies)
    for path, text in files.items():
        doc = load_text(path, text)
        assert doc.ok, doc.findings
        data = doc.data
        assert set(data) == {"name", "description", "title", "labels", "body"}
        ids = [item["id"] for item in data["body"] if "id" in item]
        assert len(ids) == len(set(ids))
        for item in data["body"]:
            assert item["type"] in ("markdown", "input", "textarea", "dropdown", "checkboxes")
            if item["type"] == "dropdown":
                options = item["attributes"]["options"]
                assert len(options) == len(set(options)) and "None" not in options
    new = files[".github/ISSUE_TEMPLATE/propose-mechanism.yml"]
    assert "Security: Cybersecurity" in new and "Oceania (009)" in new and "intake:new" in new
    issue_areas = next(f for f in NEW_FORM.fields if f.id == "issue_areas")
    assert issue_areas.multiple and {v for _, v in issue_areas.choices} == set(context().vocabularies.slugs("issue-areas"))
    groups = [f for f in NEW_FORM.fields if f.id.startswith("stakeholders-")]
    assert len(groups) == len(context().vocabularies.stakeholder_groups)


def test_the_sites_correction_link_prefills_the_correction_form():
    assert CORRECTION_TEMPLATE == CORRECTION_FILE
    url = Repository("igov/registry").correction_url("internet-governance-forum")
    assert "template=correct-entry.yml" in url and "entry=internet-governance-forum" in url
    assert CORRECTION_FORM.fields[0].id == "entry"


# ---------------------------------------------------------------------------
# Parsing what people type


def test_valid_form_builds_an_entry_that_passes_check():
    parsed, proposal = propose(VALID_NEW)
    assert not parsed.problems
    assert proposal.errors == () and proposal.path == "entries/pacific-islands-regional-cyber-drill.yaml"
    doc = load_text(proposal.path, proposal.content)
    assert doc.ok
    data = doc.data
    assert data["issue_areas"] == ["cybersecurity", "capacity-development"]
    assert data["regions"] == ["009"]
    assert data["stakeholders"] == {"governments": "member", "technical-community": "member"}
    assert data["last_reviewed"] == TODAY and data["verification"] == "pending"
    assert list(data)[:2] == ["id", "name"]


def test_windows_line_endings_extra_whitespace_and_markdown():
    answers = dict(VALID_NEW)
    answers["name"] = "   **Pacific Islands Regional Cyber Drill**   "
    answers["organizations"] = "* Pacific Islands Telecommunications Association  \n\n1. [PaCSON](https://pacson.org)\n"
    answers["description"] = (
        "An annual exercise, held since 2018,\nin which the national computer emergency response teams\n"
        "of Pacific island states test their procedures (see [the report](https://example.org/r)).\n\n> Second paragraph."
    )
    parsed, proposal = propose(answers, newline="\r\n")
    assert not parsed.problems and not proposal.errors
    values = parsed.values
    assert values["name"] == "Pacific Islands Regional Cyber Drill"
    assert values["organizations"] == ["Pacific Islands Telecommunications Association", "PaCSON"]
    assert values["description"].startswith("An annual exercise, held since 2018, in which")
    assert "the report (https://example.org/r)" in values["description"]
    assert values["description"].endswith("\n\nSecond paragraph.")


def test_several_urls_on_one_line_and_links():
    text = "https://a.example.org/x, https://b.example.org/y; <https://c.example.org>.\n- [site](https://d.example.org/z)\nhttps://a.example.org/x"
    assert urls_of(text) == ["https://a.example.org/x", "https://b.example.org/y", "https://c.example.org", "https://d.example.org/z"]


def test_a_line_without_an_address_is_named_in_the_findings():
    _, proposal = propose({**VALID_NEW, "urls": "www.pita.org.fj"})
    (error,) = [f for f in proposal.errors if f.field == "urls"][:1]
    assert error.label == "Web addresses" and error.where == "item 1" and "http" in error.message


def test_vocabulary_values_typed_by_hand():
    answers = {**VALID_NEW, "issue_areas": "cybersecurity; Capacity Development\nsecurity: encryption",
               "scope": "regional", "stakeholders-governments": "member", "mechanism_type": "Network or coalition"}
    parsed, proposal = propose(answers)
    assert not parsed.problems and not proposal.errors
    assert parsed.values["issue_areas"] == ["cybersecurity", "capacity-development", "encryption"]
    assert parsed.values["mechanism_type"] == "network"


def test_a_near_miss_gets_did_you_mean_naming_the_field():
    parsed, proposal = propose({**VALID_NEW, "scope": "internationl", "issue_areas": "cybersecurty"})
    messages = {(f.label, f.message, f.suggestion) for f in proposal.errors}
    assert ("Scope", "`internationl` is not one of the choices", "did you mean “International”?") in messages
    assert any(label == "Issue areas" and "Cybersecurity" in (s or "") for label, _, s in messages)


def test_empty_optional_fields_and_missing_required_ones():
    parsed, proposal = propose({"name": "Something"})
    assert parsed.values == {"name": "Something"}
    missing = {f.label for f in proposal.errors if f.rule == "form/required"}
    assert missing == {"Organisations", "Issue areas", "Scope", "Description", "Web addresses"}
    assert proposal.content is None
    assert all("line" not in f.message.lower() or f.field for f in proposal.findings)


def test_identifier_defaults_to_the_name_and_is_checked():
    _, proposal = propose({**VALID_NEW, "id": "../../.github/workflows/evil"})
    assert proposal.path is None and proposal.content is None
    (error,) = [f for f in proposal.errors if f.field == "id"]
    assert error.label == "Short identifier (optional)" and "lower-case" in error.message


def test_duplicate_identifier_points_to_the_correction_form():
    _, proposal = propose({**VALID_NEW, "id": "internet-governance-forum"})
    assert any(f.field == "id" and "Correct an entry" in (f.suggestion or "") for f in proposal.errors)


def test_wording_flags_are_warnings_named_by_field():
    description = VALID_NEW["description"] + " It is a landmark achievement."
    _, proposal = propose({**VALID_NEW, "description": description})
    assert not proposal.errors and proposal.content is not None
    assert any(f.label == "Description" and f.rule.startswith("neutrality/") for f in proposal.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "&a [*a, *a]",
        "---\nid: evil\n...",
        "{{ github.token }} ${{ secrets.X }}",
        "name: x\nid: ../../etc/passwd",
        "'quoted' \"double\" # comment: yes",
        "<script>alert(1)</script> <!-- hidden -->",
        "null",
        "2026-01-01",
        "- a\n- b",
        "| literal",
    ],
)
def test_yaml_injection_stays_text(text):
    answers = {**VALID_NEW, "id": "cyber-drill", "name": "Drill " + text, "description": VALID_NEW["description"] + "\n\n" + text}
    parsed, proposal = propose(answers)
    assert proposal.content is not None, proposal.findings
    data = load_text(proposal.path, proposal.content).data
    assert data["id"] == "cyber-drill" and proposal.path == "entries/cyber-drill.yaml"
    assert data["name"] == parsed.values["name"] and isinstance(data["name"], str)
    assert data["description"] == parsed.values["description"]
    assert "hidden" not in proposal.content.decode()  # an HTML comment is invisible on GitHub


def test_invisible_characters_are_refused_by_field():
    for char in ("\x00", "\u202e", "\u200b"):
        _, proposal = propose({**VALID_NEW, "name": f"Pacific{char} Drill"})
        assert any(f.field == "name" and "invisible" in f.message for f in proposal.errors)
        assert proposal.content is None


def test_a_100_kb_body_is_refused_whole():
    huge = "A" * 100_000
    parsed = parse_issue(body(NEW_FORM, {**VALID_NEW, "description": huge}), NEW_FORM)
    assert parsed.values == {} and len(parsed.problems) == 1
    assert f"{MAX_BODY:,}" in parsed.problems[0].message
    proposal = build_proposal(parsed, context(), REGISTRY, TODAY)
    assert proposal.content is None and proposal.path is None


def test_a_long_description_is_a_plain_finding():
    _, proposal = propose({**VALID_NEW, "description": "word " * 2000})
    assert any(f.label == "Description" and "too long" in f.message for f in proposal.errors)


def test_headings_inside_an_answer_cannot_steal_another_field():
    answers = {**VALID_NEW, "description": VALID_NEW["description"] + "\n\n### Name of the mechanism\n\nEvil"}
    parsed, _ = propose(answers)
    assert parsed.values["name"] == VALID_NEW["name"]
    assert "Evil" in parsed.values["description"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_in_a_field_is_text_or_a_finding(text):
    answers = {**VALID_NEW, "acronym": text, "organizations": text + "\nPacific Islands Telecommunications Association"}
    parsed, proposal = propose(answers)
    if proposal.content is not None:
        data = load_text(proposal.path, proposal.content).data
        for key in ("acronym", "organizations"):
            assert data.get(key) == parsed.values.get(key)
    else:
        assert proposal.errors


# ---------------------------------------------------------------------------
# Corrections


def correct(answers):
    return propose({"entry": "internet-governance-forum", "reason": "Checked on the IGF site.", **answers}, CORRECTION_FORM)


def test_a_correction_changes_only_the_fields_given():
    _, proposal = correct({"urls": "https://www.intgovforum.org/en", "stakeholders-private-sector": "Observer (attends or follows the work without taking part in decisions)"})
    assert not proposal.errors, proposal.findings
    before = load_text("x.yaml", REGISTRY["entries/internet-governance-forum.yaml"]).data
    after = load_text("x.yaml", proposal.content).data
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed == {"urls", "stakeholders"}
    assert after["stakeholders"] == {**before["stakeholders"], "private-sector": "observer"}
    assert after["description"] == before["description"]
    # The wording already published in a field not touched is not reported.
    assert not any(f.label == "Description" for f in proposal.findings)


def test_clearing_is_explicit():
    _, kept = correct({"name": "Internet Governance Forum (IGF)"})
    assert load_text("x.yaml", kept.content).data["acronym"] == "IGF"
    _, cleared = correct({"acronym": CLEAR, "stakeholders-civil-society": "Not recorded (we do not know)"})
    data = load_text("x.yaml", cleared.content).data
    before = load_text("x.yaml", REGISTRY["entries/internet-governance-forum.yaml"]).data
    assert "acronym" not in data and "civil-society" in before["stakeholders"]
    assert data["stakeholders"] == {k: v for k, v in before["stakeholders"].items() if k != "civil-society"}
    _, refused = correct({"name": CLEAR})
    assert any(f.field == "name" and "cannot be removed" in f.message for f in refused.errors)


def test_a_correction_keeps_the_files_comments_and_layout():
    original = REGISTRY["entries/internet-governance-forum.yaml"].decode()
    _, proposal = correct({"acronym": "UN IGF"})
    new = proposal.content.decode()
    assert new == original.replace("acronym: IGF", "acronym: UN IGF")


def test_a_correction_of_an_unknown_entry_or_a_path():
    for typed, phrase in (("no-such-entry", "there is no entry"), ("../governance", "identifier")):
        _, proposal = propose({"entry": typed, "name": "X Y"}, CORRECTION_FORM)
        assert proposal.path is None or "no-such" in proposal.path
        assert any(f.field == "entry" and phrase in f.message for f in proposal.errors)
        assert proposal.content is None


def test_a_correction_that_changes_nothing():
    _, proposal = correct({"scope": "International"})
    assert proposal.unchanged and proposal.content is None and not proposal.errors


# ---------------------------------------------------------------------------
# Decision, reply, trust


ISSUE = IssueInfo(12, "New mechanism: x", "", User("stakeholder", 4242), "open", ("intake:new",))


def test_form_detection_by_label_or_headings():
    assert form_of(ISSUE, forms()) == NEW_FORM
    by_body = IssueInfo(3, "t", body(CORRECTION_FORM, {"entry": "x"}), User("a", 1), "open")
    assert form_of(by_body, forms()) == CORRECTION_FORM
    assert form_of(IssueInfo(4, "bug", "### Steps\n\nclick", User("a", 1), "open"), forms()) is None
    assert form_of(IssueInfo(5, "t", "", User("a", 1), "open", ("intake:new",), is_pull=True), forms()) is None


def test_pull_text_uses_only_the_number_the_id_and_the_login():
    _, proposal = propose(VALID_NEW)
    title, text, message = pull_text(ISSUE, proposal)
    assert title == "Add pacific-islands-regional-cyber-drill (from issue #12)"
    assert "Closes #12" in text and "<!-- registry-bot:intake issue=12 author=stakeholder id=4242 -->" in text
    assert message.rstrip().endswith("Co-authored-by: stakeholder <4242+stakeholder@users.noreply.github.com>")
    assert branch_for(12) == "registry-bot/intake-12"


def test_the_marker_is_trusted_only_on_the_bots_own_intake_pull_request():
    _, proposal = propose(VALID_NEW)
    _, text, _ = pull_text(ISSUE, proposal)
    is_bot = lambda login: login == "github-actions[bot]"
    ok = dict(author_login="github-actions[bot]", head_ref="registry-bot/intake-12", head_repo="igov/registry", body=text)
    assert trusted_proposer(**ok, repo="igov/registry", is_bot=is_bot) == User("stakeholder", 4242)
    for change in ({"author_login": "mallory"}, {"head_ref": "registry-bot/intake-13"}, {"head_ref": "feature"},
                   {"head_repo": "mallory/registry"}, {"body": text.replace("<!--", "")}):
        assert trusted_proposer(**{**ok, **change}, repo="igov/registry", is_bot=is_bot) is None, change


def test_decisions():
    _, valid = propose(VALID_NEW)
    _, invalid = propose({**VALID_NEW, "scope": "nowhere"})
    plan = decide_intake(ISSUE, valid, None, None)
    assert plan.write and plan.open_pull and plan.review
    same = decide_intake(ISSUE, valid, PullInfo(13, "open", False, "registry-bot/intake-12", "igov/registry", "github-actions[bot]"), valid.content)
    assert not same.write and not same.open_pull
    assert decide_intake(ISSUE, invalid, None, None).action == "reply"
    closed = IssueInfo(12, "t", "", ISSUE.author, "closed", ISSUE.labels)
    assert decide_intake(closed, None, PullInfo(13, "open", False, "registry-bot/intake-12", "igov/registry", "b"), None).close_pull
    assert decide_intake(closed, None, None, None).action == "ignore"


def test_the_reply_names_form_fields_in_plain_words():
    _, proposal = propose({**VALID_NEW, "scope": "internationl", "urls": "www.pita.org.fj", "description": VALID_NEW["description"] + " Unfortunately it is clearly a landmark."})
    reply = render_reply(ISSUE, NEW_FORM, proposal, decide_intake(ISSUE, proposal, None, None), None)
    assert reply.startswith("<!-- registry-bot:intake-reply -->")
    assert "**Scope**" in reply and "**Web addresses**" in reply and "Did you mean “International”?" in reply
    assert "**Wording to look at**" in reply and "**Description**" in reply
    assert "edit this issue" in reply and "Nothing has been sent to the chairs yet." in reply
    for word in (".yaml", "line 1", ":1:", "schema/", "Traceback"):
        assert word not in reply, word


# ---------------------------------------------------------------------------
# `new` for git users

NEW_FLAGS = [
    "--name", "Pacific CERT Network", "--organization", "Pacific Cyber Security Operational Network",
    "--issue-area", "cybersecurity", "--scope", "regional", "--url", "https://pacson.org",
    "--description", "A network of the government computer emergency response teams of Pacific island states.",
    "--stakeholder", "governments=member", "--last-reviewed", "2026-11-29",
]


def run_bot(*args, root):
    return subprocess.run([sys.executable, "-m", "bot", *args, "--root", str(root)], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_new_with_flags_writes_a_valid_correctly_named_entry_and_checks_it(make_registry):
    root = make_registry()
    done = run_bot("new", "--no-input", *NEW_FLAGS, root=root)
    assert done.returncode == 0, done.stderr
    path = root / "entries/pacific-cert-network.yaml"
    assert "wrote entries/pacific-cert-network.yaml" in done.stdout and "0 errors" in done.stdout
    data = load_text(str(path), path.read_bytes()).data
    assert data["id"] == "pacific-cert-network" and data["verification"] == "pending"
    assert run_bot("check", str(path), root=root).returncode == 0
    again = run_bot("new", "--no-input", *NEW_FLAGS, root=root)
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = run_bot("new", "--no-input", "--name", "X", root=root)
    assert missing.returncode == 2 and "--organization" in missing.stderr
    bad = run_bot("new", "--no-input", *NEW_FLAGS, "--id", "../evil", root=root)
    assert bad.returncode == 2 and not (root / "evil.yaml").exists()


def test_new_reports_errors_with_exit_1(make_registry):
    root = make_registry()
    flags = [f if f != "cybersecurity" else "cybersecurty" for f in NEW_FLAGS]
    done = run_bot("new", "--no-input", *flags, root=root)
    assert done.returncode == 1 and 'did you mean "cybersecurity"?' in done.stdout


def test_new_prompts_when_interactive(make_registry, capsys):
    import argparse

    from bot.intake import new

    root = make_registry()
    parser = argparse.ArgumentParser()
    new.add_arguments(parser)
    parser.add_argument("--root")
    args = parser.parse_args(["--root", str(root), "--last-reviewed", "2026-11-29"])
    answers = iter([
        "Pacific CERT Network", "PaCSON", "", "cybersecurity", "", "regional",
        "A network of the government computer emergency response teams of Pacific island states.",
        "https://pacson.org", "",
    ])
    from pathlib import Path

    args.root = Path(args.root)
    assert new.run(args, input_fn=lambda prompt="": next(answers), interactive=True) == 0
    assert (root / "entries/pacific-cert-network.yaml").is_file()
