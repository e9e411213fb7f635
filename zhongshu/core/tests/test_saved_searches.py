"""Saved searches: saved by name (the same name replaces), only the list's own
filter parameters kept, the name and size limits, at most 30 per user and
page, and one user's or company's searches never listed nor deletable by
another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from zhongshu.core import saved_searches, testing
from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company, Role, SavedSearch

pytestmark = pytest.mark.django_db

ORDERS = "sales_orders"
ORDER_FILTERS = frozenset({"q", "customer", "state", "date_from", "date_to"})


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def save(
    company: Company,
    user: User,
    name: str = "本月草稿",
    query: str = "state=draft",
    page_key: str = ORDERS,
) -> SavedSearch:
    return saved_searches.save(
        company=company,
        user=user,
        page_key=page_key,
        name=name,
        query_string=query,
        params=ORDER_FILTERS,
    )


def test_a_search_keeps_only_the_lists_own_non_empty_filters(
    company: Company, owner: User
) -> None:
    # when: the page number, a CSRF token, a foreign and an empty field sent along
    search = save(
        company,
        owner,
        query="?q=%E6%9D%AF&page=3&csrfmiddlewaretoken=abc&sort=x&customer="
        "&state=draft&date_from=2026-03-01",
    )
    # then: q (杯), state and date_from, in their order
    assert search.query_string == "q=%E6%9D%AF&state=draft&date_from=2026-03-01"
    assert list(saved_searches.list_for(company, owner, ORDERS)) == [search]


def test_saving_the_same_name_again_replaces_its_query(
    company: Company, owner: User
) -> None:
    # given
    first = save(company, owner, name="草稿", query="state=draft")
    # when: the same name, spaces around it
    second = save(company, owner, name="  草稿 ", query="state=confirmed")
    # then: one search, the new filter
    assert second.pk == first.pk
    assert list(
        SavedSearch.objects.filter(company=company).values_list("name", "query_string")
    ) == [("草稿", "state=confirmed")]


def test_the_same_name_on_another_page_is_another_search(
    company: Company, owner: User
) -> None:
    # when
    save(company, owner, name="草稿", page_key=ORDERS)
    save(company, owner, name="草稿", page_key="sales_quotations")
    # then
    assert SavedSearch.objects.filter(company=company).count() == 2
    assert [s.page_key for s in saved_searches.list_for(company, owner, ORDERS)] == [
        ORDERS
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the search a name."),
        ("   ", "Give the search a name."),
        ("长" * 61, "A search name has at most 60 characters."),
    ],
)
def test_a_name_is_required_and_short(
    company: Company, owner: User, name: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationError) as raised:
        save(company, owner, name=name)
    # then: nothing written
    assert raised.value.fields == {"name": [message]}
    assert not SavedSearch.objects.exists()


def test_a_name_of_sixty_characters_is_kept(company: Company, owner: User) -> None:
    # when
    search = save(company, owner, name="长" * 60)
    # then
    assert search.name == "长" * 60


def test_a_filter_over_2000_characters_is_refused(
    company: Company, owner: User
) -> None:
    # given: "q=" + 1998 letters = 2000 characters is the most kept
    longest = "q=" + "a" * 1998
    # when
    kept = save(company, owner, name="最长", query=longest)
    with pytest.raises(ValidationError) as raised:
        save(company, owner, name="太长", query=longest + "a")
    # then
    assert len(kept.query_string) == 2000
    assert "at most 2000 characters" in raised.value.message
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["最长"]


def test_at_most_thirty_searches_per_user_and_page(
    company: Company, owner: User
) -> None:
    # given: 30 searches on the orders list
    for n in range(30):
        save(company, owner, name=f"查询 {n:02d}", query=f"q={n}")
    # when: a 31st is refused, replacing one and another page still work
    with pytest.raises(ConflictError) as raised:
        save(company, owner, name="第三十一个")
    replaced = save(company, owner, name="查询 07", query="q=seven")
    elsewhere = save(company, owner, name="第三十一个", page_key="sales_quotations")
    # then
    assert "already have 30 saved searches" in raised.value.message
    assert saved_searches.list_for(company, owner, ORDERS).count() == 30
    assert replaced.query_string == "q=seven"
    assert elsewhere.page_key == "sales_quotations"


def test_the_limit_counts_each_users_own_searches(
    company: Company, owner: User
) -> None:
    # given: the owner's 30 searches
    clerk = testing.member(company, [Role.SALES])
    for n in range(30):
        save(company, owner, name=f"查询 {n:02d}")
    # when
    search = save(company, clerk, name="我的")
    # then
    assert list(saved_searches.list_for(company, clerk, ORDERS)) == [search]


def test_another_users_searches_are_neither_listed_nor_deletable(
    company: Company, owner: User
) -> None:
    # given
    clerk = testing.member(company, [Role.SALES])
    mine = save(company, owner, name="老板的")
    # when
    listed = list(saved_searches.list_for(company, clerk, ORDERS))
    with pytest.raises(NotFoundError):
        saved_searches.delete(company=company, user=clerk, search_id=mine.pk)
    # then
    assert listed == []
    assert SavedSearch.objects.filter(pk=mine.pk).exists()


def test_another_companys_searches_are_neither_listed_nor_deletable(
    company: Company, owner: User, other_company: Company
) -> None:
    # given: the same user's search, kept in the other company
    other_company_search = saved_searches.save(
        company=other_company,
        user=owner,
        page_key=ORDERS,
        name="别家",
        query_string="q=x",
        params=ORDER_FILTERS,
    )
    # when
    listed = list(saved_searches.list_for(company, owner, ORDERS))
    with pytest.raises(NotFoundError):
        saved_searches.delete(
            company=company, user=owner, search_id=other_company_search.pk
        )
    # then
    assert listed == []
    assert SavedSearch.objects.filter(pk=other_company_search.pk).exists()


def test_a_user_deletes_their_own_search(company: Company, owner: User) -> None:
    # given
    keep = save(company, owner, name="保留")
    gone = save(company, owner, name="删除")
    # when
    deleted = saved_searches.delete(company=company, user=owner, search_id=gone.pk)
    # then
    assert deleted.name == "删除"
    assert list(saved_searches.list_for(company, owner, ORDERS)) == [keep]


def test_searches_are_listed_by_name(company: Company, owner: User) -> None:
    # when
    save(company, owner, name="b 已确认")
    save(company, owner, name="a 草稿")
    # then
    assert [s.name for s in saved_searches.list_for(company, owner, ORDERS)] == [
        "a 草稿",
        "b 已确认",
    ]
