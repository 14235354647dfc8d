"""The schema file, its vocabularies, and schema findings in plain words."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from bot.loading import load_text
from bot.project import find_project
from bot.registry import Context, check_document
from tests.conftest import ROOT, entry_text


@pytest.fixture(scope="module")
def ctx():
    return Context.load(find_project(ROOT), wording=False)


def check(ctx, text, path="entries/example-entry.yaml"):
    return check_document(load_text(path, text), ctx).findings


def test_schema_file_is_valid_against_the_2020_12_meta_schema():
    raw = json.loads((ROOT / "schema/entry.schema.json").read_text())
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(raw)
    assert raw["additionalProperties"] is False


def test_resolved_schema_takes_issue_areas_from_the_vocabulary(ctx):
    enum = ctx.schema["$defs"]["issue_area"]["enum"]
    for slug in ("communications-infrastructure", "womens-rights-online", "online-education", "root-zone"):
        assert slug in enum
    assert len(enum) == len(set(enum)) == len(ctx.vocabularies.issue_areas)
    Draft202012Validator.check_schema(ctx.schema)


def test_extending_a_vocabulary_extends_the_schema(make_registry):
    root = make_registry()
    path = root / "schema/vocabularies/issue-areas.yaml"
    path.write_text(path.read_text().replace("      - {slug: online-education, title: Online education}", "      - {slug: online-education, title: Online education}\n      - {slug: digital-identity, title: Digital identity}"))
    ctx = Context.load(find_project(root), wording=False)
    assert check(ctx, entry_text(issue_areas="\n  - digital-identity")) == []


def test_a_valid_entry_has_no_findings(ctx):
    assert check(ctx, entry_text()) == []


def test_unquoted_date_and_a_2000_character_description_are_accepted(ctx):
    long = "The mechanism meets once a year. " * 70
    assert len(long) > 2000
    assert check(ctx, entry_text(description=long.strip(), last_reviewed="2026-01-15")) == []


def test_formats_are_really_checked(ctx):
    findings = check(ctx, entry_text(last_reviewed="2026-02-30", urls="\n  - https://exa mple.org"))
    assert {(f.rule, f.field_path) for f in findings} == {("schema/format", ("last_reviewed",)), ("schema/format", ("urls", 0))}


def test_misspelt_key_and_enum_value_get_did_you_mean(ctx):
    text = entry_text(scope="internationl", description=None) + "descripton: An example mechanism used by the tests, long enough.\n"
    findings = {f.rule: f for f in check(ctx, text)}
    assert findings["schema/enum"].suggestion == 'did you mean "international"?'
    assert findings["schema/unknown-field"].suggestion == "did you mean `description`?"
    assert "misspelling of `description`" in findings["schema/required"].suggestion


def test_vocabulary_value_typed_by_hand_is_matched(ctx):
    (finding,) = check(ctx, entry_text(issue_areas="\n  - Women's rights online"))
    assert finding.rule == "schema/enum"
    assert "womens-rights-online" in (finding.suggestion or "") or "see schema/vocabularies" in finding.suggestion


def test_stakeholders_groups_and_levels(ctx):
    ok = entry_text() + "stakeholders:\n  governments: member\n  civil-society: none\n"
    assert check(ctx, ok) == []
    bad = entry_text() + "stakeholders:\n  governement: member\n  academia: partner\n"
    findings = sorted(check(ctx, bad), key=lambda f: f.line)
    assert [(f.rule, f.line, f.column) for f in findings] == [("schema/enum", 13, 3), ("schema/enum", 14, 13)]
    assert findings[0].suggestion == 'did you mean "governments"?'


def test_broken_vocabulary_is_reported_against_its_file(make_registry):
    from bot.vocabularies import VocabularyError

    root = make_registry()
    path = root / "schema/vocabularies/regions.yaml"
    path.write_text(path.read_text() + "  - {code: '001', title: World again}\n")
    with pytest.raises(VocabularyError) as info:
        Context.load(find_project(root), wording=False)
    (finding,) = info.value.findings
    assert finding.path == "schema/vocabularies/regions.yaml" and "twice" in finding.message


def test_countries_are_checked_against_iso_3166_1(ctx):
    assert check(ctx, entry_text(countries='["FJ", NO, TO]')) == []  # NO is Norway, not false
    assert len(ctx.vocabularies.countries) == 249
    findings = check(ctx, entry_text(countries="[ZZ, fiji, UK, Bolivia, fj, EU]"))
    assert [(f.rule, f.line, f.column) for f in findings] == [("schema/enum", 12, 13 + i) for i in (0, 4, 10, 14, 23, 27)]
    assert all("is not a country code of ISO 3166-1" in f.message for f in findings)
    assert [f.suggestion for f in findings] == [
        "see schema/vocabularies/countries.yaml for the allowed values",
        'did you mean "FJ" (Fiji)?',
        'did you mean "GB" (United Kingdom)?',
        'did you mean "BO" (Bolivia, Plurinational State of)?',
        'did you mean "FJ" (Fiji)?',
        "`EU` stands for the European Union, which is not a country: list the member states concerned, or use `regions`",
    ]


def test_a_name_typed_for_any_vocabulary_value_is_matched_by_its_title(ctx):
    (finding,) = check(ctx, entry_text(issue_areas="\n  - Internet as critical information infrastructure"))
    assert finding.suggestion == 'did you mean "critical-information-infrastructure" (Internet as critical information infrastructure)?'
    (finding,) = check(ctx, entry_text(issue_areas="\n  - Online education"))
    assert finding.suggestion == 'did you mean "online-education"?'


def test_a_country_added_by_the_chairs_is_accepted_and_a_malformed_code_is_reported(make_registry):
    from bot.vocabularies import VocabularyError

    root = make_registry()
    path = root / "schema/vocabularies/countries.yaml"
    original = path.read_text()
    path.write_text(original + '  - {code: "XK", title: "Kosovo"}\n')
    ctx = Context.load(find_project(root), wording=False)
    assert check(ctx, entry_text(countries="[XK]")) == []
    path.write_text(original + '  - {code: "xk", title: "Kosovo"}\n')
    with pytest.raises(VocabularyError) as info:
        Context.load(find_project(root), wording=False)
    (finding,) = info.value.findings
    assert finding.path == "schema/vocabularies/countries.yaml" and "two capital letters" in finding.message
    assert finding.line == original.count("\n") + 1
