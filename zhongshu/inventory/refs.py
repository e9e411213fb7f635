"""The inventory documents that vouchers and stock moves name as their
source, and where the pages show them (drill-through from a voucher)."""

from __future__ import annotations

from typing import cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongshu.core import refs
from zhongshu.inventory.manual import MANUAL_KIND
from zhongshu.inventory.services import ADJUSTMENT_KIND


def _cost_adjustment_url(adjustment_id: int) -> str:
    return reverse("inventory_cost_adjustment", args=[adjustment_id])


def _manual_document_url(document_id: int) -> str:
    return reverse("inventory_manual_document", args=[document_id])


# The labels are lazy: they are read in the language of each request.
refs.register_kind(
    ADJUSTMENT_KIND, cast(str, _("Cost adjustment")), _cost_adjustment_url
)
refs.register_kind(
    MANUAL_KIND, cast(str, _("Manual stock document")), _manual_document_url
)
