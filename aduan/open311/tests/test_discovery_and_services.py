"""A client finds the endpoints and the services (the complaint categories)."""

import xml.etree.ElementTree as ET

from aduan.complaints.models import Category


def test_discovery_names_the_v2_endpoint_and_both_formats(client, settings, db):
    settings.PUBLIC_URL = "https://aduan.mojokertokota.go.id"
    body = client.get("/open311/v2/discovery.json").json()
    (endpoint,) = body["endpoints"]
    assert endpoint["url"] == "https://aduan.mojokertokota.go.id/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert body["changeset"] and body["contact"] and body["key_service"]


def test_discovery_in_xml(client, db):
    response = client.get("/open311/v2/discovery.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["application/json", "text/xml"]


def test_services_are_the_active_categories(client, category, schemas):
    Category.objects.create(code="lama", name="Layanan lama", is_active=False)
    body = client.get("/open311/v2/services.json").json()
    schemas("services.json", body)
    codes = [s["service_code"] for s in body]
    assert category.code in codes and "lama" not in codes
    service = next(s for s in body if s["service_code"] == category.code)
    assert service["service_name"] == "KTP-el"
    assert service["type"] == "realtime"
    assert service["group"] == "Administrasi Kependudukan"
    assert service["metadata"] is True  # attribute[public] and friends


def test_services_in_xml_use_the_spec_element_names(client, category):
    response = client.get("/open311/v2/services.xml")
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert category.code in codes
    assert root.find("service/metadata").text == "true"


def test_service_definition_lists_the_public_confidential_and_nik_attributes(
    client, category, schemas
):
    body = client.get(f"/open311/v2/services/{category.code}.json").json()
    schemas("service-definition.json", body)
    assert body["service_code"] == category.code
    assert [a["code"] for a in body["attributes"]] == ["public", "confidential", "nik"]
    public = body["attributes"][0]
    assert public["required"] is False
    assert {v["key"] for v in public["values"]} == {"true", "false"}


def test_service_definition_in_xml(client, category):
    root = ET.fromstring(client.get(f"/open311/v2/services/{category.code}.xml").content)
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == [
        "public",
        "confidential",
        "nik",
    ]
    assert root.find("attributes/attribute/values/value/key").text == "true"


def test_an_unknown_service_is_a_404_with_the_open311_error_body(client, db):
    response = client.get("/open311/v2/services/parkir.json")
    assert response.status_code == 404
    (error,) = response.json()
    assert error["code"] == 404 and "parkir" in error["description"]
    root = ET.fromstring(client.get("/open311/v2/services/parkir.xml").content)
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_another_jurisdiction_is_refused_and_ours_is_accepted(client, category, settings):
    settings.OPEN311_JURISDICTION = "mojokertokota.go.id"
    ours = client.get("/open311/v2/services.json", {"jurisdiction_id": "mojokertokota.go.id"})
    assert ours.status_code == 200
    other = client.get("/open311/v2/services.json", {"jurisdiction_id": "surabaya.go.id"})
    assert other.status_code == 400
    assert "jurisdiction_id" in other.json()[0]["description"]
