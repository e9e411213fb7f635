"""Printing to PDF: the 记账凭证 in its classic layout, and tabular reports.

Chinese text uses ReportLab's built-in CID font STSong-Light (Adobe's
Simplified Chinese collection, Adobe-GB1): the PDF names the font instead of
embedding it, so files stay small and no font file ships with the product.
Every PDF reader that displays Chinese has it or substitutes its own Song
typeface (Acrobat, pdf.js, Chrome, Preview, poppler).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from zhongshu.core.models import Company
from zhongshu.core.money import amount_in_words
from zhongshu.ledger.exports import tables
from zhongshu.ledger.exports.tables import Column, Kind, Row
from zhongshu.ledger.models import Account, Voucher, VoucherLine
from zhongshu.ledger.selectors.reports import (
    AccountDetail,
    DimensionBalanceRow,
    GeneralLedgerRow,
    TrialBalance,
    VoucherSummary,
)
from zhongshu.ledger.selectors.statements import Statement

Align = Literal[0, 1, 2]  # TA_LEFT, TA_CENTER, TA_RIGHT

FONT = "STSong-Light"
# Figures print in a Latin face with even digit widths: they line up in
# columns, and do not depend on which Song face a reader substitutes.
FIGURES = "Helvetica"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

INK = colors.HexColor("#1F2933")
RULE = colors.HexColor("#5B6B7A")
RED = colors.HexColor("#C62828")
HEADER_FILL = colors.HexColor("#E7ECF3")
TOTAL_FILL = colors.HexColor("#F3F3F3")

# One voucher sheet (凭证纸) holds this many lines; longer vouchers continue
# on further sheets numbered 1/2, 2/2 under the same voucher number.
VOUCHER_ROWS_PER_PAGE = 7


# --- shared drawing helpers ------------------------------------------------------


def _style(size: float, align: Align = TA_LEFT, **extra: Any) -> ParagraphStyle:
    options: dict[str, Any] = {"textColor": INK, "fontName": FONT, **extra}
    return ParagraphStyle(
        f"zh-{size}-{align}",
        fontSize=size,
        leading=size * 1.25,
        alignment=align,
        wordWrap="CJK",
        **options,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bold_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, space: float = 0
) -> float:
    """Draw ``text`` centred on ``x`` in a faux bold (fill and stroke): the
    CID font has no bold face. Returns the drawn width."""
    width = pdfmetrics.stringWidth(text, FONT, size) + space * (len(text) - 1)
    label = canvas.beginText(x - width / 2, y)
    label.setFont(FONT, size)
    label.setCharSpace(space)
    label.setTextRenderMode(2)
    label.textOut(text)
    canvas.saveState()
    canvas.setLineWidth(size / 40)
    canvas.setFillColor(INK)
    canvas.setStrokeColor(INK)
    canvas.drawText(label)
    canvas.restoreState()
    return width


def _date_text(day: datetime.date) -> str:
    return _("%(year)d-%(month)02d-%(day)02d") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def _amount_cell(value: Decimal | None, size: float) -> Paragraph | str:
    text = tables.amount_text(value)
    if value is not None and value < 0:
        style = _style(size, TA_RIGHT, textColor=RED, fontName=FIGURES)
        return Paragraph(text, style)
    return text


# --- the voucher -------------------------------------------------------------------


def voucher_pdf(voucher: Voucher, *, cashier: str = "") -> bytes:
    """记账凭证 on A5 landscape voucher paper: title, company, date, voucher
    number and attachments; 摘要 | 会计科目 | 借方金额 | 贷方金额 lines; the
    合计 with the total in words (大写); and who posted, reviewed, paid and
    prepared it. Load the voucher with its lines, accounts and people
    (``selectors.vouchers.get_voucher``)."""
    lines = list(voucher.lines.all())
    labels = _account_labels(voucher, lines)
    pages = [
        lines[i : i + VOUCHER_ROWS_PER_PAGE]
        for i in range(0, max(len(lines), 1), VOUCHER_ROWS_PER_PAGE)
    ]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A5))
    canvas.setTitle(_("Voucher %(number)s") % {"number": voucher.display_number})
    canvas.setAuthor(voucher.company.name)
    canvas.setCreator("Zhongshu")
    for index, page_lines in enumerate(pages, start=1):
        sheet = _VoucherSheet(voucher, labels, cashier, index, len(pages))
        sheet.draw(canvas, page_lines)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _account_labels(voucher: Voucher, lines: Sequence[VoucherLine]) -> dict[int, str]:
    """ "100201 银行存款—工商银行": a line's account with the names of its
    ancestors, read in one query (a parent's code prefixes its children's)."""
    codes = {line.account.code for line in lines}
    prefixes = {code[:n] for code in codes for n in range(1, len(code) + 1)}
    names = dict(
        Account.objects.filter(
            company_id=voucher.company_id, code__in=prefixes
        ).values_list("code", "name")
    )
    labels = {}
    for line in lines:
        code = line.account.code
        path = [names[code[:n]] for n in range(1, len(code) + 1) if code[:n] in names]
        labels[line.account_id] = f"{code} {'—'.join(path or [line.account.name])}"
    return labels


class _VoucherSheet:
    """One page of a voucher; the geometry of the classic paper form."""

    width, height = landscape(A5)
    margin = 14 * mm
    row_height = 9.5 * mm
    column_widths = (50 * mm, 72 * mm, 30 * mm, 30 * mm)

    def __init__(
        self,
        voucher: Voucher,
        labels: dict[int, str],
        cashier: str,
        page: int,
        pages: int,
    ) -> None:
        self.voucher = voucher
        self.labels = labels
        self.cashier = cashier
        self.page = page
        self.pages = pages

    def draw(self, canvas: Canvas, lines: Sequence[VoucherLine]) -> None:
        top = self.height - self.margin
        self._draw_heading(canvas, top)
        table = self._table(lines)
        table_width = sum(self.column_widths)
        _w, table_height = table.wrapOn(canvas, table_width, self.height)
        x = (self.width - table_width) / 2
        table_top = top - 19 * mm
        table.drawOn(canvas, x, table_top - table_height)
        self._draw_signatures(canvas, x, table_top - table_height - 7 * mm)

    def _draw_heading(self, canvas: Canvas, top: float) -> None:
        centre = self.width / 2
        title = _("Accounting voucher")
        title_width = _bold_text(canvas, centre, top - 6 * mm, title, 18, space=6)
        canvas.setStrokeColor(INK)
        for offset, weight in ((8.2 * mm, 0.9), (9.2 * mm, 0.4)):
            canvas.setLineWidth(weight)
            canvas.line(
                centre - title_width / 2 - 4 * mm,
                top - offset,
                centre + title_width / 2 + 4 * mm,
                top - offset,
            )
        canvas.setFont(FONT, 9.5)
        canvas.setFillColor(INK)
        left = (self.width - sum(self.column_widths)) / 2
        right = self.width - left
        attachments = _("Attachments: %(count)d") % {"count": self.voucher.attachments}
        canvas.drawRightString(right, top - 6 * mm, attachments)
        info_y = top - 16 * mm
        canvas.drawString(
            left, info_y, _("Company: %(name)s") % {"name": self.voucher.company.name}
        )
        canvas.drawCentredString(centre, info_y, _date_text(self.voucher.date))
        canvas.drawRightString(right, info_y, self._number_text())

    def _number_text(self) -> str:
        text = _("Voucher no.: %(number)s") % {"number": self.voucher.display_number}
        if self.pages > 1:
            text += f"  ({self.page}/{self.pages})"
        return text

    def _table(self, lines: Sequence[VoucherLine]) -> Table:
        head = _style(10.5, TA_CENTER)
        body = _style(9.5)
        data: list[list[Any]] = [
            [
                Paragraph(_escape(_("Summary")), head),
                Paragraph(_escape(_("Account")), head),
                Paragraph(_escape(_("Debit amount")), head),
                Paragraph(_escape(_("Credit amount")), head),
            ]
        ]
        for line in lines:
            data.append(
                [
                    Paragraph(_escape(line.summary), body),
                    Paragraph(_escape(self.labels[line.account_id]), body),
                    _amount_cell(line.debit or None, 9.5),
                    _amount_cell(line.credit or None, 9.5),
                ]
            )
        data.extend([["", "", "", ""]] * (VOUCHER_ROWS_PER_PAGE - len(lines)))
        data.append(self._total_row(body))
        table = Table(
            data,
            colWidths=self.column_widths,
            rowHeights=[self.row_height] * len(data),
        )
        table.setStyle(self._table_style(len(data)))
        return table

    def _total_row(self, style: ParagraphStyle) -> list[Any]:
        if self.page < self.pages:
            note = _("Continued on the next page")
            return [Paragraph(_escape(note), style), "", "", ""]
        total = self.voucher.total
        words = _("Total: %(words)s") % {"words": amount_in_words(total)}
        return [
            Paragraph(_escape(words), style),
            "",
            _amount_cell(total, 9.5),
            _amount_cell(total, 9.5),
        ]

    @staticmethod
    def _table_style(rows: int) -> TableStyle:
        last = rows - 1
        return TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("FONT", (2, 1), (3, -1), FIGURES, 9.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 1), (3, -1), "RIGHT"),
                ("BOX", (0, 0), (-1, -1), 1.2, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
                ("LINEABOVE", (0, last), (-1, last), 0.9, INK),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("SPAN", (0, last), (1, last)),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )

    def _draw_signatures(self, canvas: Canvas, x: float, y: float) -> None:
        people = (
            (_("Posted by"), tables.person_name(self.voucher.posted_by)),
            (_("Reviewed by"), tables.person_name(self.voucher.reviewed_by)),
            (_("Cashier"), self.cashier),
            (_("Prepared by"), tables.person_name(self.voucher.maker)),
        )
        slot = sum(self.column_widths) / len(people)
        canvas.setFont(FONT, 9.5)
        canvas.setFillColor(INK)
        for index, (role, name) in enumerate(people):
            canvas.drawString(
                x + index * slot,
                y,
                _("%(role)s: %(name)s") % {"role": role, "name": name},
            )


# --- tabular reports ---------------------------------------------------------------


def report_pdf(
    title: str,
    company: Company,
    period_label: str,
    columns: Sequence[Column],
    rows: Iterable[Row | Sequence[tables.Cell]],
) -> bytes:
    """A report on A4 (landscape when it is wide): title, company, period and
    unit on every page, the column header repeated, page x of y below."""
    body = tuple(row if isinstance(row, Row) else Row(tuple(row)) for row in rows)
    table = tables.Table(title, period_label, tuple(columns), body)
    return table_pdf(company, table)


def table_pdf(company: Company, table: tables.Table) -> bytes:
    pagesize = landscape(A4) if len(table.columns) > 6 else A4
    buffer = io.BytesIO()
    margin = 12 * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 20 * mm,
        bottomMargin=margin + 6 * mm,
        title=table.title,
        author=company.name,
        creator="Zhongshu",
    )
    heading = _ReportHeading(company, table)
    document.build(
        [_report_table(table, document.width)],
        onFirstPage=heading.draw,
        onLaterPages=heading.draw,
        canvasmaker=_PageCountCanvas,
    )
    return buffer.getvalue()


def trial_balance_pdf(
    company: Company, tb: TrialBalance, *, period_label: str | None = None
) -> bytes:
    """科目余额表 (``selectors.reports.trial_balance``)."""
    return table_pdf(company, tables.trial_balance_table(tb, period_label))


def statement_pdf(
    company: Company, statement: Statement, *, period_label: str | None = None
) -> bytes:
    """资产负债表 or 利润表 (``selectors.statements``) in the statutory layout."""
    return table_pdf(company, tables.statement_table(statement, period_label))


def account_detail_pdf(
    company: Company, detail: AccountDetail, *, period_label: str | None = None
) -> bytes:
    """明细分类账 or 辅助明细账: one page of ``selectors.reports.account_detail``
    or ``dimension_detail``."""
    return table_pdf(company, tables.account_detail_table(detail, period_label))


def general_ledger_pdf(
    company: Company,
    rows: Iterable[GeneralLedgerRow],
    *,
    account_label: str,
    year: int,
) -> bytes:
    """总分类账 (``selectors.reports.general_ledger``)."""
    table = tables.general_ledger_table(rows, account_label=account_label, year=year)
    return table_pdf(company, table)


def dimension_balances_pdf(
    company: Company,
    rows: Iterable[DimensionBalanceRow],
    *,
    account_label: str,
    dimension: str,
    period_label: str,
) -> bytes:
    """辅助核算余额表 (``selectors.reports.dimension_balances``)."""
    table = tables.dimension_balances_table(
        rows,
        account_label=account_label,
        dimension=dimension,
        period_label=period_label,
    )
    return table_pdf(company, table)


def voucher_summary_pdf(
    company: Company, summary: VoucherSummary, *, period_label: str
) -> bytes:
    """凭证汇总表 (``selectors.reports.voucher_summary``)."""
    return table_pdf(company, tables.voucher_summary_table(summary, period_label))


class _ReportHeading:
    """Title, company, period and unit, drawn above the table on each page."""

    def __init__(self, company: Company, table: tables.Table) -> None:
        self.company = company
        self.table = table

    def draw(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = document.pagesize
        left = document.leftMargin
        right = width - document.rightMargin
        top = height - 12 * mm
        _bold_text(canvas, width / 2, top - 7 * mm, self.table.title, 16, space=2)
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.setFillColor(INK)
        info_y = top - 16 * mm
        canvas.drawString(
            left, info_y, _("Company: %(name)s") % {"name": self.company.name}
        )
        canvas.drawCentredString(width / 2, info_y, self.table.period_label)
        canvas.drawRightString(right, info_y, _("Unit: yuan"))
        if self.table.form:
            canvas.drawRightString(right, top - 7 * mm, self.table.form)
        canvas.restoreState()


class _PageCountCanvas(Canvas):
    """Defers each page until the count is known, to print "page x of y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # untyped in the stubs

    def save(self) -> None:
        count = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, count)
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, count: int) -> None:
        width, _height = self._pagesize  # type: ignore[attr-defined]
        self.setFont(FONT, 8.5)
        self.setFillColor(RULE)
        self.drawCentredString(
            width / 2,
            10 * mm,
            _("Page %(page)d of %(pages)d") % {"page": number, "pages": count},
        )


