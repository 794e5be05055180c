"""How template tags are read out of Word's XML: tags Word split across runs
merged into the run where they start, plus straight quotes for the curly ones
AutoCorrect types inside tags, then docxtpl's own patching. The renderer and
the template checker both read tags here, so a template the checker passes is
read the same way when it is rendered.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docxtpl import DocxTemplate
from lxml import etree

# AutoCorrect turns " into «» (Russian) or “” „“ (English, German), and ' into ‘’.
DOUBLE_CURLY = "«»“”„‟"
SINGLE_CURLY = "‘’‚‛"
CURLY_QUOTES = DOUBLE_CURLY + SINGLE_CURLY
# A whole tag in XML text; after docxtpl's patch it sits in one <w:t> or bare between elements.
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Run properties Word changes without the text looking different: the proofing
# language, complex-script twins of size and style, a font hint.
INVISIBLE_FORMATTING = frozenset(
    f"{W}{name}" for name in ("lang", "noProof", "rPrChange", "bCs", "iCs", "szCs", "cs", "rtl", "webHidden")
)


def straighten_quotes(tag: str) -> str:
    """`{% if client.kind == «company» %}` → `{% if client.kind == "company" %}`.

    A curly quote inside a string already opened by a straight one is text the
    author meant (`{{ "«" ~ name ~ "»" }}`) and stays.
    """
    output = []
    open_quote = ""
    for char in tag:
        if open_quote:
            if char == open_quote:
                open_quote = ""
            output.append(char)
        elif char in "\"'":
            open_quote = char
            output.append(char)
        elif char in DOUBLE_CURLY:
            output.append('"')
        elif char in SINGLE_CURLY:
            output.append("'")
        else:
            output.append(char)
    return "".join(output)


def curly_quotes_in(tag: str) -> str:
    """The curly quotes `straighten_quotes` would replace in `tag`, in order."""
    return "".join(a for a, b in zip(tag, straighten_quotes(tag), strict=True) if a != b)


def normalize_tag_quotes(xml: str) -> str:
    """Every tag in `xml` with its curly quotes made straight; text outside tags is untouched."""
    return TAG.sub(lambda match: straighten_quotes(match.group(0)), xml)


@dataclass(frozen=True)
class SplitTag:
    """A tag whose text Word spread over several <w:t> of one paragraph."""

    text: str
    pieces: tuple[etree._Element, ...]  # the <w:t> elements from the one it starts in to the one it ends in
    start: int  # where the tag starts in the first piece's text
    end: int  # where it ends in the last piece's text


def split_tags(paragraph: etree._Element) -> Iterator[SplitTag]:
    """Every tag of the paragraph that spans more than one <w:t>, last first (merging one
    then leaves the positions of those before it as they were)."""
    pieces = list(paragraph.iter(f"{W}t"))
    starts = []
    offset = 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece.text or "")
    text = "".join(piece.text or "" for piece in pieces)
    for match in reversed(list(TAG.finditer(text))):
        first = _piece_at(starts, match.start())
        last = _piece_at(starts, match.end() - 1)
        if first != last:
            start, end = match.start() - starts[first], match.end() - starts[last]
            yield SplitTag(match.group(0), tuple(pieces[first : last + 1]), start, end)


def _piece_at(starts: list[int], position: int) -> int:
    """The piece holding the character at `position` (an empty piece holds none)."""
    return bisect.bisect_right(starts, position) - 1


def merge_split_tag(tag: SplitTag) -> None:
    """Put the whole tag in the run where it starts (so its value takes that run's formatting);
    the text after it stays in the last run, with that run's own formatting."""
    first, *middle, last = tag.pieces
    _set_text(first, (first.text or "")[: tag.start] + tag.text)
    for piece in middle:
        _set_text(piece, "")
    _set_text(last, (last.text or "")[tag.end :])


def _set_text(piece: etree._Element, text: str) -> None:
    piece.text = text
    if text != text.strip():
        piece.set(XML_SPACE, "preserve")


def formatting_differs(tag: SplitTag) -> bool:
    """Whether the runs holding the tag's characters look different (bold, italic, size, font…)."""
    holding = [tag.pieces[0], *(p for p in tag.pieces[1:-1] if p.text), *([tag.pieces[-1]] if tag.end else [])]
    return len({_visible_formatting(piece) for piece in holding}) > 1


def _visible_formatting(piece: etree._Element) -> frozenset[tuple[str, tuple[tuple[str, str], ...]]]:
    run = piece.getparent()
    properties = run.find(f"{W}rPr") if run is not None else None
    if properties is None:
        return frozenset()
    return frozenset(
        (child.tag, tuple(sorted((k, v) for k, v in child.attrib.items() if k != f"{W}hint")))
        for child in properties
        if child.tag not in INVISIBLE_FORMATTING
    )


def merge_split_tags(xml: str) -> str:
    """`xml` with every tag Word split across runs of a paragraph merged (merge_split_tag);
    unchanged when there is none. A tag split across paragraphs is left to the checker."""
    root = etree.fromstring(xml.encode("utf-8"))
    merged = False
    for paragraph in root.iter(f"{W}p"):
        for tag in split_tags(paragraph):
            merge_split_tag(tag)
            merged = True
    return etree.tostring(root, encoding="unicode") if merged else xml


# docxtpl ships no type information, so its class is Any to mypy; subclassing it is the point here.
class PatchedTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template whose tag patching first merges split tags run by run, keeping
    the formatting of the text around them, and then straightens AutoCorrect's quotes."""

    def patch_xml(self, src_xml: str) -> str:
        return normalize_tag_quotes(super().patch_xml(merge_split_tags(src_xml)))
