from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _migrating(**_kwargs: Any) -> None:
    from tenfold.db import changes

    changes.pause(True)


def _migrated(**_kwargs: Any) -> None:
    from tenfold.db import changes

    changes.pause(False)


class OrganizationsConfig(AppConfig):
    name = "tenfold.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from tenfold.db import changes

        # Every write the pages can show moves the organization's change counter.
        connection_created.connect(changes.watch, dispatch_uid="tenfold-change-counter")
        changes.watch_open_connections()
        pre_migrate.connect(_migrating, dispatch_uid="tenfold-change-counter-pause")
        post_migrate.connect(_migrated, dispatch_uid="tenfold-change-counter-resume")
