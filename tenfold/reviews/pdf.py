"""Review reports as PDF, through WeasyPrint.

WeasyPrint needs Pango and HarfBuzz from the operating system (Debian: libpango-1.0-0,
libpangoft2-1.0-0, libharfbuzz-subset0). It is imported on first use, so the rest of Tenfold
runs on a machine without them; only the PDF answers that it is unavailable.
"""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads are missing."""


def _weasyprint() -> object:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a shared library could not be loaded
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def pdf_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained HTML document (styles inline) to PDF bytes. Nothing is fetched
    from the network or the disk: the report needs no outside resources, and text typed by
    people must never make the server open a URL."""
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))  # type: ignore[attr-defined]
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)  # type: ignore[attr-defined]
    return bytes(document.write_pdf())
