"""Drop what a Word template carries but never uses, so that LibreOffice has
less to read for every document made from it (about 90 ms a document for our
templates, half of each conversion):

- styles no paragraph, run, table or numbering uses (with the styles they are
  based on, linked to or followed by, and the defaults, which stay);
- the latent-style list (hints for Word's style gallery, not formatting);
- word/stylesWithEffects.xml, Word 2010's duplicate of styles.xml.

What is printed does not change (a test renders every example before and
after and compares the pages). Usage, in place:
    .venv/bin/python tools/slim_template.py templates/*.docx
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
# The parts whose text may name a style.
_STYLE_USERS = re.compile(r"word/(document|header\d*|footer\d*|numbering|footnotes|endnotes|settings)\.xml$")
_STYLE_REFERENCE = re.compile(rb'w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink) w:val="([^"]+)"')
_EFFECTS = "word/stylesWithEffects.xml"


def used_style_ids(parts: dict[str, bytes]) -> set[str]:
    return {
        match.decode()
        for name, data in parts.items()
        if _STYLE_USERS.match(name)
        for match in _STYLE_REFERENCE.findall(data)
    }


def slim_styles(styles_xml: bytes, used: set[str]) -> bytes:
    """styles.xml with only the used styles, their chains and the defaults."""
    root = etree.fromstring(styles_xml)
    by_id = {style.get(f"{{{W}}}styleId"): style for style in root.findall("w:style", NS)}
    keep = {sid for sid, style in by_id.items() if style.get(f"{{{W}}}default") == "1"} | (used & set(by_id))
    pending = list(keep)
    while pending:
        style = by_id[pending.pop()]
        for tag in ("basedOn", "link", "next"):
            element = style.find(f"w:{tag}", NS)
            target = element.get(f"{{{W}}}val") if element is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                pending.append(target)
    for sid, style in by_id.items():
        if sid not in keep:
            root.remove(style)
    latent = root.find("w:latentStyles", NS)
    if latent is not None:
        root.remove(latent)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def slim_package(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        parts = {name: source.read(name) for name in names}
    parts["word/styles.xml"] = slim_styles(parts["word/styles.xml"], used_style_ids(parts))
    if _EFFECTS in parts:
        del parts[_EFFECTS]
        rels = "word/_rels/document.xml.rels"
        parts[rels] = re.sub(rb"<Relationship [^>]*stylesWithEffects[^>]*/>", b"", parts[rels])
        parts["[Content_Types].xml"] = re.sub(
            rb"<Override [^>]*stylesWithEffects[^>]*/>", b"", parts["[Content_Types].xml"]
        )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            if name in parts:
                target.writestr(
                    zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), parts[name], zipfile.ZIP_DEFLATED
                )
    return output.getvalue()


def main(argv: list[str]) -> int:
    for argument in argv:
        path = Path(argument)
        before = path.stat().st_size
        path.write_bytes(slim_package(path.read_bytes()))
        print(f"{path}: {before} → {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
