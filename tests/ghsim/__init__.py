"""A stateful GitHub REST API simulator on 127.0.0.1 for PyGithub-based tests. See README.md."""

from .faults import Fault
from .simulator import LogEntry, Simulator
from .spec import (OPENAPI_VERSION, WEBHOOKS_VERSION, SpecUnavailable, openapi_spec_path,
                   webhook_examples_path)
from .webhooks import adapt_payload, load_webhook_example, write_event


def github_client(sim, token: str = "t", **kwargs):
    from .fixtures import github_client as _client
    return _client(sim, token, **kwargs)


__all__ = ["Simulator", "LogEntry", "Fault", "github_client", "load_webhook_example", "adapt_payload",
           "write_event", "openapi_spec_path", "webhook_examples_path", "SpecUnavailable",
           "OPENAPI_VERSION", "WEBHOOKS_VERSION"]
