"""Purchasing documents to print: the purchase order (采购订单) as PDF, sent to
the supplier to confirm.

Like sales' printing it uses the ledger's PDF conventions
(``ledger.exports.pdf``): ReportLab's CID font STSong-Light for Chinese,
named rather than embedded, and Helvetica for figures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from zhongshu.core.money import amount_in_words
from zhongshu.ledger.exports import PDF_CONTENT_TYPE
from zhongshu.ledger.exports.pdf import FIGURES, FONT, HEADER_FILL, INK, RULE
from zhongshu.ledger.exports.tables import person_name
from zhongshu.purchasing.models import PurchaseOrder, PurchaseOrderLine

Align = Literal[0, 1, 2]  # TA_LEFT, TA_CENTER, TA_RIGHT

__all__ = ["PDF_CONTENT_TYPE", "order_pdf"]


def _style(size: float, align: Align = TA_LEFT) -> ParagraphStyle:
    return ParagraphStyle(
        f"purchasing-{size}-{align}",
        fontName=FONT,
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
        textColor=INK,
        wordWrap="CJK",
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _p(text: str, size: float = 9, align: Align = TA_LEFT) -> Paragraph:
    return Paragraph(_escape(text), _style(size, align))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _price_text(price: Decimal) -> str:
    """Two places, or as many as the price has (up to six)."""
    if price == price.quantize(Decimal("0.01")):
        return f"{price:,.2f}"
    return _plain(price)


def _rate_text(rate: Decimal) -> str:
    return f"{_plain(rate * 100)}%"


def _order_name(order: PurchaseOrder) -> str:
    return order.number or _("Draft #%(id)d") % {"id": order.pk}


def _line_date(order: PurchaseOrder, line: PurchaseOrderLine) -> str:
    day = line.confirmed_date or order.expected_date
    return day.isoformat() if day else ""


def _line_rows(order: PurchaseOrder, lines: Sequence[PurchaseOrderLine]) -> list[Any]:
    head = _style(9, TA_CENTER)
    labels = (
        _("No."),
        _("Product code"),
        _("Product name"),
        _("Specification"),
        _("Quantity"),
        _("Unit"),
        _("Unit price"),
        _("VAT rate"),
        _("Amount"),
        _("Delivery date"),
    )
    rows: list[list[Any]] = [[Paragraph(_escape(label), head) for label in labels]]
    for line in lines:
        rows.append(
            [
                str(line.line_no),
                line.product.code,
                _p(line.product.name),
                _p(line.product.specification),
                _plain(line.quantity),
                _p(line.unit.name),
                _price_text(line.unit_price),
                _rate_text(line.tax_rate),
                f"{line.amount:,.2f}",
                _line_date(order, line),
            ]
        )
    words = _("Amount in words: %(words)s") % {"words": amount_in_words(order.total)}
    rows.append(
        [_p(_("Total")), "", _p(words), "", "", "", "", "", f"{order.total:,.2f}", ""]
    )
    return rows


def _lines_table(order: PurchaseOrder, width: float) -> Table:
    rows = _line_rows(order, list(order.lines.all()))
    weights = (5, 13, 22, 13, 9, 6, 11, 7, 13, 12)
    scale = width / sum(weights)
    table = Table(rows, colWidths=[w * scale for w in weights], repeatRows=1)
    last = len(rows) - 1
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (4, 1), (4, -1), FIGURES, 8.5),
                ("FONT", (6, 1), (9, -1), FIGURES, 8.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (4, 1), (4, -1), "RIGHT"),
                ("ALIGN", (6, 1), (8, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("BOX", (0, 0), (-1, -1), 1, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("SPAN", (0, last), (1, last)),
                ("SPAN", (2, last), (7, last)),
                ("LINEABOVE", (0, last), (-1, last), 0.9, INK),
            ]
        )
    )
    return table


def _info_table(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    rows = []
    for index in range(0, len(pairs), 2):
        row: list[Any] = [
            _p(f"{label}: {value}", 9.5) for label, value in pairs[index : index + 2]
        ]
        rows.append(row + [""] * (2 - len(row)))
    table = Table(rows, colWidths=[width * 0.6, width * 0.4])
    table.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
    )
    return table


def _signatures(people: Sequence[tuple[str, str]], width: float) -> Table:
    cells = [_p(f"{role}: {name}", 9.5) for role, name in people]
    table = Table([cells], colWidths=[width / len(people)] * len(people))
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _header_pairs(order: PurchaseOrder) -> list[tuple[str, str]]:
    supplier = order.supplier
    contact = supplier.contacts.first()
    return [
        (_("Supplier"), f"{supplier.code} {supplier.name}"),
        (_("Document no."), _order_name(order)),
        (_("Address"), supplier.tax_address or "—"),
        (_("Date"), order.date.isoformat()),
        (
            _("Contact"),
            f"{contact.name} {contact.phone}".strip()
            if contact
            else supplier.tax_phone or "—",
        ),
        (
            _("Expected date"),
            order.expected_date.isoformat() if order.expected_date else "—",
        ),
        (_("Deliver to"), f"{order.warehouse.code} {order.warehouse.name}"),
        (_("Buyer"), person_name(order.buyer) or "—"),
    ]


def order_pdf(order: PurchaseOrder) -> bytes:
    """采购订单 on A4: company and title; supplier, its address and contact,
    number, dates, the warehouse the goods go to and the buyer; one row per
    line (code, name, specification, quantity, unit, price, VAT rate, amount
    and the date the goods are due); the total in figures and in words
    (大写); the VAT basis; signatures of the buyer and the supplier who
    confirms it. Load the order with ``selectors.documents.get_order``."""
    buffer = io.BytesIO()
    title = _("Purchase order")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=f"{title} {_order_name(order)}",
        author=order.company.name,
        creator="Zhongshu",
    )
    width = document.width
    basis = (
        _("Prices include VAT; VAT %(tax)s, amount excluding VAT %(net)s.")
        if order.prices_include_tax
        else _("Prices exclude VAT; VAT %(tax)s, amount excluding VAT %(net)s.")
    ) % {"tax": f"{order.tax_total:,.2f}", "net": f"{order.net_total:,.2f}"}
    story: list[Flowable] = [
        _p(order.company.name, 13, TA_CENTER),
        Spacer(1, 2 * mm),
        _p(title, 17, TA_CENTER),
        Spacer(1, 5 * mm),
        _info_table(_header_pairs(order), width),
        Spacer(1, 3 * mm),
        _lines_table(order, width),
        Spacer(1, 2 * mm),
        _p(basis),
    ]
    if order.memo:
        story.append(_p(_("Memo: %(memo)s") % {"memo": order.memo}))
    story += [
        Spacer(1, 10 * mm),
        _signatures(
            [
                (_("Buyer"), person_name(order.buyer)),
                (_("Approved by"), person_name(order.confirmed_by)),
                (_("Confirmed by (supplier, seal)"), ""),
            ],
            width,
        ),
    ]
    document.build(story)
    return buffer.getvalue()