def _report_table(table: tables.Table, available_width: float) -> Table:
    columns = table.columns
    scale = available_width / sum(c.width for c in columns)
    widths = [c.width * scale for c in columns]
    header = _header_rows(columns)
    size = _font_size(columns)
    data = [*header]
    for row in table.rows:
        data.append(
            [
                _report_cell(column, value, size, indent)
                for column, value, indent in zip(
                    columns, row.cells, tables.indents(columns, row), strict=True
                )
            ]
        )
    flowable = Table(data, colWidths=widths, repeatRows=len(header))
    flowable.setStyle(_report_style(table, len(header)))
    return flowable


def _header_rows(columns: Sequence[Column]) -> list[list[Any]]:
    style = _style(9, TA_CENTER)
    if not tables.has_groups(columns):
        return [[Paragraph(_escape(c.label), style) for c in columns]]
    top: list[Any] = [""] * len(columns)
    bottom: list[Any] = [""] * len(columns)
    for first, _last, label in tables.header_spans(columns):
        top[first] = Paragraph(_escape(label), style)
    for index, column in enumerate(columns):
        if column.group:
            bottom[index] = Paragraph(_escape(column.label), style)
    return [top, bottom]


def _report_cell(column: Column, value: tables.Cell, size: float, indent: int) -> Any:
    if column.kind == Kind.AMOUNT:
        return _amount_cell(value if isinstance(value, Decimal) else None, size)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if column.kind == Kind.TEXT:
        return Paragraph(_escape(str(value)), _style(size, leftIndent=indent * size))
    return str(value)


