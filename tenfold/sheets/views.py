"""Pages of the spreadsheet import and export.

Upload → preview (nothing written) → import, all or nothing. The file waits in the data
directory between the preview and the import (see `uploads`). Exports stream what the viewer
may see. Parse → authorize → call the importer → render.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect

from tenfold.lib.validation import error_dict
from tenfold.okrs.models import CycleState
from tenfold.okrs.selectors import current_cycle, cycles_of, get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import units_of
from tenfold.web.shortcuts import org_access, render

from . import importing, uploads
from .exporting import CONTENT_TYPES, export_sheet
from .forms import ImportForm
from .reading import human_size, max_bytes


def _importer(request: HttpRequest, org: str) -> tuple[Organization, Access, list[Any]]:
    organization, access = org_access(request, org)
    units = [u for u in units_of(organization) if access.can_create_in_unit(u.id, u.kind)]
    if not units:
        raise PermissionDenied(_("Importing creates objectives; you may not create any here."))
    return organization, access, units


def _context(organization: Organization, access: Access, **extra: Any) -> dict[str, Any]:
    return {
        "org": organization,
        "access": access,
        "nav": "company",
        "limit": human_size(max_bytes()),
        "export_cycles": cycles_of(organization),
        **extra,
    }


def sheet_import(request: HttpRequest, org: str) -> HttpResponse:
    organization, access, units = _importer(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    cycles = [c for c in cycles_of(organization) if c.state != CycleState.CLOSED]
    current = current_cycle(organization)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"cycle": current.code if current in cycles else ""},
        cycles=cycles,
        units=units,
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            uploads.keep(
                request.session,
                organization,
                data["file"],
                cycle=data["cycle"] or "",
                unit=data["unit"] or "",
            )
            return redirect("sheet_import_preview", org=organization.slug)
        return render(
            request, "sheets/import.html", _context(organization, access, form=form), status=400
        )
    return render(request, "sheets/import.html", _context(organization, access, form=form))


def _preview(
    request: HttpRequest, organization: Organization, entry: dict[str, str], data: bytes
) -> importing.Preview:
    cycles = {c.code: c for c in cycles_of(organization)}
    units = {u.code: u for u in units_of(organization)}
    return importing.preview(
        organization,
        data,
        entry["name"],
        cycle=cycles.get(entry.get("cycle", "")),
        unit=units.get(entry.get("unit", "")),
        by=request.user,
    )


def sheet_import_preview(request: HttpRequest, org: str) -> HttpResponse:
    """GET shows what the kept file would create; POST imports it (or discards it)."""
    organization, access, _units = _importer(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    found = uploads.kept(request.session, organization)
    if found is None:
        if request.method == "POST":
            messages.info(request, _("Upload the spreadsheet again: the previewed file is gone."))
        return redirect("sheet_import", org=organization.slug)
    entry, data = found
    if request.method == "POST" and request.POST.get("action") == "discard":
        uploads.discard(request.session, organization)
        messages.info(request, _("The file was discarded; nothing was imported."))
        return redirect("sheet_import", org=organization.slug)
    result = _preview(request, organization, entry, data)
    if request.method == "POST" and result.ok:
        try:
            importing.apply(result, request.user)
        except ValidationError as error:
            failure = " ".join(m for ms in error_dict(error).values() for m in ms)
            if getattr(request, "htmx", False):
                # htmx does not swap a 400 in: show the refusal on the preview page instead.
                messages.error(request, failure)
                return HttpResponseClientRedirect(request.path)
            context = _context(organization, access, preview=result, failure=failure)
            return render(request, "sheets/preview.html", context, status=400)
        uploads.discard(request.session, organization)
        messages.success(
            request,
            _("Imported %(objectives)d objectives and %(key_results)d key results.")
            % {
                "objectives": result.objective_count,
                "key_results": result.key_result_count,
            },
        )
        target = reverse("company", kwargs={"org": organization.slug})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)
    status = 400 if request.method == "POST" else 200
    if status == 400 and getattr(request, "htmx", False):
        return HttpResponseClientRedirect(request.path)
    context = _context(organization, access, preview=result, entry=entry)
    return render(request, "sheets/preview.html", context, status=status)


@require_safe
def sheet_export(request: HttpRequest, org: str, fmt: str) -> HttpResponse:
    """The OKRs the viewer may see, of one cycle (`?cycle=CODE`) or of all of them."""
    organization, access = org_access(request, org)
    code = request.GET.get("cycle")
    cycle = get_cycle(organization, code) if code else None
    buffer = io.BytesIO()
    export_sheet(organization, fmt, buffer, cycle=cycle, access=access)
    name = f"{organization.slug}-okrs{'-' + cycle.name if cycle else ''}.{fmt}"
    name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
