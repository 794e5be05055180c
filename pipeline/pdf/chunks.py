"""Several documents converted in one LibreOffice load: a chunk of up to
CHUNK_DOCUMENTS DOCX files of one template is merged into one file
(merge.py), which a warm worker loads once and lays out once, then stores
each document's pages to its own PDF (PDF export's PageRange) after setting
that document's own properties, so each PDF carries its own stamp and is
PDF/A when asked, exactly as if converted alone.

Why: LibreOffice's cost per document is mostly fixed (a new document model,
styles, theme, settings; a one-page invoice and a three-page pretension take
about the same time). Measured with a warm worker on our documents (CPU time
of soffice.bin a document, chunks of 8 and 16): 80–100 ms alone, 50–75 ms
in a chunk. One export of the whole chunk split with pypdf would cost less
still, but each PDF would carry the fonts of the whole chunk, and PDF/A
metadata would have to be rewritten by hand. The export of each document
walks the whole merged file, so chunks stay small.

A chunk that cannot be made (a file that cannot be merged, a merged file
LibreOffice cannot load or lay out, a worker that hangs or dies on it) is
converted document by document (convert.py), so one bad document costs its
chunk time, never the others their PDFs.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.pdf.merge import MergedDocument, NotMergeable, merge_docx, merge_key
from pipeline.pdf.pdf_file import write_pdfs
from pipeline.pdf.pool import ConversionJob
from pipeline.pdf.soffice_worker import WorkerProcess, answer_error

CHUNK_DOCUMENTS = 8
# How far down the queue a worker looks for documents of its chunk's template.
SCAN_FACTOR = 4
CHUNK_FAILED = "LibreOffice could not convert the merged documents"


class MergeKeys:
    """The merge key of each source (merge.py's merge_key), computed once; safe to share between threads."""

    def __init__(self) -> None:
        self._keys: dict[Path, str | None] = {}
        self._lock = threading.Lock()

    def key(self, source: Path) -> str | None:
        with self._lock:
            if source in self._keys:
                return self._keys[source]
        key = merge_key(source)
        with self._lock:
            self._keys[source] = key
        return key

    def forget(self, source: Path) -> None:
        with self._lock:
            self._keys.pop(source, None)


def convert_chunk(
    worker: WorkerProcess, jobs: Sequence[ConversionJob], merged: Path, pdfa: bool, timeout: float
) -> list[str | None]:
    """Convert the jobs' sources (of one merge key) through one merged file at
    `merged` on `worker`, each PDF through a temporary file renamed into place:
    None for each one made, else why not (the caller converts those alone).
    WorkerLost when the worker hung or died; EnvironmentProblem when the disk is full."""
    try:
        documents = merge_docx([job.source for job in jobs], merged)
    except NotMergeable as err:
        merged.unlink(missing_ok=True)
        return [f"{CHUNK_FAILED} ({err})"] * len(jobs)

    whole = merged.with_suffix(".pdf")

    def produce(partials: list[Path]) -> list[str | None]:
        request = {
            "source": str(merged.resolve()),
            "pdfa": pdfa,
            "documents": [
                {"bookmark": merged_document.bookmark, "end_bookmark": merged_document.end_bookmark}
                | {"target": str(partial.resolve())}
                | {"properties": asdict(merged_document.properties)}
                for merged_document, partial in zip(documents, partials, strict=True)
            ],
            "whole": str(whole.resolve()),
        }
        answer = worker.ask(request, timeout * len(jobs), len(jobs))
        answers = answer.get("documents") if answer.get("ok") else None
        if not isinstance(answers, list) or len(answers) != len(jobs):
            why = answer_error(answer, jobs[0].target) or "no answer for each document"
            return [f"{CHUNK_FAILED} ({why})"] * len(jobs)
        errors = [answer_error(item, job.target) for item, job in zip(answers, jobs, strict=True)]
        return split_answers(whole, answers, errors, documents, partials, pdfa)

    try:
        return write_pdfs([job.target for job in jobs], produce)
    finally:
        merged.unlink(missing_ok=True)
        whole.unlink(missing_ok=True)


def split_answers(
    whole: Path,
    answers: list[dict[str, Any]],
    errors: list[str | None],
    documents: list[MergedDocument],
    partials: list[Path],
    pdfa: bool,
) -> list[str | None]:
    """Cut each document the worker laid out (`errors` None) out of the merged PDF into its partial;
    for PDF/A, which the worker stored itself, only check its pages against the merged PDF."""
    from pipeline.pdf.split import CannotSplit, Piece, check_pieces, split_pdf  # pypdf: only when converting

    pieces = [
        Piece(str(answer.get("pages")), (document.bookmark, document.end_bookmark), document.properties, partial)
        for answer, error, document, partial in zip(answers, errors, documents, partials, strict=True)
        if error is None
    ]
    try:
        (check_pieces if pdfa else split_pdf)(whole, pieces)
    except CannotSplit as err:
        return [f"{CHUNK_FAILED} ({err})"] * len(errors)
    return errors
