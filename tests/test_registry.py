"""Registry-wide checks: duplicate ids, same URL, near-identical names, and
checking files outside entries/ against the registry."""

from __future__ import annotations

from bot.project import find_project
from bot.registry import Context, check_paths, normalise_name, normalise_url
from tests.conftest import entry_text


def run(root, paths=None):
    ctx = Context.load(find_project(root), wording=False)
    return check_paths(ctx, paths)


def test_duplicate_id_across_files(make_registry, tmp_path):
    root = make_registry({"entries/alpha.yaml": entry_text("alpha")})
    outside = tmp_path / "proposal" / "alpha.yaml"
    outside.parent.mkdir()
    outside.write_text(entry_text("alpha", name="Another name", urls="\n  - https://other.example.org"))
    result = run(root, [outside])
    (finding,) = [f for f in result.findings if f.is_error]
    assert finding.rule == "registry/duplicate-id" and "entries/alpha.yaml" in finding.message
    assert finding.path == str(outside) and (finding.line, finding.column) == (1, 5)


def test_same_url_and_similar_name_are_warnings(make_registry):
    root = make_registry(
        {
            "entries/alpha.yaml": entry_text("alpha", name="The Internet Governance Forum (IGF)", urls="\n  - https://www.intgovforum.org/"),
            "entries/beta.yaml": entry_text("beta", name="Internet governance forum", urls="\n  - http://intgovforum.org"),
        }
    )
    result = run(root)
    assert result.errors == 0
    rules = sorted((f.path, f.rule) for f in result.findings)
    assert rules == [
        ("entries/alpha.yaml", "registry/duplicate-url"),
        ("entries/alpha.yaml", "registry/similar-name"),
        ("entries/beta.yaml", "registry/duplicate-url"),
        ("entries/beta.yaml", "registry/similar-name"),
    ]


def test_checking_one_file_reports_only_that_file(make_registry):
    root = make_registry(
        {
            "entries/alpha.yaml": entry_text("alpha", urls="\n  - https://same.example.org"),
            "entries/beta.yaml": entry_text("beta", urls="\n  - https://same.example.org"),
            "entries/gamma.yaml": entry_text("gamma", name="Gamma mechanism", urls="\n  - https://gamma.example.org"),
        }
    )
    result = run(root, [root / "entries/gamma.yaml"])
    assert result.findings == [] and result.registry_size == 3


def test_normalisers():
    assert normalise_url("HTTPS://WWW.Example.org/a/") == normalise_url("http://example.org/a#x")
    assert normalise_url("https://example.org/a") != normalise_url("https://example.org/b")
    assert normalise_name("Réseau des CERTs (RDC)") == normalise_name("reseau des cert")
    assert normalise_name("Freedom Online Coalition") != normalise_name("Freedom Online")


def test_registry_check_is_linear_in_entries(make_registry):
    # 300 entries with distinct names/urls and one duplicate pair: the
    # grouping finds exactly that pair (a quadratic scan would also, but this
    # guards the grouping keys).
    files = {f"entries/e{i:04d}.yaml": entry_text(f"e{i:04d}", name=f"Mechanism number {i}") for i in range(300)}
    files["entries/dup.yaml"] = entry_text("dup", name="Mechanism number 7", urls="\n  - https://www.example.org/dupx")
    result = run(make_registry(files))
    assert sorted(f.path for f in result.findings if f.rule == "registry/similar-name") == ["entries/dup.yaml", "entries/e0007.yaml"]
