"""Benchmark scenarios of ../shared/BENCHMARKS.md, run by ``zhongshu bench``.

Each scenario is a function ``run(params) -> dict`` that works on an empty,
migrated database and returns the figures; the runner adds the common keys
and prints one JSON line. Modules add their scenarios to SCENARIOS.
"""

from __future__ import annotations

from bench import ledger, numbering, o2c, p2p, replenish, stock
from bench.base import Scenario

SCENARIOS: dict[str, Scenario] = {
    "ledger": ledger.SCENARIO,
    "numbering": numbering.SCENARIO,
    "o2c": o2c.SCENARIO,
    "p2p": p2p.SCENARIO,
    "replenish": replenish.SCENARIO,
    "stock": stock.SCENARIO,
}
