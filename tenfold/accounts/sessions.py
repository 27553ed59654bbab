"""Sessions in the database, as Django keeps them, read with one hand-written query.

Every request reads its session; the ORM spends more time building that query than the
database spends answering it (`tenfold.db.fast`). Writing, expiry and the table are Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from tenfold.db import fast

from .backends import RENAMED


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in RENAMED:
            data[BACKEND_SESSION_KEY] = RENAMED[backend]
        return data

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            return None
        model = self.model
        using = router.db_for_read(model)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        rows = fast.fetch(
            f"SELECT {fast.column(model, 'session_data', using=using)}"  # nosec B608  # quoted names; values bound
            f" FROM {fast.table(model, using)}"
            f" WHERE {fast.column(model, 'session_key', using=using)} = %s"
            f" AND {fast.column(model, 'expire_date', using=using)} > %s",
            [key, now],
            using,
        )
        if not rows:
            self._session_key = None
            return None
        return model(session_key=key, session_data=rows[0][0])
