"""Exports: reports to Excel, vouchers and reports to PDF.

The workbooks are read back with openpyxl and the PDFs with pypdf; where
poppler's ``pdftoppm`` is installed the voucher is also rendered to an image
that must carry ink where the title and the table are.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.utils import translation
from PIL import Image

from zhongshu.core.testing import make_user
from zhongshu.ledger import exports, services
from zhongshu.ledger.exports import Column, Kind, Row, tables
from zhongshu.ledger.models import Account, Period
from zhongshu.ledger.selectors import reports, statements
from zhongshu.ledger.selectors.vouchers import get_voucher, list_vouchers
from zhongshu.ledger.testing import accountant, company_with_books, line, posted

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2026, 1, 10)
FEBRUARY = datetime.date(2026, 2, 15)


@pytest.fixture(autouse=True)
def english():
    # The msgids are English; zh-hans comes from the catalogue.
    with translation.override("en"):
        yield


@pytest.fixture
def books():
    company = company_with_books("EXPORT")
    company.name = "杭州明远商贸有限公司"
    company.save(update_fields=["name"])
    return company


def capital_and_purchase(books):
    """January: 100,000.00 of capital paid into the bank. February: goods for
    10,000.00 plus 1,300.00 input VAT (13 %) paid from the bank."""
    posted(
        books,
        JANUARY,
        line("收到投资款", "1002", debit="100000.00"),
        line("收到投资款", "3001", credit="100000.00"),
    )
    posted(
        books,
        FEBRUARY,
        line("采购商品", "1405", debit="10000.00"),
        line("采购商品 进项税额", "22210101", debit="1300.00"),
        line("支付货款", "1002", credit="11300.00"),
    )


def period(books, number):
    return Period.objects.get(company=books, year=2026, number=number)


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def amounts(sheet, row, first="C", last="J"):
    """Amount cells of a row as Decimals; blank (zero) cells as None."""
    cells = sheet[f"{first}{row}:{last}{row}"][0]
    return [None if c.value is None else Decimal(str(c.value)) for c in cells]


def values(cells):
    """Cell values, dates as dates (openpyxl reads them as datetimes)."""
    return [
        c.value.date() if isinstance(c.value, datetime.datetime) else c.value
        for c in cells
    ]


def row_of(sheet, column, value):
    for cell in sheet[column]:
        if cell.value == value:
            return cell.row
    raise AssertionError(f"{value!r} not in column {column}")


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


# --- Excel ---------------------------------------------------------------------


def test_trial_balance_workbook_has_the_chinese_layout(books):
    # given
    capital_and_purchase(books)
    tb = reports.trial_balance(
        books, from_period=period(books, 2), to_period=period(books, 2)
    )
    # when
    sheet = workbook(exports.trial_balance_xlsx(books, tb))
    # then: title, company and period, a two-row header, frozen below it
    assert sheet["A1"].value == "Trial balance"
    assert sheet["A2"].value == "Company: 杭州明远商贸有限公司"
    assert sheet["D2"].value == "Period 2026-02"
    assert sheet["H2"].value == "Unit: yuan"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:J1", "A3:A4", "B3:B4", "C3:D3", "E3:F3", "G3:H3", "I3:J3"} <= merged
    assert [sheet.cell(3, c).value for c in (1, 2, 3, 5, 7, 9)] == [
        "Account code",
        "Account name",
        "Opening balance",
        "Movements in the period",
        "Year to date",
        "Closing balance",
    ]
    assert [c.value for c in sheet[4][2:4]] == ["Debit", "Credit"]
    assert sheet.freeze_panes == "A5"
    # 1002 bank: opened February with January's 100,000.00, paid 11,300.00,
    # year to date 100,000.00 in and 11,300.00 out, 88,700.00 left (debit).
    bank = row_of(sheet, "A", "1002")
    assert sheet[f"B{bank}"].value == "银行存款"
    assert amounts(sheet, bank) == [
        Decimal("100000.00"),
        None,
        None,
        Decimal("11300.00"),
        Decimal("100000.00"),
        Decimal("11300.00"),
        Decimal("88700.00"),
        None,
    ]
    assert sheet[f"C{bank}"].number_format == "#,##0.00"
    # 22210101 input VAT sits at level 3, indented twice under 2221
    vat = row_of(sheet, "A", "22210101")
    assert sheet[f"B{vat}"].alignment.indent == 2
    # 合计 over the level-1 accounts balances: 100,000.00 opening each side,
    # 11,300.00 moved each side, 111,300.00 for the year, 100,000.00 closing.
    total = sheet.max_row
    assert sheet[f"B{total}"].value == "Total"
    assert sheet[f"B{total}"].font.b
    assert amounts(sheet, total) == [
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("11300.00"),
        Decimal("11300.00"),
        Decimal("111300.00"),
        Decimal("111300.00"),
        Decimal("100000.00"),
        Decimal("100000.00"),
    ]


def test_amounts_are_written_exactly_as_decimals(books):
    # given: an amount a binary float cannot hold (0.1 + 0.2 ≠ 0.3 in floats)
    posted(
        books,
        JANUARY,
        line("零钱", "1001", debit="1234567890.13"),
        line("零钱", "3001", credit="1234567890.13"),
    )
    tb = reports.trial_balance(
        books, from_period=period(books, 1), to_period=period(books, 1)
    )
    # when
    data = exports.trial_balance_xlsx(books, tb)
    # then: the sheet's XML carries the decimal string itself
    sheet = workbook(data)
    cash = row_of(sheet, "A", "1001")
    assert Decimal(str(sheet[f"E{cash}"].value)) == Decimal("1234567890.13")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>1234567890.13</v>" in xml


def test_account_detail_workbook_runs_the_balance(books):
    # given
    capital_and_purchase(books)
    bank = Account.objects.get(company=books, code="1002")
    detail = reports.account_detail(
        books, account=bank, from_period=period(books, 1), to_period=period(books, 2)
    )
    # when
    sheet = workbook(exports.account_detail_xlsx(books, detail))
    # then
    assert sheet["A1"].value == "Account detail: 1002 银行存款"
    assert sheet["C2"].value == "Periods 2026-01 to 2026-02"
    header = [c.value for c in sheet[3]]
    assert header == [
        "Date",
        "Voucher no.",
        "Summary",
        "Debit",
        "Credit",
        "Dr/Cr",
        "Balance",
    ]
    rows = [values(row) for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row)]
    # opening 0 (平); +100,000.00 → 借 100,000.00; −11,300.00 → 借 88,700.00
    assert rows == [
        [
            datetime.date(2026, 1, 1),
            None,
            "Opening balance",
            None,
            None,
            "Flat",
            None,
        ],
        [JANUARY, "记-0001", "收到投资款", 100000, None, "Debit", 100000],
        [FEBRUARY, "记-0001", "支付货款", None, 11300, "Debit", 88700],
        [
            datetime.date(2026, 2, 28),
            None,
            "Total for the range",
            100000,
            11300,
            "Debit",
            88700,
        ],
    ]
    assert sheet["A5"].number_format == "yyyy-mm-dd"


def customer_receivables(books):
    """112201 tracks customers: customer 7 opens owing 600.00, customer 8
    400.00; in January customer 7 is billed 500.00 and pays 300.00."""
    owner = accountant(books, "setup")
    services.add_account(
        company=books,
        actor=owner,
        parent_code="1122",
        code="112201",
        name="货款",
        dimensions=["customer"],
    )
    services.set_opening_balances(
        company=books,
        actor=owner,
        balances={
            "112201": services.OpeningInput(
                debit=Decimal("1000.00"),
                by_dimension={
                    "customer": {
                        7: services.OpeningFigures(debit=Decimal("600.00")),
                        8: services.OpeningFigures(debit=Decimal("400.00")),
                    }
                },
            ),
            "3001": services.OpeningInput(credit=Decimal("1000.00")),
        },
    )
    posted(
        books,
        JANUARY,
        line("销售商品", "112201", debit="500.00", customer=7),
        line("销售商品", "5001", credit="500.00"),
    )
    posted(
        books,
        JANUARY,
        line("收款", "1002", debit="300.00"),
        line("收款", "112201", credit="300.00", customer=7),
    )
    return Account.objects.get(company=books, code="112201")


def test_dimension_balances_workbook_lists_each_customer_and_the_total(books):
    # given
    account = customer_receivables(books)
    rows = reports.dimension_balances(
        books,
        account=account,
        dimension="customer",
        from_period=period(books, 1),
        to_period=period(books, 1),
    )
    # when
    sheet = workbook(
        exports.dimension_balances_xlsx(
            books,
            rows,
            account_label="112201 货款",
            dimension="customer",
            period_label="2026-01",
        )
    )
    # then
    assert sheet["A1"].value == "Dimension balances: 112201 货款"
    assert sheet["A3"].value == "Customer"
    # customer 7: 600.00 opening, 500.00 billed and 300.00 paid (also the
    # year to date), 800.00 closing; customer 8: 400.00 throughout
    assert [c.value for c in sheet["A"][4:7]] == [7, 8, "Total"]
    assert amounts(sheet, 5, "B", "I") == [
        Decimal("600.00"),
        None,
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("800.00"),
        None,
    ]
    # the total: 1,000.00 opening and 1,200.00 closing, as the account
    assert amounts(sheet, 7, "B", "I") == [
        Decimal("1000.00"),
        None,
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("500.00"),
        Decimal("300.00"),
        Decimal("1200.00"),
        None,
    ]
    assert sheet["A7"].font.b


def test_a_customers_detail_pdf_names_the_customer(books):
    # given
    account = customer_receivables(books)
    detail = reports.dimension_detail(
        books,
        account=account,
        dimension="customer",
        value_id=7,
        from_period=period(books, 1),
        to_period=period(books, 1),
    )
    # when
    (text,) = pdf_text(exports.account_detail_pdf(books, detail))
    # then: 600.00 + 500.00 = 1,100.00, − 300.00 = 800.00
    assert "Account detail: 112201 货款 · Customer 7" in text
    for figure in ("600.00", "1,100.00", "800.00"):
        assert figure in text


def test_vouchers_workbook_lists_every_line_with_its_voucher(books):
    # given
    capital_and_purchase(books)
    # when
    sheet = workbook(exports.vouchers_xlsx(books, list_vouchers(books)))
    # then: 2 + 3 lines, then the total of both vouchers (111,300.00 a side)
    assert sheet["A1"].value == "Vouchers"
    assert [c.value for c in sheet[3]][:8] == [
        "Date",
        "Voucher no.",
        "Attachments",
        "Summary",
        "Account code",
        "Account name",
        "Debit",
        "Credit",
    ]
    assert sheet.max_row == 3 + 5 + 1
    assert [c.value for c in sheet[5]][1:8] == [
        "记-0001",
        0,
        "收到投资款",
        "3001",
        "实收资本",
        None,
        100000,
    ]
    assert amounts(sheet, 9, "G", "H") == [Decimal("111300.00"), Decimal("111300.00")]


def test_general_ledger_and_voucher_summary_workbooks(books):
    # given
    capital_and_purchase(books)
    bank = Account.objects.get(company=books, code="1002")
    ledger = reports.general_ledger(books, account=bank, year=2026)
    summary = reports.voucher_summary(
        books, from_period=period(books, 1), to_period=period(books, 2)
    )
    # when
    ledger_sheet = workbook(
        exports.general_ledger_xlsx(
            books, ledger, account_label="1002 银行存款", year=2026
        )
    )
    summary_sheet = workbook(
        exports.voucher_summary_xlsx(
            books, summary, period_label="Periods 2026-01 to 2026-02"
        )
    )
    # then: the opening row, then 本月合计 and 本年累计 of January and February
    assert ledger_sheet["A1"].value == "General ledger: 1002 银行存款"
    assert ledger_sheet.max_row == 3 + 1 + 4
    # February: 11,300.00 out, 88,700.00 left; the year 100,000.00 in
    assert amounts(ledger_sheet, 7, "C", "D") == [None, Decimal("11300.00")]
    assert amounts(ledger_sheet, 8, "C", "D") == [
        Decimal("100000.00"),
        Decimal("11300.00"),
    ]
    assert ledger_sheet["F8"].value == 88700
    # 凭证汇总表: two vouchers, 111,300.00 a side over 1002, 1405, 2221, 3001
    assert [c.value for c in summary_sheet["A"][3:7]] == [
        "1002",
        "1405",
        "2221",
        "3001",
    ]
    total = summary_sheet.max_row
    assert summary_sheet[f"B{total}"].value == "Total (2 vouchers)"
    assert amounts(summary_sheet, total, "C", "D") == [
        Decimal("111300.00"),
        Decimal("111300.00"),
    ]


def test_balance_sheet_workbook_faces_assets_and_liabilities(books):
    # given
    capital_and_purchase(books)
    sheet_data = statements.balance_sheet(books, period=period(books, 2))
    # when
    sheet = workbook(exports.statement_xlsx(books, sheet_data))
    # then: the form's two halves side by side, each with its row numbers
    assert sheet["A1"].value == sheet_data.title_en
    assert sheet["G2"].value == "会小企01表  Unit: yuan"
    assert [sheet.cell(3, c).value for c in (1, 2, 5, 6)] == [
        "Assets",
        "Row",
        "Liabilities and owners' equity",
        "Row",
    ]
    assets = {sheet[f"B{r}"].value: sheet[f"C{r}"].value for r in range(4, 40)}
    claims = {sheet[f"F{r}"].value: sheet[f"G{r}"].value for r in range(4, 40)}
    # 货币资金 (row 1): 100,000.00 − 11,300.00 = 88,700.00; 存货 (row 9):
    # 10,000.00; 资产总计 (row 30) = 负债和所有者权益总计 (row 53) = the
    # 100,000.00 of 实收资本 (row 48)
    assert assets[1] == 88700
    assert assets[9] == 10000
    assert assets[30] == 100000
    assert claims[48] == 100000
    assert claims[53] == 100000


def test_income_statement_pdf_prints_the_form(books):
    # given: February sales of 20,000.00 on credit
    posted(
        books,
        FEBRUARY,
        line("销售商品", "1122", debit="20000.00"),
        line("销售商品", "5001", credit="20000.00"),
    )
    income = statements.income_statement(books, period=period(books, 2))
    # when
    (text,) = pdf_text(exports.statement_pdf(books, income))
    # then: 营业收入 20,000.00 this month and for the year
    assert income.title_en in text
    assert "会小企02表" in text
    assert "Period 2026-02" in text
    assert text.count("20,000.00") >= 2


def test_income_statement_workbook_lists_the_form_lines(books):
    # given: February sales of 20,000.00 on credit
    posted(
        books,
        FEBRUARY,
        line("销售商品", "1122", debit="20000.00"),
        line("销售商品", "5001", credit="20000.00"),
    )
    income = statements.income_statement(books, period=period(books, 2))
    # when
    sheet = workbook(exports.statement_xlsx(books, income, period_label="2026-02"))
    # then: one column of line items, the row numbers, this year and this month
    assert sheet["A1"].value == income.title_en
    assert [c.value for c in sheet[3]] == [
        "Line item",
        "Row",
        *(column.label_en for column in income.columns),
    ]
    assert sheet.freeze_panes == "A4"
    revenue = row_of(sheet, "B", 1)
    # 营业收入 (row 1): 20,000.00 for the year and for the month
    assert [c.value for c in sheet[revenue]][2:] == [20000, 20000]


def test_header_spans_pair_grouped_columns():
    columns = (
        Column("code"),
        Column("Dr", Kind.AMOUNT, "opening"),
        Column("Cr", Kind.AMOUNT, "opening"),
        Column("Dr", Kind.AMOUNT, "closing"),
        Column("Cr", Kind.AMOUNT, "closing"),
        Column("note"),
    )
    assert tables.header_spans(columns) == [
        (0, 0, "code"),
        (1, 2, "opening"),
        (3, 4, "closing"),
        (5, 5, "note"),
    ]


def test_people_are_named_as_they_write_their_names():
    wang = make_user("wangqiang")
    wang.first_name, wang.last_name = "强", "王"
    ada = make_user("ada")
    ada.first_name, ada.last_name = "Ada", "Lovelace"
    assert tables.person_name(wang) == "王强"
    assert tables.person_name(ada) == "Ada Lovelace"
    assert tables.person_name(make_user("nameless")) == "nameless"
    assert tables.person_name(None) == ""


# --- PDF -----------------------------------------------------------------------


def reviewed_and_posted_purchase(books):
    maker = accountant(books, "lixiaohong")
    maker.first_name, maker.last_name = "小红", "李"
    maker.save(update_fields=["first_name", "last_name"])
    boss = accountant(books, "wangqiang")
    boss.first_name, boss.last_name = "强", "王"
    boss.save(update_fields=["first_name", "last_name"])
    voucher = services.create_voucher(
        company=books,
        actor=maker,
        date=datetime.date(2026, 3, 15),
        attachments=2,
        lines=[
            line("采购商品一批", "1405", debit="10000.00"),
            line("采购商品一批 进项税额", "22210101", debit="1300.00"),
            line("支付货款", "1002", credit="11300.00"),
        ],
    )
    services.review_voucher(voucher=voucher, actor=boss)
    services.post_reviewed_voucher(voucher=voucher, actor=boss)
    return get_voucher(books, voucher.pk)


def test_voucher_pdf_prints_the_classic_voucher(books, django_assert_max_num_queries):
    # given
    voucher = reviewed_and_posted_purchase(books)
    # when: the company and the account names along each line's path
    with django_assert_max_num_queries(2):
        data = exports.voucher_pdf(voucher, cashier="张敏")
    # then
    assert data.startswith(b"%PDF-")
    (text,) = pdf_text(data)
    for expected in (
        "Accounting voucher",
        "Attachments: 2",
        "Company: 杭州明远商贸有限公司",
        "2026-03-15",
        "Voucher no.: 记-0001",
        "Summary",
        "Debit amount",
        "采购商品一批 进项税额",
        "22210101 应交税费—应交增值税—进项税额",
        "1405 库存商品",
        "10,000.00",
        "1,300.00",
        # 合计 11,300.00 in words: 壹万壹仟叁佰元整
        "Total: 壹万壹仟叁佰元整",
        "Posted by: 王强",
        "Reviewed by: 王强",
        "Cashier: 张敏",
        "Prepared by: 李小红",
    ):
        assert expected in text
    assert text.count("11,300.00") == 3  # the bank line and both totals


def test_a_long_voucher_continues_on_a_second_sheet(books):
    # given: nine lines, seven to a sheet
    debits = [line(f"销售商品 {n}", "1122", debit=f"{n}00.00") for n in range(1, 9)]
    voucher = posted(
        books, JANUARY, *debits, line("销售商品", "5001", credit="3600.00")
    )
    # when
    pages = pdf_text(exports.voucher_pdf(get_voucher(books, voucher.pk)))
    # then: the total (100 + … + 800 = 3,600.00) only on the last sheet
    assert len(pages) == 2
    assert "记-0001  (1/2)" in pages[0]
    assert "Continued on the next page" in pages[0]
    assert "叁仟陆佰元整" not in pages[0]
    assert "记-0001  (2/2)" in pages[1]
    assert "销售商品 8" in pages[1]
    assert "Total: 叁仟陆佰元整" in pages[1]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler not installed")
def test_the_voucher_renders_with_ink_where_the_text_is(books, tmp_path):
    # given
    pdf = tmp_path / "voucher.pdf"
    pdf.write_bytes(exports.voucher_pdf(reviewed_and_posted_purchase(books)))
    # when
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "60", "-singlefile", pdf, tmp_path / "page"],  # noqa: S607
        check=True,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    # then: dark pixels in the title band (top fifth) and in the table
    width, height = image.size
    title = image.crop((width // 3, 0, 2 * width // 3, height // 5))
    table = image.crop((0, height // 4, width, 3 * height // 4))
    assert sum(title.histogram()[:100]) > 0
    assert sum(table.histogram()[:128]) > 500


def test_report_pdf_repeats_the_heading_on_every_page(books):
    # given: 120 rows, more than one A4 page holds
    columns = [
        Column("Code", Kind.CODE),
        Column("名称", Kind.TEXT, width=20),
        Column("Dr", Kind.AMOUNT, "期末余额"),
        Column("Cr", Kind.AMOUNT, "期末余额"),
    ]
    rows = [(f"{n:04d}", f"科目{n}", Decimal(n) / 4, None) for n in range(1, 120)]
    # 1/4 + 2/4 + … + 119/4 = 119 × 120 / 8 = 1,785.00
    rows.append(Row(("", "合计", Decimal("1785.00"), None), is_total=True))
    # when
    pages = pdf_text(
        exports.report_pdf("科目余额表", books, "Period 2026-03", columns, rows)
    )
    # then
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "科目余额表" in text
        assert "Company: 杭州明远商贸有限公司" in text
        assert "期末余额" in text
        assert f"Page {number} of {len(pages)}" in text
    assert "29.75" in "".join(pages)  # row 119: 119 / 4
    assert "1,785.00" in pages[-1]


def test_trial_balance_pdf_prints_the_selector_rows(books):
    # given
    capital_and_purchase(books)
    tb = reports.trial_balance(
        books, from_period=period(books, 1), to_period=period(books, 2)
    )
    # when
    (text,) = pdf_text(exports.trial_balance_pdf(books, tb))
    # then
    assert "Trial balance" in text
    assert "Periods 2026-01 to 2026-02" in text
    assert "进项税额" in text
    assert "88,700.00" in text
