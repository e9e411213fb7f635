"""Sales documents and receivables reports to print and download: the
delivery note (发货单) and the customer statement (对账单) as PDF, the aging
(账龄分析) as Excel.

The PDFs use the ledger's printing (``ledger.exports.pdf``): ReportLab's CID
font STSong-Light for Chinese, named rather than embedded, and Helvetica for
figures. Reports are laid out as ledger ``Table``s, so every download in the
product looks alike.
"""

from __future__ import annotations

import datetime
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

from zhongshu.core.models import Company
from zhongshu.core.money import amount_in_words, round_price, round_quantity
from zhongshu.ledger.exports import (
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Column,
    Kind,
    table_xlsx,
)
from zhongshu.ledger.exports import Row as TableRow
from zhongshu.ledger.exports import Table as ReportTable
from zhongshu.ledger.exports.pdf import FIGURES, FONT, HEADER_FILL, INK, RULE
from zhongshu.ledger.exports.tables import amount_text, person_name
from zhongshu.sales.models import Delivery, DeliveryLine
from zhongshu.sales.selectors.receivables import Aging, CustomerStatement

Align = Literal[0, 1, 2]  # TA_LEFT, TA_CENTER, TA_RIGHT

__all__ = [
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "aging_table",
    "aging_xlsx",
    "delivery_note_pdf",
    "statement_pdf",
    "statement_table",
]


def _style(size: float, align: Align = TA_LEFT, **extra: Any) -> ParagraphStyle:
    return ParagraphStyle(
        f"sales-{size}-{align}",
        fontName=FONT,
        fontSize=size,
        leading=size * 1.3,
        alignment=align,
        textColor=INK,
        wordWrap="CJK",
        **extra,
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


# --- the delivery note (发货单) -----------------------------------------------------


def _line_figures(line: DeliveryLine) -> tuple[Decimal, str, Decimal]:
    """Quantity in the order line's unit, that unit, and the price per unit
    the customer pays (tax included) that the amount works out to."""
    order_line = line.order_line
    quantity = round_quantity(
        line.base_quantity * order_line.quantity / order_line.base_quantity,
        order_line.unit.places,
    )
    price = round_price(line.amount / quantity) if quantity else Decimal(0)
    return quantity, order_line.unit.name, price


def _note_lines(delivery: Delivery) -> list[list[Any]]:
    head = _style(9, TA_CENTER)
    rows: list[list[Any]] = [
        [
            Paragraph(_escape(label), head)
            for label in (
                _("No."),
                _("Product code"),
                _("Product name"),
                _("Specification"),
                _("Quantity"),
                _("Unit"),
                _("Unit price"),
                _("Amount"),
            )
        ]
    ]
    lines = list(delivery.lines.all())
    for index, line in enumerate(lines, start=1):
        quantity, unit, price = _line_figures(line)
        rows.append(
            [
                str(index),
                line.product.code,
                _p(line.product.name),
                _p(line.product.specification),
                _plain(quantity),
                _p(unit),
                _price_text(price),
                f"{line.amount:,.2f}",
            ]
        )
    rows.append(
        [
            _p(_("Total")),
            "",
            _p(
                _("Amount in words: %(words)s")
                % {"words": amount_in_words(delivery.total)}
            ),
            "",
            "",
            "",
            "",
            f"{delivery.total:,.2f}",
        ]
    )
    return rows


def _note_table(delivery: Delivery, width: float) -> Table:
    rows = _note_lines(delivery)
    weights = (6, 16, 30, 16, 10, 7, 13, 15)
    scale = width / sum(weights)
    table = Table(rows, colWidths=[w * scale for w in weights], repeatRows=1)
    last = len(rows) - 1
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (4, 1), (4, -1), FIGURES, 9),
                ("FONT", (6, 1), (7, -1), FIGURES, 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (4, 1), (4, -1), "RIGHT"),
                ("ALIGN", (6, 1), (7, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("BOX", (0, 0), (-1, -1), 1, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("SPAN", (0, last), (1, last)),
                ("SPAN", (2, last), (6, last)),
                ("LINEABOVE", (0, last), (-1, last), 0.9, INK),
            ]
        )
    )
    return table


