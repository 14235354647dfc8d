"""The `neutrality` command: exit codes, JSON shape, messages on failure."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.neutrality import cli

ROOT = Path(__file__).resolve().parents[1]
FIELDS = {"path", "line", "column", "end_line", "end_column", "severity", "rule", "category", "message", "match", "suggestion"}


def run(argv, stdin=None, monkeypatch=None, capsys=None):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(argv)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    code = cli.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(tmp_path, monkeypatch, capsys):
    p = tmp_path / "clean.txt"
    p.write_text("The root zone was signed on 15 July 2010.\n\nThe forum meets once a year.\n", encoding="utf-8")
    code, out, err = run([str(p)], monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert "No wording to look at (2 texts checked)." in out
    assert err == ""


def test_flagged_file_exits_1_with_text_report(tmp_path, monkeypatch, capsys):
    p = tmp_path / "desc.txt"
    p.write_text("Neutral first line.\n\nThe OECD pioneered a landmark approach.\n", encoding="utf-8")
    code, out, err = run([str(p)], monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert f"{p}:3:10: warning neutrality/puffery" in out
    assert "suggestion:" in out
    assert "2 phrases to look at" in out


def test_json_shape_lines_and_columns(tmp_path, monkeypatch, capsys):
    p = tmp_path / "desc.txt"
    lines = ["", "Intro.", "  The so-called regime, unfortunately, recently claimed it."]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["--format", "json", str(p)], monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    data = json.loads(out)
    assert isinstance(data, list) and data
    for item in data:
        assert set(item) == FIELDS
        assert item["path"] == str(p)
        assert item["line"] == item["end_line"] == 3
        text = lines[item["line"] - 1]
        assert text[item["column"] - 1 : item["end_column"] - 1] == item["match"]
        assert item["rule"].startswith("neutrality/")
        assert item["severity"] == "warning"
    assert [d["match"] for d in data] == ["so-called", "regime", "unfortunately", "recently", "claimed"]


def test_stdin(monkeypatch, capsys):
    code, out, _ = run(["--format", "json", "-"], stdin="Experts agree that it works.\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    (item,) = json.loads(out)
    assert item["path"] == "<stdin>" and item["line"] == 1 and item["column"] == 1
    assert item["rule"] == "neutrality/weasel"


def test_json_empty_array_when_clean(monkeypatch, capsys):
    code, out, _ = run(["--format", "json", "-"], stdin="The treaty entered into force in 2004.\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert json.loads(out) == []


def test_names_option_exempts_the_entry_name(monkeypatch, capsys):
    text = "the landmark alliance publishes a report.\n"
    code, _, _ = run(["--name", "Landmark Alliance", "-"], stdin=text, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0


def test_info_only_reported_speech_exits_0(monkeypatch, capsys):
    code, out, _ = run(["-"], stdin="The secretariat stated that members should join.\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0
    assert "info neutrality/advocacy" in out


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda tmp: str(tmp / "absent.txt"), "no such file"),
        (lambda tmp: str(tmp), "it is a folder"),
        (lambda tmp: (tmp / "bin.txt").write_bytes(b"ok\n\xff\xfe bad") and str(tmp / "bin.txt"), "not UTF-8"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path, monkeypatch, capsys, make, words):
    code, out, err = run([make(tmp_path)], monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert out == ""
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_rules_file_exits_2(tmp_path, monkeypatch, capsys):
    rules = tmp_path / "rules.yaml"
    rules.write_text("version: 1\nrules: [\n", encoding="utf-8")
    code, out, err = run(["--rules", str(rules), "-"], stdin="x\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert f"{rules}:" in err and "not valid YAML" in err
    assert err.count("\n") == 1


def test_internal_error_is_a_message_not_a_traceback(monkeypatch, capsys):
    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "scan", boom)
    code, out, err = run(["-"], stdin="landmark\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2
    assert "internal error" in err and "kaboom" in err and "Traceback" not in err


def test_module_entry_point_subprocess(tmp_path):
    p = tmp_path / "desc.txt"
    p.write_text("A landmark treaty.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot.neutrality", "--format", "json", str(p)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)[0]["match"] == "landmark"
    usage = subprocess.run([sys.executable, "-m", "bot.neutrality"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr
