"""The permission matrix's personas and world (two organizations, built once per test
module), for the tenant isolation tests."""

from __future__ import annotations

from tenfold.web.tests.test_permission_matrix import personas, shared, world

__all__ = ["personas", "shared", "world"]
