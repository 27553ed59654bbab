"""Static files for production: hashed names and gzip copies, made when the server starts."""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage without Brotli. Brotli at its highest setting takes tens of
    seconds over the static files on a small server, and `tenfold serve` collects them at
    every start; gzip gives nearly the same saving for text in a fraction of the time."""

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return Compressor(use_brotli=False, **kwargs)
