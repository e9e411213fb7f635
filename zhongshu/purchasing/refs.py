"""The purchasing documents that vouchers and stock moves name as their
source, and the pages that show them (drill-through from a voucher or a
move)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core import refs
from zhongshu.purchasing.services import common


def _page(url_name: str) -> Callable[[int], str]:
    return lambda document_id: reverse(url_name, args=[document_id])


KINDS: dict[str, tuple[Promise, str]] = {
    common.REQUISITION_KIND: (_("Purchase requisition"), "purchasing_requisition"),
    common.ORDER_KIND: (_("Purchase order"), "purchasing_order"),
    common.RECEIPT_KIND: (_("Goods receipt"), "purchasing_receipt"),
    common.INVOICE_KIND: (_("Supplier invoice"), "purchasing_invoice"),
    common.RETURN_KIND: (_("Purchase return"), "purchasing_return"),
    common.PAYMENT_KIND: (_("Payment"), "purchasing_payment"),
}

for kind, (label, url_name) in KINDS.items():
    refs.register_kind(kind, cast(str, label), _page(url_name))
