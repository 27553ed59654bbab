from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tenfold.web"
    label = "web"
