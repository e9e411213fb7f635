"""The style page pivots stock on hand by colour × size."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from zhongshu.catalog import services as catalog
from zhongshu.core.models import Company
from zhongshu.inventory import testing as t
from zhongshu.ledger import services as ledger


def test_the_style_page_shows_stock_by_colour_and_size(
    owner_client: Client, company: Company, owner: User
) -> None:
    # given: a T-shirt in red/black × S/M; RED-S has 3 in WH1 and 2 in WH2,
    # BLACK-M has 4 in WH1
    ledger.set_up_books(company=company, first_year=2026)
    catalog.ensure_catalog(company=company)
    catalog.create_attribute(
        company=company, actor=owner, code="C", name="颜色",
        values=[("RED", "红"), ("BLACK", "黑")],
    )  # fmt: skip
    catalog.create_attribute(
        company=company, actor=owner, code="S", name="尺码",
        values=[("S", "S"), ("M", "M")],
    )  # fmt: skip
    style = catalog.create_style(
        company=company,
        actor=owner,
        data=catalog.StyleData(
            code="T1", name="T恤", axes=("C", "S"), base_unit=t.unit(company)
        ),
    )
    variants = {
        p.code: p
        for p in catalog.generate_variants(
            style=style, actor=owner, values={"C": ["RED", "BLACK"], "S": ["S", "M"]}
        )
    }
    wh1, wh2 = t.warehouse(company, "WH1"), t.warehouse(company, "WH2")
    day = datetime.date(2026, 11, 2)
    t.receive(company, day, variants["T1-RED-S"], wh1, "3", "10.00")
    t.receive(company, day, variants["T1-RED-S"], wh2, "2", "10.00")
    t.receive(company, day, variants["T1-BLACK-M"], wh1, "4", "10.00")
    url = reverse("catalog_style", args=[style.pk])
    # when
    everywhere = owner_client.get(url).content.decode()
    in_wh2 = owner_client.get(url, {"warehouse": wh2.pk}).content.decode()

    # then: rows 红, 黑; columns S, M, total
    def figures(html: str) -> list[str]:
        section = html.split('id="stock-matrix"')[1].split("</section>")[0]
        cells = re.findall(r'<td class="num">(.*?)</td>', section, re.S)
        return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]

    assert figures(everywhere) == ["5", "0", "5", "0", "4", "4", "5", "4", "9"]
    assert figures(in_wh2) == ["2", "0", "2", "0", "0", "0", "2", "0", "2"]
