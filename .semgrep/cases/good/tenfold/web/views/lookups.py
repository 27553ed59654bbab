"""Lookups that name the organization, go through an object already scoped, or read again
rows already in hand: no finding."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tenfold.okrs.models import Initiative, KeyResult, Objective
from tenfold.web.shortcuts import org_access, render


def objective_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, _access = org_access(request, org)
    objective = Objective.objects.get(organization=organization, code=code)
    kr = objective.key_results.get(code=request.GET.get("kr", ""))
    return render(request, "web/objective.html", {"objective": objective, "kr": kr})


def key_result_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, _access = org_access(request, org)
    kr = get_object_or_404(KeyResult, organization=organization, code=code)
    fresh = KeyResult.objects.select_related("owner").get(pk=kr.pk)
    return render(request, "web/key_result.html", {"kr": fresh})


def initiative_page(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organization, _access = org_access(request, org)
    initiative = (
        Initiative.objects.filter(organization_id=organization.id)
        .select_related("owner")
        .get(pk=pk)
    )
    return render(request, "web/initiative.html", {"initiative": initiative})


def objectives_chosen(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = org_access(request, org)
    rows = list(Objective.objects.filter(organization=organization, state="active"))
    again = list(Objective.objects.filter(pk__in=[row.pk for row in rows]).order_by("code"))
    return render(request, "web/chosen.html", {"chosen": again})
