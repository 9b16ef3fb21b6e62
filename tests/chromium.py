"""How the browser tests and ``benchmarks/viewer_benchmark.py`` start Chromium here: the system
browser, headless, with nothing that reaches the network (no sync, no component updates, no QUIC).
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: The system Chromium (what ``.ci/run`` installs), else whatever ``chromium`` is on the PATH.
CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