def _info_table(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    rows = []
    for index in range(0, len(pairs), 2):
        row: list[Any] = []
        for label, value in pairs[index : index + 2]:
            row.append(_p(f"{label}: {value}", 9.5))
        rows.append(row + [""] * (2 - len(row)))
    table = Table(rows, colWidths=[width * 0.6, width * 0.4])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _signatures(people: Sequence[tuple[str, str]], width: float) -> Table:
    cells = [_p(f"{role}: {name}", 9.5) for role, name in people]
    table = Table([cells], colWidths=[width / len(people)] * len(people))
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _document(
    buffer: io.BytesIO, title: str, company: Company, *, landscape: bool = False
) -> SimpleDocTemplate:
    size = (A4[1], A4[0]) if landscape else A4
    return SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=company.name,
        creator="Zhongshu",
    )


def delivery_note_pdf(delivery: Delivery) -> bytes:
    """发货单 on A4: company and title; number, date, customer, address and
    order; one row per line (code, name, specification, quantity, unit,
    price and amount, tax included); the total in figures and in words
    (大写); signatures of who prepared, issued, carried and received the
    goods. Load the delivery with ``selectors.receivables.delivery_note``."""
    buffer = io.BytesIO()
    title = _("Delivery note")
    document = _document(buffer, f"{title} {delivery.number}", delivery.company)
    width = document.width
    customer = delivery.customer
    address = delivery.order.delivery_address or customer.tax_address
    story: list[Flowable] = [
        _p(delivery.company.name, 13, TA_CENTER),
        Spacer(1, 2 * mm),
        _p(title, 17, TA_CENTER),
        Spacer(1, 5 * mm),
        _info_table(
            [
                (_("Customer"), f"{customer.code} {customer.name}"),
                (_("Number"), delivery.number),
                (_("Delivery address"), address or "—"),
                (_("Date"), delivery.date.isoformat()),
                (_("Phone"), customer.tax_phone or "—"),
                (_("Sales order"), delivery.order.number),
            ],
            width,
        ),
        Spacer(1, 3 * mm),
        _note_table(delivery, width),
        Spacer(1, 2 * mm),
        _p(
            _("Prices include VAT; VAT %(tax)s, amount excluding VAT %(net)s.")
            % {"tax": f"{delivery.tax_total:,.2f}", "net": f"{delivery.net_total:,.2f}"}
        ),
    ]
    if delivery.memo:
        story.append(_p(_("Memo: %(memo)s") % {"memo": delivery.memo}))
    story += [
        Spacer(1, 10 * mm),
        _signatures(
            [
                (_("Prepared by"), person_name(delivery.created_by)),
                (_("Storekeeper"), ""),
                (_("Carrier"), ""),
                (_("Received by (customer)"), ""),
            ],
            width,
        ),
    ]
    document.build(story)
    return buffer.getvalue()


# --- the customer statement (对账单) ------------------------------------------------


def _period(date_from: datetime.date, date_to: datetime.date) -> str:
    return _("%(first)s to %(last)s") % {
        "first": date_from.isoformat(),
        "last": date_to.isoformat(),
    }


def statement_table(report: CustomerStatement) -> ReportTable:
    columns = (
        Column(_("Date"), Kind.DATE, width=12),
        Column(_("Document"), Kind.TEXT, width=18),
        Column(_("Number"), Kind.CODE, width=20),
        Column(_("Increase"), Kind.AMOUNT, width=15),
        Column(_("Decrease"), Kind.AMOUNT, width=15),
        Column(_("Balance"), Kind.AMOUNT, width=15),
    )
    rows = [
        TableRow(
            (report.date_from, _("Opening balance"), "", None, None, report.opening)
        ),
        *(
            TableRow(
                (
                    line.date,
                    line.label,
                    line.number,
                    line.increase,
                    line.decrease,
                    line.balance,
                )
            )
            for line in report.lines
        ),
        TableRow(
            (
                report.date_to,
                _("Closing balance"),
                "",
                report.increase_total,
                report.decrease_total,
                report.closing,
            ),
            is_total=True,
        ),
    ]
    customer = report.customer
    return ReportTable(
        _("Statement of account: %(customer)s")
        % {"customer": f"{customer.code} {customer.name}"},
        _period(report.date_from, report.date_to),
        columns,
        tuple(rows),
    )


