"""The sales documents that vouchers and stock moves name as their source,
and the pages that show them (drill-through from a voucher or a move)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhongshu.core import refs
from zhongshu.sales.services import common


def _page(url_name: str) -> Callable[[int], str]:
    return lambda document_id: reverse(url_name, args=[document_id])


KINDS: dict[str, tuple[Promise, str]] = {
    common.QUOTATION_KIND: (_("Quotation"), "sales_quotation"),
    common.ORDER_KIND: (_("Sales order"), "sales_order"),
    common.DELIVERY_KIND: (_("Delivery"), "sales_delivery"),
    common.RETURN_KIND: (_("Sales return"), "sales_return"),
    common.INVOICE_KIND: (_("Sales invoice"), "sales_invoice"),
    common.RECEIPT_KIND: (_("Receipt"), "sales_receipt"),
    common.SETTLEMENT_KIND: (_("Settlement"), "sales_settlement"),
    common.RETAIL_KIND: (_("Retail sale"), "sales_retail_sale"),
}

# The labels are lazy: they are read in the language of each request.
for kind, (label, url_name) in KINDS.items():
    refs.register_kind(kind, cast(str, label), _page(url_name))
