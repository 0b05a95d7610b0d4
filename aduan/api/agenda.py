"""The agenda book for a period, as the desk's /meja/agenda/ reads it (aduan.papers.agenda):
the same filters and checks (AgendaFilterForm), the same query, the same rows."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from aduan.accounts.selectors import office_today
from aduan.api.auth import token_auth
from aduan.api.errors import ApiError, errors
from aduan.api.pages import PageParams, paginate
from aduan.api.schemas import AgendaRowOut, Page
from aduan.lib.text import clean_text
from aduan.papers.agenda import AgendaFilterForm, agenda_page_rows, agenda_rows

router = Router(tags=["desk"], auth=token_auth)

# The form's field names (the desk page's query string) for the API's English ones.
FORM_NAMES = {"from_": "dari", "to": "sampai", "channel": "saluran", "category": "kategori"}


class AgendaQuery(Schema):
    from_: str | None = Field(
        None, alias="from", description="YYYY-MM-DD; default: 1st of this month"
    )
    to: str | None = Field(None, description="YYYY-MM-DD, included; at most 366 days after from")
    channel: str | None = Field(None, description="web, api, open311, email, ...")
    category: str | None = Field(None, description="A category code")
    status: str | None = Field(None, description="open, answered or withdrawn")


def _row(row) -> dict:
    return {
        "id": row.pk,
        "agenda_number": row.agenda_number,
        "received_at": row.received_at,
        "channel": row.channel,
        "complainant": row.complainant,
        "category": row.category,
        "subject": row.subject,
        "disposition": row.disposition,
        "answered_on": row.answered_on,
        "letter_number": row.letter_number,
    }


@router.get(
    "/agenda",
    response={200: Page[AgendaRowOut], **errors(401, 422)},
    operation_id="agenda",
)
def agenda(request, filters: Query[AgendaQuery], params: PageParams):
    """The agenda book's rows received in the period (office dates, both included), oldest
    first; complainants masked as the book prints them."""
    raw = filters.dict()
    query = {FORM_NAMES.get(k, k): clean_text(v) for k, v in raw.items() if v is not None}
    form = AgendaFilterForm(query, today=office_today())
    if not form.is_valid():
        names = {v: ("from" if k == "from_" else k) for k, v in FORM_NAMES.items()}
        fields = {names.get(k, k): [str(e) for e in errs] for k, errs in form.errors.items()}
        raise ApiError(422, "invalid", _("Periksa kembali saringan buku agenda."), fields)
    rows = agenda_rows(filters=form.agenda_filter())
    return paginate(rows, params, lambda chunk: [_row(r) for r in agenda_page_rows(chunk)])
