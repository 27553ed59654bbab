"""The user guide's pages: open to everyone, signed in or not, like the files they come from."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import pages


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/index.html", {"sections": pages.contents()})


@login_not_required
@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    found = pages.page(slug)
    if found is None:
        raise Http404
    return render(request, "guide/page.html", {"page": found, "sections": pages.contents()})


@login_not_required
@require_safe
def image(request: HttpRequest, name: str) -> FileResponse:
    path = pages.image_path(name)
    if path is None:
        raise Http404
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=kind)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
