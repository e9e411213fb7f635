"""Consistency checks that users can run with ``zhongshu check``.

A module registers a check with ``@consistency.register("ledger.vouchers_balance")``;
the check returns a list of problems (empty when all is well). Checks must be
read-only and scoped per company where the invariant is per company.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Check = Callable[[], list[str]]

_registry: dict[str, Check] = {}


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def register(name: str) -> Callable[[Check], Check]:
    def decorator(check: Check) -> Check:
        if name in _registry:
            raise ValueError(f"Consistency check {name} is registered twice.")
        _registry[name] = check
        return check

    return decorator


def registered_checks() -> dict[str, Check]:
    return dict(sorted(_registry.items()))


def run_all() -> list[CheckResult]:
    results = []
    for name, check in registered_checks().items():
        try:
            problems = check()
        except Exception as error:
            problems = [f"check crashed: {error!r}"]
        results.append(CheckResult(name, problems))
    return results
