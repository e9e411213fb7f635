"""Stock moved by hand: 其他入库 (other receipt), 其他出库 (other issue) and
调拨 (transfer between warehouses or bins), each a numbered document.

The document has no table of its own: its moves carry it, with the source
``SourceRef("inventory.manual", id)`` on every move and on the voucher, and
its number at the head of every move's memo and in the voucher's summary.
The id is the number's place in its sequence, made unique across cycles
(``cycle × 1,000,000 + value``), so it is taken, and given back on a
rollback, with the number.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from enum import StrEnum

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhongshu.core import numbering
from zhongshu.core.models import Company, SequenceReset
from zhongshu.core.refs import SourceRef
from zhongshu.inventory import services
from zhongshu.inventory.models import MoveKind, StockMove

MANUAL_KIND = "inventory.manual"
MANUAL_NUMBERS = numbering.declare(
    MANUAL_KIND,
    gettext_lazy("Manual stock document"),
    default_pattern="QT-{year}-{seq:05d}",
    default_reset=SequenceReset.YEARLY,
)
# More documents than this in one cycle would collide with the next cycle.
CYCLE_SPAN = 1_000_000


class ManualKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"
    TRANSFER = "transfer"


@dataclasses.dataclass(frozen=True, slots=True)
class ManualDocument:
    kind: ManualKind
    number: str
    source: SourceRef
    posting: services.Posting


def _take_number(company: Company, date: datetime.date) -> tuple[str, SourceRef]:
    allocation = numbering.allocate(company=company, key=MANUAL_KIND, on_date=date)
    _pattern, reset = numbering.rule_for(company, MANUAL_KIND)
    cycle = numbering.cycle_for(reset, date)
    document_id = int(cycle or 0) * CYCLE_SPAN + allocation.value
    return allocation.number, SourceRef(MANUAL_KIND, document_id)


def _memo(number: str, memo: str) -> str:
    return f"{number} {memo.strip()}".strip()[:200]


def _summary(kind: ManualKind, number: str, memo: str) -> str:
    labels = {
        ManualKind.RECEIPT: _("Other receipt %(number)s"),
        ManualKind.ISSUE: _("Other issue %(number)s"),
        ManualKind.TRANSFER: _("Transfer %(number)s"),
    }
    summary = labels[kind] % {"number": number}
    return f"{summary} {memo.strip()}".strip()[:200]


@transaction.atomic
def receive_by_hand(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[services.MoveLine],
    counter: services.Counterpart,
    actor: User | None,
    memo: str = "",
) -> ManualDocument:
    """其他入库: stock in at the cost given on each line, against
    ``counter`` (an account or the role naming it)."""
    number, source = _take_number(company, date)
    posting = services.receive(
        company=company,
        date=date,
        lines=[
            dataclasses.replace(line, memo=_memo(number, line.memo or memo))
            for line in lines
        ],
        counter=counter,
        source=source,
        actor=actor,
        summary=_summary(ManualKind.RECEIPT, number, memo),
    )
    return ManualDocument(ManualKind.RECEIPT, number, source, posting)


@transaction.atomic
def issue_by_hand(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[services.MoveLine],
    counter: services.Counterpart,
    actor: User | None,
    memo: str = "",
) -> ManualDocument:
    """其他出库: stock out at its cost, against ``counter``."""
    number, source = _take_number(company, date)
    posting = services.issue(
        company=company,
        date=date,
        lines=[
            dataclasses.replace(line, memo=_memo(number, line.memo or memo))
            for line in lines
        ],
        counter=counter,
        source=source,
        actor=actor,
        summary=_summary(ManualKind.ISSUE, number, memo),
    )
    return ManualDocument(ManualKind.ISSUE, number, source, posting)


@transaction.atomic
def transfer_by_hand(
    *,
    company: Company,
    date: datetime.date,
    lines: Sequence[services.TransferLine],
    actor: User | None,
    memo: str = "",
) -> ManualDocument:
    """调拨: stock from one warehouse or bin to another, at its cost."""
    number, source = _take_number(company, date)
    posting = services.transfer(
        company=company,
        date=date,
        lines=[
            dataclasses.replace(line, memo=_memo(number, line.memo or memo))
            for line in lines
        ],
        source=source,
        actor=actor,
        summary=_summary(ManualKind.TRANSFER, number, memo),
    )
    return ManualDocument(ManualKind.TRANSFER, number, source, posting)


def kind_of(moves: Sequence[StockMove]) -> ManualKind | None:
    """What a manual document was, from its moves."""
    kinds = {move.kind for move in moves}
    if kinds & {MoveKind.TRANSFER_OUT, MoveKind.TRANSFER_IN}:
        return ManualKind.TRANSFER
    if MoveKind.RECEIPT in kinds:
        return ManualKind.RECEIPT
    if MoveKind.ISSUE in kinds:
        return ManualKind.ISSUE
    return None


def number_of(moves: Sequence[StockMove]) -> str:
    """The document's number, from the head of its moves' memo."""
    return moves[0].memo.split(" ", 1)[0] if moves and moves[0].memo else ""
