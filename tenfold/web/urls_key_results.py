from django.urls import URLPattern, path

from .views import key_results

urlpatterns: list[URLPattern] = [
    path(
        "<slug:org>/key-results/<str:code>/",
        key_results.key_result_detail,
        name="key_result",
    ),
    path(
        "<slug:org>/key-results/<str:code>/chart.svg",
        key_results.key_result_chart_svg,
        name="key_result_chart",
    ),
    path(
        "<slug:org>/check-ins/<str:code>/correct/",
        key_results.checkin_correct_view,
        name="checkin_correct",
    ),
]
