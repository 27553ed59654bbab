from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tenfold.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        from . import checks  # noqa: F401  (registers the system checks)

        password_reset.connect(_reset_proves_address, dispatch_uid="tenfold-reset-proves")


def _reset_proves_address(sender: object, request: object, user: object, **kwargs: object) -> None:
    """A password reset is done through a link mailed to the person's address: they read it."""
    from .services import addresses_verified

    addresses_verified([user])
