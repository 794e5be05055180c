"""How template tags are read out of Word's XML: docxtpl's merging of tags that
Word split across runs, plus straight quotes for the curly ones AutoCorrect
types inside tags. The renderer and the template checker both read tags here,
so a template the checker passes is read the same way when it is rendered.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate

# AutoCorrect turns " into «» (Russian) or “” „“ (English, German), and ' into ‘’.
DOUBLE_CURLY = "«»“”„‟"
SINGLE_CURLY = "‘’‚‛"
CURLY_QUOTES = DOUBLE_CURLY + SINGLE_CURLY
# The parts of a DOCX whose text may hold tags: the body, headers, footers,
# foot- and endnotes. The renderer, the checker and the font check read the same ones.
TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
# A whole tag in XML text; after docxtpl's patch it sits in one <w:t> or bare between elements.
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


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


# docxtpl ships no type information, so its class is Any to mypy; subclassing it is the point here.
class PatchedTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template whose tag patching also straightens AutoCorrect's quotes."""

    def patch_xml(self, src_xml: str) -> str:
        return normalize_tag_quotes(super().patch_xml(src_xml))
