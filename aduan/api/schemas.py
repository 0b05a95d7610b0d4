"""What the API reads and writes (field names in English). The OpenAPI document is built
from these; the rules behind the fields live in the services and forms they call."""

import datetime as dt
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="Rows in the whole list")
    page: int
    page_size: int
    pages: int
    items: list[T]


# --- public --------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str = Field(description="Send it as `category` when filing a complaint")
    name: str
    name_en: str


class ComplaintIn(Schema):
    """The web form's fields; every rule and limit is the form's (ComplaintForm)."""

    category: str = Field("", description="A category code (GET /categories)")
    subject: str = Field("", description="At most 200 characters")
    description: str = Field("", description="At most 5,000 characters")
    name: str = Field("", description="Required unless is_anonymous")
    is_anonymous: bool = False
    phone: str = Field("", description="Indonesian number; phone or email required")
    email: str = ""
    nik: str = Field("", description="16 digits, optional")
    is_confidential: bool = False


class ComplaintCreated(Schema):
    tracking_code: str
    secret: str | None = Field(
        description="Shown once; null when an Idempotency-Key already made this complaint"
    )
    agenda_number: str
    status_url: str


class StageOut(Schema):
    key: str = Field(description="received, verified, reviewed or answered")
    label: str
    state: str = Field(description="done, current or todo")
    reached_at: dt.datetime | None


class CitizenMessage(Schema):
    direction: str = Field(description="to_citizen or from_citizen")
    body: str
    created_at: dt.datetime


class AnswerOut(Schema):
    kind: str = Field(description="answer or referral")
    text: str
    answered_at: dt.datetime | None
    letter_number: str | None


class StatusOut(Schema):
    tracking_code: str
    agenda_number: str | None = Field(
        description="null while the filing is being recorded in the agenda book (seconds; "
        "minutes under a burst of filings)"
    )
    received_at: dt.datetime
    category: str
    subject: str
    status: str = Field(description="open, answered or withdrawn")
    status_label: str
    stage: str | None
    stages: list[StageOut]
    current_role: str | None = Field(description="The SOP role holding it now, never a person")
    awaiting_reply: bool
    messages: list[CitizenMessage]
    answer: AnswerOut | None


# --- officials -----------------------------------------------------------------------------


class InboxItem(Schema):
    id: int = Field(description="The complaint's id")
    step_id: int = Field(description="The open step: POST /desk/steps/{step_id}/decision")
    agenda_number: str
    subject: str
    category: str
    step: str
    step_title: str
    role: str
    due_at: dt.datetime | None
    minutes_left: int | None = Field(description="Working minutes; negative when overdue")
    overdue: bool
    awaiting_reply: bool
    complainant: str = Field(description="Masked: Anonim / Rahasia / the name")


class Complainant(Schema):
    name: str
    nik: str
    phone: str
    email: str


class StepOut(Schema):
    id: int
    seq: int
    step: str
    title: str
    role: str
    started_at: dt.datetime
    due_at: dt.datetime | None
    decided_at: dt.datetime | None
    decided_by: str | None
    decided_as: str
    decision: str
    decision_label: str
    next_step: str
    note: str
    minutes_used: int


class DraftOut(Schema):
    seq: int
    kind: str
    body: str
    author: str
    step_title: str
    created_at: dt.datetime


class DeskMessage(Schema):
    direction: str = Field(description="to_citizen or from_citizen")
    body: str
    author: str | None
    created_at: dt.datetime


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class DecisionOption(Schema):
    decision: str = Field(description="approve or return")
    to: str
    label: str
    note_required: bool


class ComplaintDetail(Schema):
    id: int
    agenda_number: str
    tracking_code: str
    channel: str
    category: str
    subject: str
    description: str
    status: str
    received_at: dt.datetime
    closed_at: dt.datetime | None
    is_confidential: bool
    complainant: Complainant
    open_step_id: int | None
    decisions: list[DecisionOption] = Field(description="What this official may decide now")
    steps: list[StepOut]
    drafts: list[DraftOut]
    messages: list[DeskMessage]
    attachments: list[AttachmentOut]
    answer_text: str
    letter_number: str | None


class DraftIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"kind": "answer", "body": "Sudah jadi."}]}}
    kind: str = Field("answer", description="answer or referral")
    body: str


class DecisionIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"decision": "approve"}]}}
    decision: str = Field(description="approve or return")
    to: str | None = Field(None, description="The step a return goes to, when there are several")
    note: str = Field("", description="Required for a return")


class InfoRequestIn(Schema):
    model_config = {"json_schema_extra": {"examples": [{"body": "Berapa nomor antrean Anda?"}]}}
    body: str


class ActionOut(Schema):
    code: str
    message: str
    complaint_id: int
    status: str
    open_step_id: int | None


class AgendaRowOut(Schema):
    id: int
    agenda_number: str
    received_at: dt.datetime
    channel: str
    complainant: str
    category: str
    subject: str
    disposition: str
    answered_on: dt.date | None
    letter_number: str
