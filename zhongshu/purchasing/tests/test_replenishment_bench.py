"""The replenish benchmark scenario at a tiny size: the history it writes
straight into inventory's tables passes every consistency check, and the
suggestion run and the backtest report their figures."""

from __future__ import annotations

import pytest

from bench import replenish
from zhongshu.core import consistency
from zhongshu.inventory.models import StockMove
from zhongshu.purchasing.models import Suggestion

pytestmark = pytest.mark.django_db


def test_replenish_writes_a_consistent_history_and_times_the_run() -> None:
    figures = replenish.run({"products": 6, "suppliers": 2, "seed": 7})
    # 6 products × 2 warehouses: one opening each, then a move a day sold
    assert figures["rows"]["series"] == 12
    assert figures["rows"]["stock_moves"] == StockMove.objects.count()
    assert figures["suggestions"] == Suggestion.objects.count() == 12
    assert len(figures["suggestion_runs_s"]) == replenish.RUNS
    assert set(figures["wape"]) == {"seasonal_es", "naive", "seasonal_naive"}
    assert [r.name for r in consistency.run_all() if not r.passed] == []
