"""Run NumPy's matrix products on one thread unless the operator says otherwise.

The model's products are small (a query is a few dozen tokens), so a second BLAS thread gains
little; on a busy machine it costs a lot, because OpenBLAS threads spin while they wait for a
core. Measured on a loaded two-core machine: one query took 150-400 ms with the default
threads and 15-35 ms with one. A web server that answers several requests at once has its
parallelism already, so one thread per request is also the better use of the cores.

An operator who sets OPENBLAS_NUM_THREADS, OMP_NUM_THREADS or MKL_NUM_THREADS keeps that
setting. Otherwise, before NumPy is first imported, OPENBLAS_NUM_THREADS=1 is set for this
process; when NumPy was imported earlier, the already loaded OpenBLAS is told the same at run
time through its C API, if it can be found. Either way this never raises.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# The thread setter's name in plain OpenBLAS builds and in the builds NumPy's wheels ship.
SETTERS = (
    "openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
)


def use_one_thread() -> str:
    """Limit BLAS to one thread for this process; say what was done (for the docs' figures)."""
    try:
        if any(os.environ.get(name) for name in THREAD_VARIABLES):
            return "left as configured"
        if "numpy" not in sys.modules:
            os.environ["OPENBLAS_NUM_THREADS"] = "1"
            return "one thread (set before NumPy started)"
        return "one thread (set at run time)" if _set_loaded_openblas(1) else "unchanged"
    except Exception:  # a tuning step must never take the feature down
        return "unchanged"


def _set_loaded_openblas(threads: int) -> bool:
    maps = Path("/proc/self/maps")
    if not maps.exists():  # not Linux: leave the library alone
        return False
    paths = set()
    for line in maps.read_text().splitlines():
        path = line.split()[-1] if line.split() else ""
        if path.startswith("/") and "openblas" in Path(path).name.lower():
            paths.add(path)
    done = False
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(threads))
                done = True
                break
    return done
