"""Where LibreOffice is: the soffice executable, and a Python that can
``import uno`` to drive it (Debian's ``python3-uno`` is built for the system
Python, not for the project's virtualenv). EnvironmentProblem, with the
command that installs both, when either is missing.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
from collections.abc import Sequence

from pipeline.errors import EnvironmentProblem

INSTALL_COMMAND = "apt-get install libreoffice-writer-nogui python3-uno fonts-liberation2"
# Where LibreOffice lives when it is not on PATH: Debian's package, then the
# tarballs from libreoffice.org, which install under /opt and not on PATH.
SOFFICE_FALLBACKS = ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice*/program/soffice")
# Pythons that can `import uno`: Debian's (python3-uno), then the one bundled
# with libreoffice.org's tarballs.
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice*/program/python")


def find_soffice() -> str:
    """The LibreOffice executable to run, after checking that a Python with
    LibreOffice's ``uno`` module is there too; EnvironmentProblem when either is missing."""
    soffice = _first_executable(("soffice", "libreoffice"), SOFFICE_FALLBACKS)
    if soffice is None:
        raise EnvironmentProblem(
            f"LibreOffice (soffice) is not installed, so PDFs cannot be made. Install it: sudo {INSTALL_COMMAND}"
        )
    find_uno_python()
    return soffice


def find_uno_python() -> str:
    """A Python interpreter that can ``import uno``; EnvironmentProblem when there is none."""
    found = _uno_python(UNO_PYTHONS)
    if found is None:
        raise EnvironmentProblem(
            "LibreOffice's Python bindings (uno) are not installed, so PDFs cannot be made. "
            f"Install them: sudo {INSTALL_COMMAND}"
        )
    return found


def _first_executable(names: Sequence[str], patterns: Sequence[str]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for pattern in patterns:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if os.access(candidate, os.X_OK):
                return candidate
    return None


@functools.cache
def _uno_python(patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if not os.access(candidate, os.X_OK):
                continue
            check = subprocess.run([candidate, "-I", "-c", "import uno"], capture_output=True, check=False)
            if check.returncode == 0:
                return candidate
    return None
