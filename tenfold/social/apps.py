from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "tenfold.social"
    label = "social"
