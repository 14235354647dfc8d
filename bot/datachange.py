"""What a proposed change to the schema, vocabularies or wording rules would
do to the registry: which entries it would break.

The proposed files are hostile input (a schema can hold a regular expression
that takes forever), so the check runs in a separate process with a time
limit; the bot never imports or executes anything from the pull request.
It uses the precise checks only (``check_document``), never the fast path of
``bot.fastcheck``: fastjsonschema turns a schema into Python code, which is
fine for the reviewed schema of the default branch and not for a proposed one.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from pathlib import Path

from bot.policy.decide import DataChangeReport
from bot.project import Project

TIME_LIMIT = 60.0


def _assess(root: str, changed: dict[str, bytes | None], registry: dict[str, bytes]) -> DataChangeReport:
    from bot.loading import load_text
    from bot.registry import Context, check_document
    from bot.schema import SchemaError
    from bot.vocabularies import VocabularyError

    with tempfile.TemporaryDirectory(prefix="registry-datachange-") as tmp:
        copy = Path(tmp) / "registry"
        shutil.copytree(Path(root) / "schema", copy / "schema")
        (copy / "entries").mkdir()
        for path, content in changed.items():
            target = (copy / path).resolve()
            if not target.is_relative_to((copy / "schema").resolve()):
                continue  # only data under schema/ is overlaid
            if content is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
        try:
            old = Context.load(Project(Path(root)), wording=False)
            new = Context.load(Project(copy), wording=True)
        except VocabularyError as exc:
            first = exc.findings[0]
            return DataChangeReport(False, f"{first.path} line {first.line}: {first.message}")
        except SchemaError as exc:
            return DataChangeReport(False, f"the proposed schema is broken: {exc}")
        except Exception as exc:  # a broken rules file, for one
            return DataChangeReport(False, f"the proposed data files cannot be used: {exc}")

    broken = []
    for path, raw in sorted(registry.items()):
        before = [f for f in check_document(load_text(path, raw), old).findings if f.is_error]
        after = [f for f in check_document(load_text(path, raw), new).findings if f.is_error]
        if after and not before:
            broken.append((path, len(after), after[0].message))
    return DataChangeReport(not broken, None, tuple(broken))


def _worker(queue, root, changed, registry):
    try:
        queue.put(_assess(root, changed, registry))
    except Exception as exc:  # report, never hang the parent
        queue.put(DataChangeReport(False, f"the data change could not be checked: {type(exc).__name__}: {exc}"))


def assess_data_change(project: Project, changed: dict[str, bytes | None], registry: dict[str, bytes], time_limit: float = TIME_LIMIT) -> DataChangeReport:
    """Run the assessment in a child process, killed after ``time_limit``."""
    context = multiprocessing.get_context("fork" if hasattr(multiprocessing, "get_context") else None)
    queue = context.Queue()
    process = context.Process(target=_worker, args=(queue, str(project.root), changed, registry), daemon=True)
    process.start()
    try:
        return queue.get(timeout=time_limit)
    except Exception:
        return DataChangeReport(False, f"checking the proposed data took longer than {time_limit:.0f} s; a maintainer must look at it")
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
