"""The Flask class the site is built on: work done once per process, not once per app.

A gunicorn worker builds one app, but the work below is also what made every test that
builds an app slow (tests/web build one per test, thousands in all):

- Werkzeug writes and compiles two Python functions per URL rule (the builders behind
  `url_for`) when the rule is added: about 0.5 ms a rule, 120-odd rules. A worker builds
  URLs for a few dozen of them; `LazyBuildRule` writes a rule's builder when it is first
  asked for one.
- Jinja lexes, parses and compiles each template per app. `PROCESS_BYTECODE` keeps the
  compiled code for the life of the process; Jinja checks it against the template's
  source (a checksum), so an edited template is compiled afresh.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule


class LazyBuildRule(Rule):
    """A URL rule whose builders (url_for) are compiled on first use, then kept."""

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **values):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, *args, **values)

        return build


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates in memory, shared by every app of the process."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._codes.clear()


PROCESS_BYTECODE = ProcessBytecodeCache()


class TsunaguFlask(Flask):
    url_rule_class = LazyBuildRule
    jinja_options = {"bytecode_cache": PROCESS_BYTECODE}