def _font_size(columns: Sequence[Column]) -> float:
    """Wide reports (a trial balance, a two-sided balance sheet) print
    smaller, so that the balance sheet's 30 lines fit one page."""
    return 8 if len(columns) >= 8 else 9


def _report_style(table: tables.Table, header_rows: int) -> TableStyle:
    padding = 1.4 if _font_size(table.columns) < 9 else 2.5
    commands: list[Any] = [
        ("FONT", (0, 0), (-1, -1), FONT, _font_size(table.columns)),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (0, 0), (-1, -1), 0.9, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, INK),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    size = _font_size(table.columns)
    for index, column in enumerate(table.columns):
        if column.kind in (Kind.AMOUNT, Kind.NUMBER, Kind.DATE):
            commands.append(("FONT", (index, header_rows), (index, -1), FIGURES, size))
        if column.kind == Kind.AMOUNT:
            commands.append(("ALIGN", (index, header_rows), (index, -1), "RIGHT"))
        elif column.kind in (Kind.NUMBER, Kind.DATE, Kind.CODE):
            align = "CENTER" if column.kind == Kind.NUMBER else "LEFT"
            commands.append(("ALIGN", (index, header_rows), (index, -1), align))
    if header_rows == 2:
        for first, last, _label in tables.header_spans(table.columns):
            bottom = 0 if table.columns[first].group else 1
            commands.append(("SPAN", (first, 0), (last, bottom)))
    for offset, row in enumerate(table.rows, start=header_rows):
        if row.is_total:
            commands.append(("BACKGROUND", (0, offset), (-1, offset), TOTAL_FILL))
    return TableStyle(commands)
