import pytest

from bot.project import Project
from bot.registry import Context, check_paths
from bot.site.model import make_row
from tests.publishing.registry import make_registry, sample_entries


@pytest.fixture
def registry(tmp_path):
    return make_registry(tmp_path / "registry", sample_entries())


@pytest.fixture
def loaded(registry):
    """(rows, vocabularies) of the sample registry, through the real loader."""
    ctx = Context.load(Project(registry), wording=False)
    result = check_paths(ctx)
    assert result.errors == 0, [f.message for f in result.findings]
    rows = [make_row(c.data, c.doc.path, ctx.vocabularies) for c in result.files]
    return rows, ctx.vocabularies
