#!/bin/sh
# Make sure LibreOffice and its Python bindings (for PDF) and the metric twin of Times New Roman are
# installed. As root on Debian/Ubuntu we install them; otherwise we say what
# to install and carry on (`build --format docx` works without LibreOffice).
set -u
need=""
command -v soffice >/dev/null 2>&1 || need="libreoffice-writer-nogui"
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need="$need python3-uno"  # the PDF workers talk UNO
# The workers answer inside soffice as a Python macro (one UNO call a chunk); without it, over the pipe.
[ -f /usr/lib/libreoffice/program/pythonscript.py ] || need="$need libreoffice-script-provider-python"
fc-list 2>/dev/null | grep -q "Liberation Serif" || need="$need fonts-liberation2"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
ldconfig -p 2>/dev/null | grep -q libqrencode.so.4 || need="$need libqrencode4"  # fast payment QR codes (segno otherwise)
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian's packages: $need"
    apt-get update -qq >/dev/null && \
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null && exit 0
    echo "Could not install $need; PDFs will not be made." >&2
    exit 0
fi
echo "For PDFs install: sudo apt-get install --no-install-recommends $need" >&2
echo "(without it, run: .venv/bin/python -m pipeline build --format docx)" >&2
exit 0
