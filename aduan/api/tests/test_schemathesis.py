"""schemathesis against the OpenAPI document, through the WSGI application: every
operation, every check, with Budi's token for the officials' endpoints and Sari's complaint
in the database. Then the stateful run, following the document's links (file → status)."""

import hashlib

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from aduan.api.models import ApiToken
from aduan.api.public import EXAMPLE
from aduan.wsgi import application

# Committed rows (the WSGI handler closes connections between requests); ids from 1, so
# the documented examples (complaint 1, step 1) name Sari's complaint and its open step.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True, serialized_rollback=True)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Unknown query parameters are ignored, as HTTP APIs do: do not expect them refused.
schema.config.generation.update(allow_extra_parameters=False)
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
# "Schema-valid data is accepted" cannot hold here: the rules are the services' and the web
# form's, and go beyond what a JSON Schema says (a category that exists, a phone number or
# an e-mail address, a note with a return, a period of at most 366 days, a step that is
# yours). Those are refused with a 422 naming the field, as they should be.
NOT_APPLICABLE = [openapi_checks.positive_data_acceptance]
BUDI_SECRET = "adu_schemathesis-budi"


@schema.auth()
class BudisToken:
    def get(self, case, context):
        return BUDI_SECRET

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def world(settings, sop_version, category, budi, complaint_of_sari):
    settings.ALLOWED_HOSTS = ["*"]
    ApiToken.objects.create(
        user=budi,
        name="schemathesis",
        key_hash=hashlib.sha256(BUDI_SECRET.encode()).hexdigest(),
        prefix=BUDI_SECRET[4:12],
        created_at=timezone.now(),
    )


@schema.parametrize()
@EXAMPLES
def test_every_operation_passes_every_check(case, world):
    case.call_and_validate(excluded_checks=NOT_APPLICABLE)


STATUS_READ: list[str] = []


class Scenarios(schema.as_state_machine()):
    """Sequences of calls that follow the document's links: a complaint filed, then its
    status read with the code and the secret the 201 gave."""

    def before_call(self, case):
        # A complaint that the form accepts (the category must exist), so the scenario goes
        # on to its status; the rest of the body stays generated.
        if case.operation.definition.raw.get("operationId") == "complaint_create":
            body = case.body if isinstance(case.body, dict) else {}
            body.pop("attachments", None)
            case.body = {**body, **EXAMPLE, "is_anonymous": False}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        if response.status_code == 200 and "/status" in case.path:
            STATUS_READ.append(case.path_parameters["tracking_code"])
        case.validate_response(
            response, excluded_checks=NOT_APPLICABLE, transport_kwargs=kwargs or None
        )


def test_stateful_scenarios_follow_the_links(world):
    from aduan.complaints.models import Complaint

    Scenarios.run(
        settings=settings(
            max_examples=10,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    # Complaints were filed through the API and their status read through the link.
    assert Complaint.objects.filter(channel="api").exists()
    assert STATUS_READ
