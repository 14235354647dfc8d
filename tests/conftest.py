from tests.ghsim.fixtures import sim  # noqa: F401
