"""Fuzz the hostile-input loader, the fast path and the neutrality checker.

    python benchmarks/fuzz.py [--examples 20000] [--seed 0]

Not part of the quick test suite: a large hypothesis budget over
- the loader (`load_text`) on arbitrary bytes and on entries edited with
  YAML-significant characters: it must never raise, every finding must have a
  position inside the file, and the fast path's data (`fastcheck.fast_data`)
  must equal the loader's whenever it gives any;
- whole-file checks: the fast path (`check_raw`) must give exactly the precise
  path's findings;
- the neutrality checker (`scan`): it must never raise, and every flag must
  lie inside the text, with its `match` being the text at its offsets.
Prints the examples run and any failure (hypothesis shrinks it first).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot import fastcheck  # noqa: E402
from bot.loading import load_text  # noqa: E402
from bot.neutrality import scan  # noqa: E402
from bot.project import find_project  # noqa: E402
from bot.registry import Context, check_document  # noqa: E402

CTX = Context.load(find_project(REPO))
RULES = CTX.rules
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((REPO / "entries").glob("*.yaml"))]
YAML_BITS = st.sampled_from(
    [": ", "- ", "&a ", "*a", "!!str ", "!x ", "%YAML 1.2\n---\n", "\n---\n", "'", '"', "\\", "[", "]", "{", "}", ",", "#", "|", ">", "\t",
     "\n", "  ", "? ", "\u202e", "\ufeff", "\x85", "\u2028", "null", "~", "0x1F", "1e3", ".inf", "2026-02-30", "\r\n", "\\x41", "\\u00e9"]
)
WORDS = st.sampled_from(
    ["landmark", "so-called", "critics say", "clearly", "world-leading", "successful", '"talk shop"', "according to", "the", "forum",
     "stated that", "Freedom Online Coalition", "best practice", "It", ".", ",", "\n", "'", "\u201c", "\u201d", "US", "us", "pioneering"]
)

COUNT = {"loader": 0, "edits": 0, "scan": 0}


def _positions_ok(doc, raw: bytes) -> None:
    # The parser counts line breaks as str.splitlines() does (NEL, LS, PS
    # too), and so does the report: count them the same way here. A file that
    # is not UTF-8 keeps no text, but its finding still names the line of the
    # bad byte: count the lines of the bytes then.
    text = doc.text or raw.decode("utf-8", "replace")
    lines = max(1, len(text.splitlines()) + 1) if text else 1
    for f in doc.findings:
        assert 1 <= f.line <= lines + 1 and f.column >= 1, f
        assert (f.end_line, f.end_column) >= (f.line, f.column), f


def _fast_agrees(name: str, raw: bytes) -> None:
    doc = load_text(name, raw)
    _positions_ok(doc, raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not raw.startswith(b"\xef\xbb\xbf"):
        data = fastcheck.fast_data(text)
        if data is not None:
            assert data == doc.data, (data, doc.data)
    fast = fastcheck.check_raw(raw, len(raw), name, CTX)
    precise = check_document(load_text(name, raw), CTX).findings
    assert list(fast.findings) == precise, (fast.findings, precise)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="examples per target")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    budget = settings(max_examples=args.examples, deadline=None, derandomize=False, database=None,
                      suppress_health_check=list(HealthCheck), print_blob=True)

    @budget
    @given(st.binary(max_size=2000))
    def loader_bytes(raw):
        COUNT["loader"] += 1
        _fast_agrees("entries/fuzz.yaml", raw)

    @budget
    @given(st.integers(0, len(SEEDS) - 1), st.lists(st.tuples(st.integers(0, 4000), YAML_BITS | st.text(max_size=4)), min_size=1, max_size=4))
    def loader_edits(which, edits):
        COUNT["edits"] += 1
        text = SEEDS[which]
        for at, bit in edits:
            at = min(at, len(text))
            text = text[:at] + bit + text[at:]
        _fast_agrees("entries/" + SEEDS[which].split("\n", 1)[0].removeprefix("id: ") + ".yaml", text.encode("utf-8", "surrogatepass"))

    @budget
    @given(st.lists(WORDS | st.text(max_size=8), max_size=40).map(" ".join), st.lists(st.text(max_size=20), max_size=3))
    def scanner(text, names):
        COUNT["scan"] += 1
        for flag in scan(text, rules=RULES, proper_names=names):
            assert 0 <= flag.start < flag.end <= len(text), flag
            assert flag.match == text[flag.start : flag.end], (flag, text[flag.start : flag.end])

    failures = 0
    for target in (loader_bytes, loader_edits, scanner):
        started = time.perf_counter()
        try:
            target()
            outcome = "ok"
        except Exception as exc:  # report, go on with the next target
            failures += 1
            outcome = f"FAILED: {type(exc).__name__}: {str(exc)[:2000]}"
        print(f"{target.__name__}: {outcome} ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"examples run: {COUNT}; failures: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
