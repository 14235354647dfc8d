"""The fast path of `check` (bot/fastcheck.py), the process pool and the
results cache: same findings as the precise path, always."""

from __future__ import annotations

import json
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import fastcheck
from bot.checkcache import Cache
from bot.cli import main
from bot.loading import load_file, load_text
from bot.project import Project, find_project
from bot.registry import Context, check_paths
from tests.conftest import EXAMPLES, ROOT, entry_text

EXAMPLE_FILES = sorted((EXAMPLES / "invalid").glob("*.yaml")) + sorted((EXAMPLES / "valid").glob("*.yaml"))
SHIPPED = sorted((ROOT / "entries").glob("*.yaml"))


@pytest.fixture(scope="module")
def ctx():
    return Context.load(find_project(ROOT))


def _as_tuples(findings):
    return [(*f.to_dict().values(), f.field_path) for f in findings]


@pytest.mark.parametrize("path", EXAMPLE_FILES + SHIPPED, ids=lambda p: p.name)
def test_fast_path_gives_the_precise_findings(ctx, path):
    fast = check_paths(ctx, [path], jobs=1)
    precise = check_paths(ctx, [path], loader=load_file)
    assert _as_tuples(fast.findings) == _as_tuples(precise.findings)
    assert [c.doc.path for c in fast.files] == [c.doc.path for c in precise.files]
    assert fast.pending_verification == precise.pending_verification
    assert [c.data for c in fast.files] == [c.data for c in precise.files]


@pytest.mark.parametrize("path", EXAMPLE_FILES + SHIPPED, ids=lambda p: p.name)
def test_fast_data_is_the_loaders_data_or_none(path):
    raw = path.read_bytes()
    if len(raw) > fastcheck.MAX_BYTES:
        return  # the caller refuses it by size before any parsing
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    data = fastcheck.fast_data(text)
    doc = load_text(str(path), raw)
    if data is not None:
        # (only a file that is not a mapping, which the caller sends on)
        assert data == doc.data and all(f.rule == "yaml/not-a-mapping" for f in doc.findings)
        assert not doc.findings or not isinstance(data, dict)
    elif path.parent.name == "valid" or path in SHIPPED:
        pytest.fail(f"{path.name}: a plain valid entry should take the fast path")


def test_fast_validator_rejects_every_invalid_example(ctx):
    validator = fastcheck.fast_validator(ctx)
    assert validator is not None
    for path in EXAMPLE_FILES:
        doc = load_file(path)
        if not isinstance(doc.data, dict):
            continue
        errors = list(ctx.validator.iter_errors(doc.data))
        assert validator.ok(doc.data) == (not errors), path.name


