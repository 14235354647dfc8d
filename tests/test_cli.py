"""The `check` command contract: formats, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys


from bot.cli import main
from tests.conftest import ROOT, entry_text


def run_cli(*args, cwd=None):
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_the_shipped_registry_passes():
    code, out, err = run_cli("check")
    assert code == 0, out + err
    assert "0 errors" in out and "checked" in out


def test_text_format_shows_location_caret_suggestion_and_summary(make_registry, capsys):
    root = make_registry({"entries/example-entry.yaml": entry_text(scope="internationl")})
    code = main(["check", "--root", str(root), str(root / "entries")])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    header = next(line for line in lines if "schema/enum" in line)
    assert header.endswith("error schema/enum  `scope` must be one of: national, regional, international")
    assert header.split(":")[1:3] == ["7", "8"]
    index = lines.index(header)
    assert lines[index + 1] == "    scope: internationl"
    assert lines[index + 2] == "           ^^^^^^^^^^^^"
    assert lines[index + 3] == '    suggestion: did you mean "international"?'
    assert lines[-1].startswith("1 error, 0 warnings in 1 file (1 file checked in ")


def test_json_format_has_the_one_finding_shape(make_registry, capsys):
    root = make_registry({"entries/example-entry.yaml": entry_text(scope="internationl")})
    code = main(["check", "--format", "json", "--root", str(root)])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    (finding,) = data
    assert set(finding) == {"path", "line", "column", "end_line", "end_column", "severity", "rule", "message", "suggestion"}
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (7, 8, 7, 20)


def test_github_format_escapes_hostile_values(make_registry, capsys):
    # A value that tries to end the annotation and start another command.
    hostile = '"x%0A::error file=forged.yaml::forged"'
    root = make_registry({"entries/example-entry.yaml": entry_text(countries=f"\n  - {hostile}")})
    code = main(["check", "--format", "github", "--root", str(root)])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1, "one finding must stay on one line"
    line = lines[0]
    assert line.startswith("::error file=entries/example-entry.yaml,line=13,col=5,")
    message = line.split("::", 2)[2]
    assert "x%250A::error file=forged.yaml::forged" in message  # %0A stays literal text


def test_github_format_escapes_line_breaks_in_messages():
    from bot.findings import Finding, Span
    from bot.report import format_github

    finding = Finding.at("a.yaml", Span.point(1, 1), "warning", "neutrality/x", "one\r\n::error::two", suggestion="100%")
    (line,) = format_github([finding]).splitlines()
    assert line.endswith("::one%0D%0A::error::two%0Asuggestion: 100%25")


def test_github_property_escaping_of_paths():
    from bot.findings import Finding, Span
    from bot.report import format_github

    finding = Finding.at("entries/a,b:c.yaml", Span.point(1, 1), "error", "schema/enum", "m")
    assert "file=entries/a%2Cb%3Ac.yaml," in format_github([finding])


def test_exit_codes(make_registry, tmp_path):
    root = make_registry({"entries/example-entry.yaml": entry_text()})
    assert run_cli("check", "--root", str(root))[0] == 0
    warn = make_registry({
        "entries/example-entry.yaml": entry_text(),
        "entries/second.yaml": entry_text("second", urls="\n  - https://www.example.org/example-entry"),
    })
    code, out, _ = run_cli("check", "--root", str(warn))
    assert code == 0 and "registry/duplicate-url" in out  # warnings do not fail
    code, _, err = run_cli("check", "--root", str(root), str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in err and "Traceback" not in err
    code, _, err = run_cli("check", "--format", "xml")
    assert code == 2 and "Traceback" not in err
    code, _, err = run_cli("check", "--root", str(tmp_path))
    assert code == 2 and "is not a registry" in err


def test_broken_schema_is_a_one_line_failure(make_registry):
    root = make_registry({"entries/example-entry.yaml": entry_text()})
    (root / "schema/entry.schema.json").write_text("{not json")
    code, out, err = run_cli("check", "--root", str(root))
    assert code == 2 and "schema" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "internal error" not in err and "schema is broken" in err


def test_broken_wording_rules_are_a_finding_in_the_rules_file(make_registry):
    """The rules file is the chairs' data: a bad term is reported at its line, like a
    broken vocabulary, not as a bug in the tools."""
    root = make_registry({"entries/example-entry.yaml": entry_text()})
    rules = root / "schema/neutrality/rules.yaml"
    lines = rules.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.strip() == "- sham")
    lines[n] = lines[n].replace("sham", "sh@m")
    rules.write_text("".join(lines), encoding="utf-8")
    code, out, err = run_cli("check", "--root", str(root), "--format", "json")
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    (finding,) = json.loads(out)
    assert finding["path"] == "schema/neutrality/rules.yaml" and finding["line"] == n + 1
    assert finding["rule"] == "neutrality/rules-file" and "'sh@m' is not a word" in finding["message"]
    code, _, _ = run_cli("check", "--root", str(root), "--no-wording")
    assert code == 0
    # a command that cannot go on without the rules says where the problem is
    code, _, err = run_cli("new", "--root", str(root), "--no-input", "--name", "Some Forum")
    assert code == 2 and "Traceback" not in err and "internal error" not in err
    assert f"schema/neutrality/rules.yaml:{n + 1}:1:" in err and "'sh@m' is not a word" in err


def test_internal_error_shows_no_traceback(monkeypatch, capsys, make_registry):
    import bot.registry

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.registry, "check_paths", explode)
    monkeypatch.delenv("BOT_DEBUG", raising=False)
    root = make_registry({"entries/example-entry.yaml": entry_text()})
    assert main(["check", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err and "Traceback" not in err


def test_paths_outside_the_registry_and_folders(make_registry, tmp_path, capsys):
    root = make_registry({"entries/example-entry.yaml": entry_text()})
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "new-one.yaml").write_text(entry_text("new-one", urls="\n  - https://new.example.org"))
    (folder / "notes.txt").write_text("ignored")
    assert main(["check", "--root", str(root), str(folder)]) == 0
    assert "(1 file checked" in capsys.readouterr().out


def test_step_summary_is_written_for_github(make_registry, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    root = make_registry({"entries/example-entry.yaml": entry_text(scope="internationl")})
    main(["check", "--format", "github", "--root", str(root)])
    assert "**1 errors**" in summary.read_text() or "**1 error" in summary.read_text()


def test_schema_command_prints_resolved_schema(capsys):
    assert main(["schema", "--root", str(ROOT)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "cybersecurity" in schema["$defs"]["issue_area"]["enum"]
