"""Pages of transfers: the organization's data page (start an export, watch it, cancel it,
download the file) and the site staff's import page.

Parse → authorize → call a service → render. A running job's row asks for itself again every
second through htmx; the row of a finished job no longer asks, so the polling stops by itself.
Without JavaScript the page reloads itself while something runs.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.okrs.selectors import cycles_of
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import apply_errors, render
from tenfold.web.views.organization import admin_access

from . import services, storage
from .forms import ExportForm, ImportForm
from .models import Transfer
from .selectors import RECENT, exports_of, get_export, get_import, imports, live_all

ROW = "transfers/_row.html"


def _page_context(organization: Organization, access: Access, form: ExportForm) -> dict[str, Any]:
    transfers = live_all(exports_of(organization)[:RECENT])
    return {
        "org": organization,
        "access": access,
        "tab": "data",
        "form": form,
        "transfers": transfers,
        "any_active": any(transfer.is_active for transfer in transfers),
    }


def _export_form(organization: Organization, data: Any = None) -> ExportForm:
    return ExportForm(data, cycles=cycles_of(organization), auto_id="export-%s")


@require_http_methods(["GET", "HEAD", "POST"])
def transfers_page(request: HttpRequest, org: str) -> HttpResponse:
    """The data page; POST starts an export."""
    organization, access = admin_access(request, org)
    posted = request.method == "POST"
    form = _export_form(organization, request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.start_export(
                organization, request.user, form.cleaned_data["format"], form.chosen_cycle()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The export has started. The file will be ready below to download.")
            )
            return redirect("transfers", org=organization.slug)
    context = _page_context(organization, access, form)
    return render(request, "transfers/page.html", context, status=400 if posted else 200)


def _row(request: HttpRequest, context: dict[str, Any]) -> TemplateResponse:
    return TemplateResponse(request, ROW, context)


@require_safe
def transfer_status(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """One export's row, for the page's polling (the whole page without htmx)."""
    organization, access = admin_access(request, org)
    transfer = get_export(organization, code)
    if getattr(request, "htmx", False):
        return _row(request, {"org": organization, "transfer": transfer})
    context = _page_context(organization, access, _export_form(organization))
    return render(request, "transfers/page.html", context)


@require_POST
def transfer_cancel(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, _access = admin_access(request, org)
    transfer = get_export(organization, code)
    try:
        transfer = services.cancel(transfer, request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    if getattr(request, "htmx", False):
        return _row(request, {"org": organization, "transfer": transfer})
    return redirect("transfers", org=organization.slug)


@require_safe
def transfer_download(request: HttpRequest, org: str, code: str) -> FileResponse:
    """The finished file, until it expires."""
    organization, _access = admin_access(request, org)
    return download(get_export(organization, code))


def download(transfer: Transfer) -> FileResponse:
    """Stream a finished export's file (shared with the API); 404 once it is gone."""
    if not transfer.downloadable:
        raise Http404
    path = storage.path_of(transfer.file_name)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=transfer.download_name or path.name,
        content_type=transfer.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- imports (site staff) -------------------------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    if not services.may_import(request.user):
        raise PermissionDenied(_("Only the site's staff import whole organizations."))


@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Import a whole organization from an interchange file; POST starts it."""
    _staff(request)
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            services.start_import(
                request.user, form.cleaned_data["file"], form.cleaned_data["slug"] or None
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The import has started."))
            return redirect("transfer_import")
    transfers = live_all(imports()[:RECENT])
    context = {
        "form": form,
        "transfers": transfers,
        "any_active": any(transfer.is_active for transfer in transfers),
    }
    return render(request, "transfers/import.html", context, status=400 if posted else 200)


@require_safe
def import_status(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    transfer = get_import(code)
    if getattr(request, "htmx", False):
        return _row(request, {"transfer": transfer})
    return redirect("transfer_import")


@require_POST
def import_cancel(request: HttpRequest, code: str) -> HttpResponse:
    _staff(request)
    transfer = get_import(code)
    try:
        transfer = services.cancel(transfer, request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    if getattr(request, "htmx", False):
        return _row(request, {"transfer": transfer})
    return redirect("transfer_import")
