"""The coach's example library: good OKRs for every function, in English, Simplified Chinese and
Spanish, to learn from, search and start from.

The examples are module data (see the `data_*` modules), read in the active language with a
fallback to English. Writing an objective from an example goes through
`tenfold.coach.library.services.example_use`.
"""

from __future__ import annotations

from .catalogue import example, example_initial, examples, functions, language_key
from .model import Example, ExampleKeyResult
from .search import search

__all__ = [
    "Example",
    "ExampleKeyResult",
    "example",
    "example_initial",
    "examples",
    "functions",
    "language_key",
    "search",
]
