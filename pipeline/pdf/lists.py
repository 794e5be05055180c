"""Numbered lists in a merged DOCX (merge.py): each document after the first
gets its own copy of every list it numbers, so that its "1." stays "1." and
does not go on from the document before it.

Word (and LibreOffice's import, like it) continues a list across every
``w:num`` of one ``w:abstractNum``, so a copy is a new abstract list (its
own ``w:nsid``) with a new ``w:num``; a paragraph numbered through its style
(``List Number``) gets the copy in its own ``w:numPr``. A list linked to a
numbering style cannot be copied that way: the file is not merged.
"""

from __future__ import annotations

import copy

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# In a pPr, the elements that come before numPr (ECMA-376 CT_PPrBase).
BEFORE_NUMBERING = frozenset({"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"})
NSID_BASE = 0x5A000000  # the copies' nsid: unlike Word's random ones in practice


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


class ListCopies:
    """The lists of one numbering part, copied per document on request (``renumber``)."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None):
        self.numbering = numbering
        self._abstracts = {} if numbering is None else _by_attribute(numbering, "abstractNum", "abstractNumId")
        self._nums = {} if numbering is None else _by_attribute(numbering, "num", "numId")
        self._next_num = max(map(int, self._nums), default=0) + 1
        self._next_abstract = max(map(int, self._abstracts), default=-1) + 1
        self._style_numbering, self._default_style = _style_numbering(styles)
        self.changed = False

    def renumber(self, blocks: list[etree._Element]) -> None:
        """Give the paragraphs of one document copies of the lists they number. ValueError when one cannot be."""
        copies: dict[str, str] = {}
        for block in blocks:
            for paragraph in block.iter(_w("p")):
                self._renumber_paragraph(paragraph, copies)

    def _renumber_paragraph(self, paragraph: etree._Element, copies: dict[str, str]) -> None:
        properties = paragraph.find(_w("pPr"))
        own = None if properties is None else properties.find(_w("numPr"))
        own_id = None if own is None else own.find(_w("numId"))
        if own_id is not None:
            num_id = str(own_id.get(_w("val")))
        else:
            style = None if properties is None else properties.find(_w("pStyle"))
            style_id = self._default_style if style is None else style.get(_w("val"))
            numbered = self._style_numbering.get(style_id or "")
            if numbered is None:
                return
            num_id, level = numbered
        if num_id == "0":
            return  # numbering switched off
        if num_id not in copies:
            copies[num_id] = self._copy(num_id)
        if own_id is not None:
            own_id.set(_w("val"), copies[num_id])
            return
        if properties is None:
            properties = etree.Element(_w("pPr"))
            paragraph.insert(0, properties)
        _insert_numbering(properties, copies[num_id], level)

    def _copy(self, num_id: str) -> str:
        num = self._nums.get(num_id)
        if num is None or self.numbering is None:
            raise ValueError(f"no list {num_id}")
        reference = num.find(_w("abstractNumId"))
        abstract = self._abstracts.get(str(None if reference is None else reference.get(_w("val"))))
        if (
            abstract is None
            or abstract.find(_w("numStyleLink")) is not None
            or abstract.find(_w("styleLink")) is not None
        ):
            raise ValueError(f"list {num_id} cannot be copied")
        new_abstract, new_num = copy.deepcopy(abstract), copy.deepcopy(num)
        new_abstract.set(_w("abstractNumId"), str(self._next_abstract))
        nsid = new_abstract.find(_w("nsid"))
        if nsid is not None:
            nsid.set(_w("val"), f"{NSID_BASE + self._next_abstract:08X}")
        for style_link in new_abstract.findall(f"{_w('lvl')}/{_w('pStyle')}"):
            style_link.getparent().remove(style_link)  # the style keeps the original list
        new_num.set(_w("numId"), str(self._next_num))
        new_num.find(_w("abstractNumId")).set(_w("val"), str(self._next_abstract))
        self.numbering.findall(_w("abstractNum"))[-1].addnext(new_abstract)  # abstract lists come before nums
        self.numbering.findall(_w("num"))[-1].addnext(new_num)
        self._next_num += 1
        self._next_abstract += 1
        self.changed = True
        return str(self._next_num - 1)


def _insert_numbering(properties: etree._Element, num_id: str, level: str | None) -> None:
    numbering = etree.Element(_w("numPr"))
    if level is not None:
        etree.SubElement(numbering, _w("ilvl"), {_w("val"): level})
    etree.SubElement(numbering, _w("numId"), {_w("val"): num_id})
    before = [child for child in properties if etree.QName(child).localname in BEFORE_NUMBERING]
    if before:
        before[-1].addnext(numbering)
    else:
        properties.insert(0, numbering)


def _by_attribute(root: etree._Element, name: str, attribute: str) -> dict[str, etree._Element]:
    return {str(element.get(_w(attribute))): element for element in root.findall(_w(name))}


def _style_numbering(styles: etree._Element | None) -> tuple[dict[str, tuple[str, str | None]], str | None]:
    """The list (numId, level) of each paragraph style that numbers its paragraphs, through
    its basedOn chain, and the default paragraph style."""
    if styles is None:
        return {}, None
    own: dict[str, tuple[str | None, str | None]] = {}
    parents: dict[str, str] = {}
    default = None
    for style in styles.findall(_w("style")):
        if style.get(_w("type")) != "paragraph":
            continue
        style_id = str(style.get(_w("styleId")))
        if style.get(_w("default")) in ("1", "true"):
            default = style_id
        based_on = style.find(_w("basedOn"))
        if based_on is not None:
            parents[style_id] = str(based_on.get(_w("val")))
        numbering = style.find(f"{_w('pPr')}/{_w('numPr')}")
        if numbering is not None:
            num_id, level = numbering.find(_w("numId")), numbering.find(_w("ilvl"))
            own[style_id] = (
                None if num_id is None else str(num_id.get(_w("val"))),
                None if level is None else str(level.get(_w("val"))),
            )
    resolved = {}
    for style_id in set(own) | set(parents):
        found = _inherited(style_id, own, parents)
        if found is not None:
            resolved[style_id] = found
    return resolved, default


def _inherited(
    style_id: str, own: dict[str, tuple[str | None, str | None]], parents: dict[str, str]
) -> tuple[str, str | None] | None:
    seen = set()
    current: str | None = style_id
    while current is not None and current not in seen:
        seen.add(current)
        if current in own and own[current][0] is not None:
            num_id, level = own[current]
            return str(num_id), level
        current = parents.get(current)
    return None
