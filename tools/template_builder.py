"""The python-docx building blocks tools/make_templates.py lays the document
templates out with: page setup, paragraphs, tables with docxtpl row loops,
letterhead, addressee block, signature, QR block, page numbers.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
TEXT_WIDTH_MM = 160  # A4 210 mm − left 30 − right 20
LEFT, CENTER, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


class TemplateBuilder:
    """A document under construction; every tag is written inside one run so
    Word cannot split it."""

    def __init__(self, title: str):
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.footer_distance = Mm(10)
        for style_name in ("Normal", "List Number", "Table Grid"):
            style = self.doc.styles[style_name]
            style.font.name = FONT
            style.font.size = Pt(12)
            fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attribute), FONT)
        normal = self.doc.styles["Normal"].paragraph_format
        normal.space_after, normal.space_before, normal.line_spacing = Pt(0), Pt(0), 1.0
        normal.widow_control = True
        self.doc.core_properties.title = title
        self.doc.core_properties.author = ""
        self.doc.core_properties.comments = ""

    # --- paragraphs -------------------------------------------------------------

    def para(
        self,
        *runs,
        align=JUSTIFY,
        first_line: float | None = 1.25,
        left_cm: float | None = None,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        before: float = 0,
        after: float = 0,
        keep_next: bool = False,
        style: str | None = None,
        container=None,
    ):
        """A paragraph of runs: a run is a str or (str, {"bold": …, "italic": …, "size": …})."""
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph(style=style)
        if container is not None and paragraph is not target.paragraphs[0] and not target.paragraphs[0].text:
            # A new cell holds one empty paragraph; write into it instead of below it.
            first = target.paragraphs[0]
            first._element.getparent().remove(first._element)
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(first_line) if first_line else None
        if left_cm is not None:
            fmt.left_indent = Cm(left_cm)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = keep_next
        for item in runs:
            text, options = (item, {}) if isinstance(item, str) else item
            run = paragraph.add_run(text)
            run.bold = options.get("bold", bold) or None
            run.italic = options.get("italic", italic) or None
            if options.get("size", size):
                run.font.size = Pt(options.get("size", size))
        return paragraph

    def tag(self, text: str, container=None):
        """A docxtpl paragraph tag ({%p … %}): the paragraph vanishes on render."""
        return self.para(text, first_line=None, align=LEFT, container=container)

    def title(self, *lines: str, before: float = 12):
        for index, line in enumerate(lines):
            self.para(
                line,
                align=CENTER,
                first_line=None,
                bold=index == 0,
                size=14 if index == 0 else 12,
                before=before if index == 0 else 0,
                after=6 if index == len(lines) - 1 else 0,
                keep_next=True,
            )

    def heading(self, text: str):
        self.para(text, align=CENTER, first_line=None, bold=True, before=8, after=4, keep_next=True)

    def numbered(self, *runs, keep_next: bool = False):
        """A numbered point: Word's own numbering, so a point left out by a condition leaves no gap."""
        paragraph = self.para(*runs, style="List Number", first_line=None, keep_next=keep_next, after=3)
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Cm(0), Cm(1.25)
        # A tab stop just after the number, so the text follows it closely.
        fmt.tab_stops.add_tab_stop(Cm(2.0))
        return paragraph

    # --- blocks -----------------------------------------------------------------

    def letterhead(self):
        self.para("{{ shop.name }}", align=CENTER, first_line=None, bold=True, size=13)
        for line in ("{{ shop.requisites_line }}", "{{ shop.address }}, {{ shop.contacts_line }}"):
            self.para(line, align=CENTER, first_line=None, size=9)
        rule = self.para("{{ shop.bank.line }}", align=CENTER, first_line=None, size=9, after=10)
        _bottom_border(rule)

    def addressee(self, with_sender: bool = False):
        """The "Кому" block on the right half of the page, as Russian letters place it."""
        indent = 8.5
        self.para(("Кому: ", {"bold": True}), first_line=None, left_cm=indent, align=LEFT, keep_next=True)
        self.tag("{%p for line in client.addressee_lines %}")
        self.para("{{ line }}", first_line=None, left_cm=indent, align=LEFT, keep_next=True)
        self.tag("{%p endfor %}")
        self.para("{{ client.address }}", first_line=None, left_cm=indent, align=LEFT, keep_next=True)
        self.tag("{%p if client.requisites_line %}")
        self.para("{{ client.requisites_line }}", first_line=None, left_cm=indent, align=LEFT, keep_next=True)
        self.tag("{%p endif %}")
        if with_sender:
            self.para(
                ("От кого: ", {"bold": True}), "{{ shop.name }}", first_line=None, left_cm=indent, align=LEFT, before=6
            )
            for line in ("{{ shop.requisites_line }}", "{{ shop.address }}", "{{ shop.contacts_line }}"):
                self.para(line, first_line=None, left_cm=indent, align=LEFT)

    def parties(self, shop_label: str, client_label: str, align=JUSTIFY):
        """The shop and the client, a line each with requisites and address (the invoice, the debt statement)."""
        self.para(
            (shop_label, {"bold": True}),
            "{{ shop.name }}, {{ shop.requisites_line }}, {{ shop.address }}",
            first_line=None,
            align=align,
        )
        self.para(
            (client_label, {"bold": True}),
            "{{ client.title }}{% if client.requisites_line %}, {{ client.requisites_line }}{% endif %}, "
            "{{ client.address }}",
            first_line=None,
            align=align,
        )

    def outgoing_number(self):
        self.para(
            "Исх. № {{ document.number }} от {{ document.date_short }}",
            first_line=None,
            align=LEFT,
            after=6,
        )

    def table(self, columns, header, rows, totals=(), font_size=10, keep_with_next=False):
        """A bordered table: `columns` are (width mm, alignment); each of `rows` is a
        list of cell texts (a text is a str or a list of runs) or a str, a docxtpl
        row tag ({%tr … %}); `totals` are (label, value) rows, the label spanning.

        The header row repeats on every page and keeps with the first row below it, so it
        never stands alone at the bottom of a page; `keep_with_next` keeps every row, and
        the table, with the paragraph after it (a note that must stand right under it).
        """
        table = self.doc.add_table(rows=0, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False

        def add_row(texts, bold=False, aligns=None, keep=keep_with_next):
            row = table.add_row()
            _no_split(row)
            for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
                cell.width = Mm(columns[index][0])
                runs = text if isinstance(text, list) else [text]
                align = aligns[index] if aligns else columns[index][1]
                self.para(
                    *runs, container=cell, first_line=None, align=align, size=font_size, bold=bold, keep_next=keep
                )
            return row

        add_row(header, bold=True, aligns=[CENTER] * len(columns), keep=True)
        _repeat_header(table.rows[0])
        for row in rows:
            if isinstance(row, str):
                self._control_row(table, row)
            else:
                add_row(row)
        for label, value in totals:
            if label.startswith("{%tr"):
                self._control_row(table, label)
                continue
            self._totals_row(table, columns, label, value, font_size, keep_with_next)
        _set_widths(table, [width for width, _ in columns])
        if not keep_with_next:  # a note kept with the table follows it without a gap
            self.para("", first_line=None, size=6)
        return table

    def _totals_row(self, table, columns, label, value, font_size, keep):
        row = table.add_row()
        _no_split(row)
        for index, cell in enumerate(row.cells):
            cell.width = Mm(columns[index][0])
        merged = row.cells[0].merge(row.cells[len(columns) - 2])
        options = {"first_line": None, "align": RIGHT, "size": font_size, "bold": True, "keep_next": keep}
        self.para(label, container=merged, **options)
        self.para(value, container=row.cells[-1], **options)

    def _control_row(self, table, text):
        row = table.add_row()
        row.cells[0].paragraphs[0].add_run(text)

    def plain_table(self, rows, widths, bold_first=False, font_size=12):
        """A borderless layout table (signatures, QR next to text)."""
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.autofit = False
        for texts in rows:
            row = table.add_row()
            _no_split(row)
            for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
                cell.width = Mm(widths[index][0])
                runs = text if isinstance(text, list) else [text]
                self.para(
                    *runs,
                    container=cell,
                    first_line=None,
                    align=widths[index][1],
                    size=font_size,
                    bold=bold_first and index == 0,
                )
        _set_widths(table, [width for width, _ in widths])
        return table

    def signature(self, closing: str | None = None, seal: bool = True):
        """Position, a line to sign on, initials and surname; the seal mark."""
        self.para("", first_line=None, size=8, keep_next=True)
        if closing:
            self.para(closing, first_line=None, align=LEFT, keep_next=True, after=6)
        self.plain_table(
            [["{{ shop.signatory.position }}", "____________________", "{{ shop.signatory.initials_name }}"]],
            [(70, LEFT), (50, CENTER), (40, RIGHT)],
        )
        self.para(
            "{{ shop.signature_note }}",
            first_line=None,
            align=LEFT,
            size=9,
            italic=True,
        )
        if seal:
            self.para("{{ shop.seal }}", first_line=None, align=LEFT, before=6)

    def qr_block(self, caption: str):
        """The payment QR code beside its caption, only when something is to be paid."""
        self.tag("{%p if qr %}")
        self.plain_table(
            [["{{ qr }}", caption]],
            [(45, LEFT), (115, LEFT)],
            font_size=10,
        )
        self.tag("{%p endif %}")

    def payment_details(self):
        self.para("Способы оплаты:", first_line=None, align=LEFT, bold=True, before=6, keep_next=True)
        self.tag("{%p for method in payment.methods %}")
        self.para("— {{ method }}", first_line=None, left_cm=0.6, align=JUSTIFY)
        self.tag("{%p endfor %}")
        self.para(
            ("Назначение платежа: ", {"bold": True}),
            "{{ payment.purpose }}.",
            first_line=None,
            align=JUSTIFY,
            after=4,
        )

    def page_numbers(self):
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        paragraph.paragraph_format.alignment = CENTER
        run = paragraph.add_run()
        run.font.size = Pt(10)
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            elif text == "PAGE":
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = " PAGE "
            else:
                element = OxmlElement("w:t")
                element.text = text
            run._r.append(element)

    def save(self, path: Path):
        self._end_in_paragraph()
        self.doc.save(path)

    def _end_in_paragraph(self):
        """A body ending in a table gets a paragraph after it, as Word itself adds one: 1 pt high, so the
        layout does not move (and documents of one template can be merged for conversion, pdf/merge.py)."""
        blocks = [block for block in self.doc.element.body if block.tag != qn("w:sectPr")]
        if blocks and blocks[-1].tag == qn("w:tbl"):
            ending = self.doc.add_paragraph().paragraph_format
            ending.space_before = ending.space_after = Pt(0)
            ending.line_spacing = Pt(1)


def _bottom_border(paragraph):
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _set_widths(table, widths_mm):
    # LibreOffice lays a table out by its grid columns, Word by the cells: set both.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _no_split(row):
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
