"""Lookups by id or code that do not name the organization: each line after an "expect"
comment is a finding."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tenfold.okrs.models import Initiative, KeyResult, Objective
from tenfold.web.shortcuts import org_access, render


def objective_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    org_access(request, org)
    # expect: tenfold-unscoped-lookup
    objective = Objective.objects.get(code=code)
    return render(request, "web/objective.html", {"objective": objective})


def key_result_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    org_access(request, org)
    # expect: tenfold-unscoped-lookup
    kr = get_object_or_404(KeyResult, code=code)
    return render(request, "web/key_result.html", {"kr": kr})


def initiative_page(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    org_access(request, org)
    # expect: tenfold-unscoped-lookup
    initiative = Initiative.objects.select_related("owner").filter(pk=pk).first()
    return render(request, "web/initiative.html", {"initiative": initiative})


def objectives_chosen(request: HttpRequest, org: str) -> HttpResponse:
    org_access(request, org)
    codes = request.GET.getlist("code")
    # expect: tenfold-unscoped-lookup
    chosen = list(Objective.objects.filter(code__in=codes))
    return render(request, "web/chosen.html", {"chosen": chosen})
