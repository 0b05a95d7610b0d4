"""The OpenAPI document and the browsable docs; every operation documents the error shape."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_document_describes_every_endpoint_and_its_errors(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Aduan API"
    paths = document["paths"]
    assert {
        "/api/v1/complaints",
        "/api/v1/complaints/{tracking_code}/status",
        "/api/v1/inbox",
        "/api/v1/desk/complaints/{complaint_id}",
        "/api/v1/desk/complaints/{complaint_id}/draft",
        "/api/v1/desk/complaints/{complaint_id}/info-request",
        "/api/v1/desk/steps/{step_id}/decision",
        "/api/v1/agenda",
    } <= set(paths)
    for path, operations in paths.items():
        for method, operation in operations.items():
            statuses = [s for s in operation["responses"] if s.startswith("4")]
            assert statuses, (method, path)
            for status in statuses:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)
    assert paths["/api/v1/inbox"]["get"]["security"] == [{"TokenAuth": []}]
    link = paths["/api/v1/complaints"]["post"]["responses"]["201"]["links"]["GetStatus"]
    assert link["operationId"] == "complaint_status"


def test_the_docs_are_browsable_without_the_internet(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/static/ninja/" in page.content.decode()


def test_the_apis_root_leads_to_the_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 302 and response["Location"] == "/api/v1/docs"
