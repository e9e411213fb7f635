"""The document flow panel (单据流): every document of the chain around
one, each a link to its page, with the vouchers it posted."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from zhongshu.core.models import Company
from zhongshu.sales.selectors import documents


@dataclass(frozen=True, slots=True)
class FlowVoucher:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class FlowEntry:
    node: documents.FlowNode
    url: str
    is_current: bool
    vouchers: list[FlowVoucher]


def flow_panel(company: Company, kind: str, document_id: int) -> list[FlowEntry]:
    return [
        FlowEntry(
            node=node,
            url=reverse(node.url_name, args=[node.id]) if node.url_name else "",
            is_current=node.kind == kind and node.id == document_id,
            vouchers=[
                FlowVoucher(label, reverse("ledger_voucher", args=[voucher_id]))
                for voucher_id, label in node.vouchers
            ],
        )
        for node in documents.document_flow(company, kind, document_id)
    ]
