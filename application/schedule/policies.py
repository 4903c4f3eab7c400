"""Which policy a creditor's cases follow.

ARREARS_POLICY_DIR names a directory of policy files: `<creditor>.toml` for one creditor
(`creditor_file_name`: "Acme Supplies Ltd" → `acme-supplies-ltd.toml`) and `default.toml`
for every creditor without a file of its own. Without the setting, or for a creditor with
neither file, the policy shipped with Arrears applies (`default-policy.toml` beside this
module). A policy file that cannot be used stops the run before any case is touched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path

from application.schedule.policy import Policy
from application.schedule.policyfile import PolicyError, load_policy, parse_policy

POLICY_DIR = "ARREARS_POLICY_DIR"
DEFAULT_FILE = "default.toml"
SHIPPED = "default-policy.toml"


def creditor_file_name(creditor: str) -> str:
    """The creditor's policy file: its name in lower case, each run of characters other
    than letters and digits as one '-'."""
    slug = re.sub(r"[\W_]+", "-", creditor.casefold()).strip("-")
    return f"{slug or 'creditor'}.toml"


@cache
def shipped_policy() -> Policy:
    """The policy Arrears ships (package data)."""
    source = files("application.schedule") / SHIPPED
    return parse_policy(source.read_text(encoding="utf-8"), SHIPPED, "default")


class Policies:
    """The policy of each creditor: one file for all (`only`), or ARREARS_POLICY_DIR."""

    def __init__(self, directory: Path | None = None, only: Policy | None = None) -> None:
        self.directory = directory
        self.only = only
        self._found: dict[str, Policy] = {}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Policies:
        env = os.environ if environ is None else environ
        name = env.get(POLICY_DIR, "")
        if not name:
            return cls()
        directory = Path(name)
        if not directory.is_dir():
            raise PolicyError(f"{POLICY_DIR}: '{name}' is not a directory")
        return cls(directory)

    @classmethod
    def of_file(cls, path: Path) -> Policies:
        """Every creditor under the policy in this one file."""
        return cls(only=load_policy(path))

    def for_creditor(self, creditor: str) -> Policy:
        if self.only is not None:
            return self.only
        if creditor not in self._found:
            self._found[creditor] = self._find(creditor)
        return self._found[creditor]

    def _find(self, creditor: str) -> Policy:
        if self.directory is not None:
            for name in (creditor_file_name(creditor), DEFAULT_FILE):
                path = self.directory / name
                if path.is_file():
                    return load_policy(path)
        return shipped_policy()

    def check(self) -> list[Policy]:
        """Read every policy in use (each file of the directory): any fault raises now."""
        if self.only is not None:
            return [self.only]
        found = [shipped_policy()]
        if self.directory is not None:
            found += [load_policy(path) for path in sorted(self.directory.glob("*.toml"))]
        return found
