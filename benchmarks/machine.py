"""What the benchmarks record about the machine they ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (or what platform knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def shared_machine() -> dict[str, object]:
    """The machine, for a benchmark that ran beside other work: its CPU, CPU count, Python and
    platform, and a note that the load it recorded with each run tells how busy it was."""
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "note": "shared machine: other work ran at the same time (see load_average_1min_before)",
    }


def machine_at_start(load: tuple[float, float, float] | None = None) -> dict[str, object]:
    """The machine and its load averages when the benchmark started (``load``; now if not given)."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "load_average_at_start": load if load is not None else os.getloadavg(),
        "python": platform.python_version(),
    }
