from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tenfold.api"
    label = "api"
