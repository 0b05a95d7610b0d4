from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from aduan.sop.diagram import flow_svg
from aduan.sop.services import sop_version_in_force


@require_GET
def sop_detail(request):
    """The SOP in force, as an office would print it."""
    version = sop_version_in_force()
    if version is None:
        return render(request, "sop/none.html", status=503)
    definition = version.definition
    rows = []
    for number, step in enumerate(definition.ordered_steps, start=1):
        rows.append(
            {
                "number": number,
                "step": step,
                "role": definition.role(step.role),
                "edges": definition.edges_from(step.id),
            }
        )
    return render(
        request,
        "sop/detail.html",
        {
            "version": version,
            "sop": definition,
            "header": definition.header,
            "rows": rows,
            "roles": definition.roles,
            "diagram": mark_safe(flow_svg(definition)),
        },
    )


@require_GET
def sop_flow_svg(request):
    version = sop_version_in_force()
    if version is None:
        return HttpResponse(status=404)
    return HttpResponse(flow_svg(version.definition), content_type="image/svg+xml")
