"""The published mapping: ``python -m bot build``.

Stages, one module each, imports running one way:
``model`` (pure data: rows, coverage, gaps, changelog diff) <- ``history``
(git, read-only subprocess) <- ``render`` (Jinja2 templates, CSV, JSON,
Markdown) <- ``cli`` (arguments, exit codes, messages).
"""
