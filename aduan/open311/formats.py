"""Open311 answers in JSON and in XML, with the GeoReport v2 element names.

XML: a list is an element named for the whole (services, service_requests, errors...)
holding one element per item (service, request, error...); None is an empty element,
booleans are true/false, and text is escaped (what a citizen typed stays text).
"""

import json
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
# A list's element name -> the name of each item in it.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element: Element, value) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(SubElement(element, name), inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            _fill(SubElement(element, ITEMS[element.tag]), inner)
    else:
        element.text = _text(value)


def xml_document(root: str, value) -> bytes:
    element = Element(root)
    _fill(element, value)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(element, encoding="unicode").encode()
    )


def rendered(value, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """An answer in the format asked for; `root` names the XML document element."""
    if fmt == XML:
        body = xml_document(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """Open311's error body: [{"code": status, "description": ...}, ...]."""
    body = [{"code": status, "description": str(text)} for text in descriptions]
    return rendered(body, fmt=fmt if fmt in FORMATS else JSON, root="errors", status=status)
