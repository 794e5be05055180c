#!/bin/sh
# unoserver (PyPI) for the tests and the bench, which start local servers: it imports LibreOffice's
# `uno`, which Debian builds for its own /usr/bin/python3 (python3-uno), not for the project's
# .venv. So it goes into .venv-uno, a virtual environment of /usr/bin/python3 that sees the system's
# packages (`uno`): .venv-uno/bin/python -m unoserver.server. As root on Debian/Ubuntu the missing
# packages are installed; otherwise we say what to install and carry on (the unoserver tests skip).
set -u
venv=.venv-uno
version=3.7
"$venv/bin/python" -c "import unoserver.server" >/dev/null 2>&1 && exit 0
need=""
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need="python3-uno"
/usr/bin/python3 -c "import ensurepip" >/dev/null 2>&1 || need="$need python3-venv"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing from Debian's packages: $need"
        apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null ||
            { echo "Could not install $need; the unoserver tests will be skipped." >&2; exit 0; }
    else
        echo "For unoserver install: sudo apt-get install --no-install-recommends $need" >&2
        exit 0
    fi
fi
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv" &&
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "unoserver==$version" &&
    "$venv/bin/python" -c "import unoserver.server" && exit 0
echo "Could not install unoserver $version into $venv; the unoserver tests will be skipped." >&2
exit 0
