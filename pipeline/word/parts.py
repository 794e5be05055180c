"""The parts of a DOCX that hold text, apart from tags.py so that reading a template's fonts
(fonts.py, asked by every run that may make PDFs) does not import docxtpl."""

from __future__ import annotations

import re

# The parts of a DOCX whose text may hold tags: the body, headers, footers,
# foot- and endnotes. The renderer, the checker and the font check read the same ones.
TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
