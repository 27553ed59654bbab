from django.urls import path

from . import views

urlpatterns = [
    path("<slug:org>/cycles/<str:code>/reviews/", views.cycle_reviews, name="reviews"),
    path("<slug:org>/reviews/<str:code>/", views.review_detail, name="review"),
    path("<slug:org>/reviews/<str:code>/report.html", views.review_report, name="review_report"),
    path("<slug:org>/reviews/<str:code>/report.pdf", views.review_pdf, name="review_pdf"),
]