def statement_pdf(company: Company, report: CustomerStatement) -> bytes:
    """对账单 (``selectors.receivables.statement``): opening balance, one
    row per document with the running balance, the closing balance — what
    the customer owes net of advances — and its amount in words, with room
    for the customer to confirm."""
    table = statement_table(report)
    closing = report.closing
    words = amount_in_words(abs(closing))
    note = (
        _("Closing balance owed to us: %(amount)s (%(words)s).")
        if closing >= 0
        else _("Closing balance we owe the customer: %(amount)s (%(words)s).")
    ) % {"amount": amount_text(abs(closing)) or "0.00", "words": words}
    # The ledger's table layout, then the confirmation below it.
    buffer = io.BytesIO()
    document = _document(buffer, table.title, company)
    width = document.width
    story: list[Flowable] = [
        _p(company.name, 13, TA_CENTER),
        Spacer(1, 2 * mm),
        _p(table.title, 15, TA_CENTER),
        Spacer(1, 2 * mm),
        _p(table.period_label + "    " + _("Unit: yuan"), 9, TA_CENTER),
        Spacer(1, 4 * mm),
        _statement_flowable(table, width),
        Spacer(1, 4 * mm),
        _p(note, 10),
        Spacer(1, 4 * mm),
        _p(
            _(
                "Please check the figures above. If they agree, sign and return "
                "this statement; if not, tell us the difference."
            )
        ),
        Spacer(1, 10 * mm),
        _signatures(
            [
                (_("Issued by"), company.name),
                (_("Confirmed by (customer, seal)"), ""),
            ],
            width,
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def _statement_flowable(table: ReportTable, width: float) -> Table:
    weights = [c.width for c in table.columns]
    scale = width / sum(weights)
    data: list[list[Any]] = [[_p(c.label, 9, TA_CENTER) for c in table.columns]]
    for row in table.rows:
        cells: list[Any] = []
        for column, value in zip(table.columns, row.cells, strict=True):
            if column.kind == Kind.AMOUNT:
                cells.append(amount_text(value if isinstance(value, Decimal) else None))
            elif isinstance(value, datetime.date):
                cells.append(value.isoformat())
            else:
                cells.append(_p(str(value or "")))
        data.append(cells)
    flowable = Table(data, colWidths=[w * scale for w in weights], repeatRows=1)
    flowable.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 1), (0, -1), FIGURES, 9),
                ("FONT", (3, 1), (5, -1), FIGURES, 9),
                ("ALIGN", (3, 1), (5, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("BOX", (0, 0), (-1, -1), 0.9, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL),
            ]
        )
    )
    return flowable


# --- the aging (账龄分析) ------------------------------------------------------------


def aging_table(report: Aging) -> ReportTable:
    group = _("Open amount by age (days)")
    columns = (
        Column(_("Customer code"), Kind.CODE, width=12),
        Column(_("Customer"), Kind.TEXT, width=24),
        *(Column(b.label, Kind.AMOUNT, group, 13) for b in report.buckets),
        Column(_("Open total"), Kind.AMOUNT, width=14),
        Column(_("Advances"), Kind.AMOUNT, width=13),
        Column(_("Balance"), Kind.AMOUNT, width=14),
    )
    rows = [
        TableRow(
            (
                row.customer_code,
                row.customer_name,
                *row.buckets,
                row.open_total,
                row.advances,
                row.balance,
            ),
            is_total=row.customer_id is None,
        )
        for row in (*report.rows, report.totals)
    ]
    basis = _("by document date") if report.basis == "date" else _("by days overdue")
    return ReportTable(
        _("Receivables aging"),
        _("As of %(date)s, %(basis)s")
        % {"date": report.as_of.isoformat(), "basis": basis},
        columns,
        tuple(rows),
    )


def aging_xlsx(company: Company, report: Aging) -> bytes:
    return table_xlsx(company, aging_table(report))
