"""The assembled REST API at /api/v1: every app's router, one auth, one error
shape, one write pipeline. Interactive docs at /api/v1/docs, the OpenAPI
document at /api/v1/openapi.json.

An app joins by adding its router to ``ROUTERS``; it then gets
authentication, the error shape, transactions, the read-only trial guard and
``Idempotency-Key`` handling without doing anything (see ``pipeline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router
from ninja.errors import ValidationError, ValidationErrorContext

from zhongshu.api import auth, errors, pipeline
from zhongshu.api.parser import JsonParser
from zhongshu.api.renderer import JsonRenderer
from zhongshu.catalog import api as catalog_api
from zhongshu.core import api as core_api
from zhongshu.inventory import api as inventory_api
from zhongshu.ledger import api as ledger_api
from zhongshu.partners import api as partners_api
from zhongshu.purchasing import api as purchasing_api
from zhongshu.purchasing import api_replenishment as purchasing_replenishment_api
from zhongshu.purchasing import api_suppliers as purchasing_suppliers_api
from zhongshu.sales import api as sales_api

# (prefix, router), in the order of ARCHITECTURE.md's layers.
ROUTERS: list[tuple[str, Router]] = [
    ("/", core_api.router),
    ("/ledger", ledger_api.router),
    ("/catalog", catalog_api.router),
    ("/partners", partners_api.router),
    ("/inventory", inventory_api.router),
    ("/sales", sales_api.router),
    ("/purchasing", purchasing_api.router),
    ("/purchasing", purchasing_suppliers_api.router),
    ("/purchasing", purchasing_replenishment_api.router),
]


class ZhongshuApi(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: Sequence[ValidationErrorContext[Any]]
    ) -> ValidationError:
        return errors.schema_error(error_contexts)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # Last: an unknown path under /api/v1 is a JSON 404 like any other,
        # not the site's HTML page.
        return [*super()._get_urls(), re_path(r"^.*$", _no_such_route)]


@csrf_exempt
def _no_such_route(request: HttpRequest) -> HttpResponse:
    return errors.status_error_response(404)


def build_api(
    routers: Sequence[tuple[str, Router]], *, urls_namespace: str = "api"
) -> ZhongshuApi:
    """The API with its auth, error shape and write pipeline around ``routers``.

    Tests build a second one around a router of their own, to prove that a
    route gets the pipeline just by being mounted."""
    assembled = ZhongshuApi(
        title="Zhongshu API",
        version="1",
        description=(
            "Authenticate with a personal API token (`Authorization: Bearer zs_…`) "
            "or the browser session. Errors are `{code, message, fields}`. "
            "POST accepts an `Idempotency-Key` header."
        ),
        urls_namespace=urls_namespace,
        docs_url="/docs",
        auth=[auth.token_auth, auth.session_auth],
        parser=JsonParser(),
        renderer=JsonRenderer(),
    )
    errors.install(assembled)
    assembled.add_decorator(pipeline.run_in_transaction, mode="view")
    assembled.add_decorator(pipeline.guard_writes, mode="operation")
    for prefix, router in routers:
        assembled.add_router(prefix, router)
    return assembled


api = build_api(ROUTERS)
