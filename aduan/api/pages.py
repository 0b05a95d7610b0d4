"""Every list is paginated the same way: ?page= (from 1) and ?page_size= (at most 100)."""

import math
from collections.abc import Sequence
from typing import Annotated

from django.db.models import QuerySet
from ninja import Path, Query, Schema
from pydantic import Field

MAX_PAGE_SIZE = 100


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


PageParams = Query[PageQuery]


def paginate(rows: QuerySet | Sequence, params: PageQuery, convert=list) -> dict:
    """One page of `rows`: a COUNT and one slice for a queryset, a slice for a list.
    `convert` turns the sliced rows into the items (once, for the whole page)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (params.page - 1) * params.page_size
    chunk = rows[start : start + params.page_size] if start < count else []
    return {
        "count": count,
        "page": params.page,
        "page_size": params.page_size,
        "pages": max(1, math.ceil(count / params.page_size)),
        "items": convert(chunk),
    }


# A row id in a path: bounded, so a huge number is a 422, not a database overflow.
ObjectId = Annotated[int, Path(ge=1, le=2_147_483_647, example=1)]
