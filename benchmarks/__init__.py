"""timeline's benchmarks (docs/benchmarks.md); run each as ``python -m benchmarks.<name>``."""

from __future__ import annotations

import os
import sys

__all__ = ["with_fixed_hash_seed"]


def with_fixed_hash_seed(module: str) -> None:
    """Run this process again as ``python -m module`` with ``PYTHONHASHSEED=0``, unless it
    has it: ``synthesize()`` iterates sets, so the same seed gives the same graph only under
    one hash seed. Again *as a module*: run as a script, ``benchmarks`` would be found in
    site-packages first, where pysbd installs a package of that name."""
    if os.environ.get("PYTHONHASHSEED") == "0":
        return
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, "-m", module, *sys.argv[1:]])
