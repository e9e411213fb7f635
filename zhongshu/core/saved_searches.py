"""Saved searches (保存的查询): a list page's filter kept under a name, per user
and company, shown as links above the list.

Documents: SavedSearch (no states). A saved search is one user's preference,
not a record of the company's business: nobody else sees it, it is simply
replaced or deleted, and it leaves no audit entry. Events published: none.

The list page says which query parameters are its filters (``params``);
anything else in the query string — the page number, a CSRF token, a stale
parameter — is dropped, so applying a saved search always lands on page one
of the same filter.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from zhongshu.core.errors import ConflictError, NotFoundError, ValidationError
from zhongshu.core.models import Company, SavedSearch

NAME_MAX_LENGTH = 60
QUERY_MAX_LENGTH = 2000
PAGE_KEY_MAX_LENGTH = 64
MAX_PER_PAGE = 30


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        message = _("Give the search a name.")
        raise ValidationError(message, fields={"name": [message]})
    if len(name) > NAME_MAX_LENGTH:
        message = _("A search name has at most %(count)d characters.") % {
            "count": NAME_MAX_LENGTH
        }
        raise ValidationError(message, fields={"name": [message]})
    return name


def _clean_page_key(page_key: str) -> str:
    if not page_key or len(page_key) > PAGE_KEY_MAX_LENGTH:
        message = _("This page cannot keep saved searches.")
        raise ValidationError(message, fields={"page_key": [message]})
    return page_key


def clean_query(query_string: str, params: Collection[str]) -> str:
    """Only the list's own, non-empty filter parameters, in their order."""
    pairs = parse_qsl(query_string.lstrip("?"), keep_blank_values=False)
    kept = [(key, value) for key, value in pairs if key in params and value.strip()]
    query = urlencode(kept)
    if len(query) > QUERY_MAX_LENGTH:
        message = _(
            "The filter is too long to save (at most %(count)d characters)."
        ) % {"count": QUERY_MAX_LENGTH}
        raise ValidationError(message, fields={"query_string": [message]})
    return query


def _refuse_beyond_limit(company: Company, user: User, page_key: str) -> None:
    if list_for(company, user, page_key).count() >= MAX_PER_PAGE:
        message = _(
            "You already have %(count)d saved searches on this page; delete one first."
        ) % {"count": MAX_PER_PAGE}
        raise ConflictError(message, fields={"name": [message]})


@transaction.atomic
def save(
    *,
    company: Company,
    user: User,
    page_key: str,
    name: str,
    query_string: str,
    params: Collection[str],
) -> SavedSearch:
    """Keep the filter of ``query_string`` under ``name``; a search of the same
    name on the same page is replaced (its query updated)."""
    page_key = _clean_page_key(page_key)
    name = _clean_name(name)
    query = clean_query(query_string, params)
    key = {"company": company, "user": user, "page_key": page_key, "name": name}
    existing = SavedSearch.objects.select_for_update().filter(**key).first()
    if existing is None:
        _refuse_beyond_limit(company, user, page_key)
        try:
            with transaction.atomic():
                return SavedSearch.objects.create(**key, query_string=query)
        except IntegrityError:
            # Saved at the same moment from another tab: replace that one.
            existing = SavedSearch.objects.select_for_update().get(**key)
    existing.query_string = query
    existing.save(update_fields=["query_string", "updated_at"])
    return existing


@transaction.atomic
def delete(*, company: Company, user: User, search_id: int) -> SavedSearch:
    """Delete one of ``user``'s own searches; any other id is not found."""
    search = (
        SavedSearch.objects.select_for_update()
        .filter(company=company, user=user, pk=search_id)
        .first()
    )
    if search is None:
        raise NotFoundError(_("This saved search does not exist."))
    search.delete()
    return search


def list_for(company: Company, user: User, page_key: str) -> QuerySet[SavedSearch]:
    """``user``'s saved searches of one page, by name."""
    return SavedSearch.objects.filter(
        company=company, user=user, page_key=page_key
    ).order_by("name", "id")