def _mutations():
    """Entry data with one field replaced by an arbitrary value."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
        st.text(max_size=30), st.sampled_from(["", " ", "a\n", "2026-02-30", "2026-01-15", "https://x.org/ a", "http://x", "FJ", "cybersecurity", "member", "001"]),
    )
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=8)
    fields = st.sampled_from(
        ["id", "name", "acronym", "organizations", "issue_areas", "scope", "regions", "countries", "description", "urls",
         "last_reviewed", "stakeholders", "mechanism_type", "status", "start_date", "gaps", "sources", "verification", "extra"]
    )
    return st.lists(st.tuples(fields, st.one_of(values, st.just("__delete__"))), min_size=1, max_size=3)


def _mutated(changes):
    """The example entry's data with the (field, value) changes applied ("__delete__"
    removes the field)."""
    data = json.loads(json.dumps(load_text("entries/example-entry.yaml", entry_text()).data))
    for name, value in changes:
        if value == "__delete__":
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_fast_schema_has_its_definitions_in_line(ctx):
    converted = fastcheck._fast_schema(ctx.schema)
    body = {k: v for k, v in converted.items() if k != "$defs"}
    assert "$ref" not in json.dumps(body)
    looped = fastcheck._inline_refs({"$ref": "#/$defs/a"}, {"a": {"type": "array", "items": {"$ref": "#/$defs/a"}}})
    assert looped == {"type": "array", "items": {"$ref": "#/$defs/a"}}  # a definition that refers to itself keeps its $ref


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=_mutations())
def test_definitions_in_line_give_the_same_answers(ctx, changes):
    import fastjsonschema

    from bot.schema import _check_date, _check_uri

    data = _mutated(changes)
    kept = _with_refs(ctx.schema)
    with_refs = fastjsonschema.compile(kept, formats={"date": _check_date, "uri": _check_uri}, use_default=False, detailed_exceptions=False)
    try:
        with_refs(data)
        expected = True
    except Exception:  # noqa: BLE001 - as FastValidator.ok: any failure is a no
        expected = False
    assert fastcheck.fast_validator(ctx).ok(data) == expected


def _with_refs(schema):
    """The converted schema with every definition referred to by $ref again."""
    original = fastcheck._inline_refs
    try:
        fastcheck._inline_refs = lambda node, defs, seen=(): node
        return fastcheck._fast_schema(schema)
    finally:
        fastcheck._inline_refs = original


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=_mutations())
def test_fast_validator_never_accepts_what_jsonschema_rejects(ctx, changes):
    data = _mutated(changes)
    validator = fastcheck.fast_validator(ctx)
    errors = list(ctx.validator.iter_errors(data))
    if validator.ok(data):
        assert errors == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, 2000), insert=st.text(alphabet=" -:#'\"[]{}&*!|>\n\tab1", max_size=6))
def test_fast_data_agrees_with_the_loader_on_edited_entries(cut, insert):
    text = (ROOT / "entries" / SHIPPED[0].name).read_text(encoding="utf-8")
    cut = min(cut, len(text))
    edited = text[:cut] + insert + text[cut:]
    data = fastcheck.fast_data(edited)
    if data is not None:
        doc = load_text("x.yaml", edited)
        assert data == doc.data and all(f.rule in ("yaml/not-a-mapping", "yaml/empty") for f in doc.findings)


def test_parallel_is_byte_identical_to_serial(tmp_path, capsys):
    from benchmarks.synth import generate

    root = tmp_path / "registry"
    generate(root, 900, seed=3)
    ctx = Context.load(find_project(root))
    serial = check_paths(ctx, jobs=1)
    parallel = check_paths(ctx, jobs=2)
    precise = check_paths(ctx, loader=load_file)
    assert _as_tuples(serial.findings) == _as_tuples(parallel.findings) == _as_tuples(precise.findings)
    assert serial.errors > 0 and any(f.rule.startswith("neutrality/") for f in serial.findings)
    assert any(f.rule.startswith("registry/") for f in serial.findings)
    outputs = []
    for jobs in ("1", "2"):
        assert main(["check", "--root", str(root), "--format", "json", "--no-cache", "--jobs", jobs]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def _check_json(root, capsys, *args):
    status = main(["check", "--root", str(root), "--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))


def test_cache_never_hides_a_change(make_registry, capsys, cache_home):
    root = make_registry({"entries/alpha.yaml": entry_text("alpha"), "entries/beta.yaml": entry_text("beta", name="Beta mechanism", urls="\n  - https://beta.example.org")})
    assert _check_json(root, capsys) == (0, [])
    assert list((root / ".cache" / "registry-check").glob("*.marshal"))
    # Edit the content but keep the modification time: the cache must see it.
    path = root / "entries" / "alpha.yaml"
    stat = path.stat()
    path.write_text(entry_text("alpha", scope="internationl"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    status, findings = _check_json(root, capsys)
    assert status == 1 and [f["rule"] for f in findings] == ["schema/enum"]
    # A cached run gives the same answer, and the same once fixed.
    assert _check_json(root, capsys) == (status, findings)
    path.write_text(entry_text("alpha"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _check_json(root, capsys) == (0, [])
    # The other file now uses the same id: the registry-wide check sees it
    # through the cached facts of the unchanged file.
    (root / "entries" / "beta.yaml").write_text(entry_text("alpha", name="Beta mechanism", urls="\n  - https://beta.example.org"), encoding="utf-8")
    status, findings = _check_json(root, capsys)
    assert sorted(f["rule"] for f in findings) == ["registry/duplicate-id", "registry/duplicate-id", "registry/id-mismatch"]


def test_cache_is_invalidated_by_schema_vocabulary_and_rules(make_registry, capsys, cache_home):
    root = make_registry({"entries/alpha.yaml": entry_text("alpha", description='"A forum where participants exchange information about spam and agree on guidelines."')})
    assert _check_json(root, capsys) == (0, [])
    # A vocabulary loses the issue area the entry uses.
    vocab = root / "schema" / "vocabularies" / "issue-areas.yaml"
    original = vocab.read_text(encoding="utf-8")
    assert "slug: cybersecurity" in original
    vocab.write_text(original.replace("slug: cybersecurity", "slug: cyber-security"), encoding="utf-8")
    status, findings = _check_json(root, capsys)
    assert status == 1 and findings[0]["rule"] == "schema/enum"
    vocab.write_text(original, encoding="utf-8")
    assert _check_json(root, capsys) == (0, [])
    # The schema makes the description longer than it is.
    schema_path = root / "schema" / "entry.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["description"]["minLength"] = 500
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    status, findings = _check_json(root, capsys)
    assert status == 1 and findings[0]["rule"] == "schema/too-short"
    shutil.copyfile(ROOT / "schema" / "entry.schema.json", schema_path)
    assert _check_json(root, capsys) == (0, [])
    # The wording rules flag a word the entry uses.
    rules = root / "schema" / "neutrality" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "\n      - landmark+\n" in text
    rules.write_text(text.replace("\n      - landmark+\n", "\n      - landmark+\n      - exchange\n"), encoding="utf-8")
    status, findings = _check_json(root, capsys)
    assert status == 0 and [f["rule"] for f in findings] == ["neutrality/puffery"]


def test_a_cache_not_signed_here_is_ignored(make_registry, capsys, cache_home, tmp_path, monkeypatch):
    root = make_registry({"entries/alpha.yaml": entry_text("alpha", scope="internationl")})
    status, findings = _check_json(root, capsys)
    assert status == 1
    cache_file = next((root / ".cache" / "registry-check").glob("*.marshal"))
    # Someone commits a cache that says the entry is fine, signed with their key.
    mac, _, body = cache_file.read_bytes().partition(b"\n")
    stored = marshal.loads(body)
    for entry in stored["entries"].values():
        entry[2] = []
    cache_file.write_bytes(mac + b"\n" + marshal.dumps(stored))
    assert _check_json(root, capsys) == (status, findings)
    # A cache written by another user (another key) is not trusted either.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-home"))
    assert Cache.open(root, Context.load(find_project(root))).entries == {}
    assert _check_json(root, capsys) == (status, findings)


def test_relative_many_is_relative(tmp_path, monkeypatch):
    root = tmp_path / "reg"
    (root / "entries" / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.yaml").write_text("")
    (root / "entries" / "a.yaml").write_text("")
    (root / "entries" / ".yaml").write_text("")
    (root / "entries" / "link.yaml").symlink_to(tmp_path / "outside" / "x.yaml")
    (root / "lnk").symlink_to(root / "entries")
    project = Project(root)
    monkeypatch.chdir(root / "entries")
    paths = [Path(p) for p in ("a.yaml", "../entries/a.yaml", str(root / "lnk" / "a.yaml"), "link.yaml", str(tmp_path / "outside" / "x.yaml"), "sub/..", ".", str(root), "missing.yaml")]
    assert project.relative_many(paths) == [project.relative(p) for p in paths]
    assert project.entry_files() == sorted(p for p in project.entries_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    files, shown = project.entry_files_shown()
    assert files == project.entry_files() and shown == [project.relative(p) for p in files]
