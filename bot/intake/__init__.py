"""Proposals without git: GitHub issue forms -> entries -> bot pull requests.

``forms`` generates the two issue forms from the schema and vocabularies (and
describes their fields for the parser), ``parse`` reads a form issue's body,
``build`` turns the values into an entry's YAML and checks it, ``flow``
decides what to do on GitHub. All pure; the GitHub calls are in
``bot.github_adapter``, the command in ``bot.intake.command``.
"""
