"""One warm LibreOffice worker for pipeline/convert.py: starts its own soffice,
drives it over UNO and converts one DOCX to PDF per JSON line read on stdin.

Runs under the system Python that has LibreOffice's ``uno`` module (Debian's
``/usr/bin/python3`` with ``python3-uno``), not under the project's
virtualenv, so it imports nothing but the standard library and ``uno``.

    python3 uno_worker.py --soffice PATH --profile DIR --pipe NAME

Protocol, one JSON object per line: the worker first writes
``{"ready": true}`` (or ``{"ready": false, "error": …}``); then for each
``{"source": …, "target": …, "pdfa": false}`` read it writes
``{"ok": true}`` or ``{"ok": false, "error": …, "stage": "load" | "store"}``
(the parent tells a full disk by the store failing). For a merged file of
several documents (merge.py), ``{"source": …, "documents": [{"bookmark": …,
"end_bookmark": …, "target": …, "properties": {…}}, …], "pdfa": false}``, it writes ``{"ok":
true, "documents": [an answer per document]}``, each document's pages stored
with PageRange after its own properties are set; or ``{"ok": false, …,
"stage": "load" | "split"}`` when it could do none. A document LibreOffice
cannot load is an answer; anything that breaks the connection to soffice
ends the worker with a message on stderr, and the parent restarts it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue, UnknownPropertyException
from com.sun.star.connection import NoConnectException
from com.sun.star.io import IOException
from com.sun.star.lang import IllegalArgumentException
from com.sun.star.uno import RuntimeException

CONNECT_TIMEOUT = 60
# Without a forced import filter LibreOffice type-detects garbage bytes named
# .docx as plain text and exports a PDF of them.
IMPORT_FILTER = "MS Word 2007 XML"
EXPORT_FILTER = "writer_pdf_Export"
KEEP_BROKEN = "a paragraph kept with the next one ends a page: converted alone to be sure of its layout"

# The uno module and the com.sun.star classes carry no type information: the
# objects they hand back (PropertyValue structs, the Desktop, documents) are Any
# to mypy, and the signatures below say so rather than pretend otherwise.


def properties(**values: object) -> tuple[Any, ...]:
    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found)


def start_soffice(soffice: str, profile: str, pipe: str) -> subprocess.Popen[bytes]:
    # The worker leads the process group the parent kills, and soffice (a
    # shell script → oosplash → soffice.bin) stays in it: no setsid here.
    # soffice's own temporary folders (lu*.tmp), which a killed soffice leaves
    # behind, go beside the profile and are removed with it.
    temporary = os.path.join(os.path.dirname(profile), "tmp")
    os.makedirs(temporary, exist_ok=True)
    return subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": temporary},
    )


def connect(pipe: str, soffice_process: subprocess.Popen[bytes]) -> Any:
    """The Desktop of our soffice, polled for until it accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        except NoConnectException:
            if soffice_process.poll() is not None:
                raise RuntimeError(f"soffice exited with code {soffice_process.returncode} before accepting") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"soffice did not accept a connection within {CONNECT_TIMEOUT} s") from None
            time.sleep(0.05)


def convert(desktop: Any, source: str, target: str, pdfa: bool) -> dict[str, object]:
    """The answer for one document: {"ok": true}, or why LibreOffice could not load or store it."""
    document = load(desktop, source)
    if isinstance(document, dict):
        return document
    try:
        return store(document, target, pdfa)
    finally:
        document.close(True)


def convert_chunk(desktop: Any, source: str, documents: list[dict[str, Any]], pdfa: bool) -> dict[str, object]:
    """The answer for a merged file (merge.py): {"ok": true, "documents": [an answer per document]},
    each document's pages stored to its own PDF with its own properties; or why none could be."""
    document = load(desktop, source)
    if isinstance(document, dict):
        return document
    try:
        ranges = page_ranges(document, [(entry["bookmark"], entry["end_bookmark"]) for entry in documents])
        if ranges is None:
            return failed("split", "LibreOffice did not lay the documents out on pages of their own")
        answers = []
        for entry, pages in zip(documents, ranges, strict=True):
            if keep_broken(document, pages):
                answers.append(failed("split", KEEP_BROKEN))
                continue
            set_properties(document, entry["properties"])
            answers.append(store(document, entry["target"], pdfa, pages))
        return {"ok": True, "error": None, "documents": answers}
    finally:
        document.close(True)


def load(desktop: Any, source: str) -> Any:
    """The loaded document, or the failed answer (a dict) when LibreOffice could not open it."""
    load_options = properties(Hidden=True, ReadOnly=True, FilterName=IMPORT_FILTER, UpdateDocMode=0)
    try:
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load_options)
    except (IllegalArgumentException, IOException) as err:
        return failed("load", f"LibreOffice could not open it as a DOCX ({err.Message or type(err).__name__})")
    if document is None:
        return failed("load", "LibreOffice could not open it as a DOCX (damaged or not a Word file)")
    return document


def store(document: Any, target: str, pdfa: bool, pages: str | None = None) -> dict[str, object]:
    # A page range counts the blank pages LibreOffice inserts (a page numbered 1 must be a right-hand page)
    # only when they are exported, as the view cursor's page numbers do; none falls within a range.
    options: dict[str, object] = {"PageRange": pages, "IsSkipEmptyPages": False} if pages else {}
    if pdfa:
        options["SelectPdfVersion"] = 2  # PDF/A-2b: archive-grade output, fonts embedded, no transparency
    store_options: dict[str, object] = {"FilterName": EXPORT_FILTER}
    if options:
        store_options["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", properties(**options))
    try:
        document.storeToURL(uno.systemPathToFileUrl(target), properties(**store_options))
    except IOException as err:
        return failed("store", f"LibreOffice could not write the PDF ({err.Message or type(err).__name__})")
    return {"ok": True, "error": None}


def page_ranges(document: Any, bookmarks: list[tuple[str, str]]) -> list[str] | None:
    """Each document's pages ("first-last") in the merged file, from the pages
    of its start and end bookmarks; None unless each has pages after the previous one's."""
    cursor = document.getCurrentController().getViewCursor()
    marks = document.getBookmarks()
    pages = []
    for name in (name for pair in bookmarks for name in pair):
        if not marks.hasByName(name):
            return None
        cursor.gotoRange(marks.getByName(name).getAnchor(), False)
        pages.append(cursor.getPage())
    if pages != sorted(pages) or any(end == start for end, start in zip(pages[1:-1:2], pages[2::2], strict=True)):
        return None
    return [f"{start}-{end}" for start, end in zip(pages[::2], pages[1::2], strict=True)]


def keep_broken(document: Any, pages: str) -> bool:
    """Whether a page of the document but its last ends with a paragraph kept with the next one.

    LibreOffice lays a long "keep with next" chain out differently depending on
    what came before it in the file (we did not find why; its layout loop
    control giving the keep up is a guess): a letter's closing block moved to
    its last page alone, but broke across the page when another letter came
    first. Alone it may break too, but a document whose keep broke is
    converted alone to be sure; so is one whose cursor cannot say."""
    first, last = (int(page) for page in pages.split("-"))
    cursor = document.getCurrentController().getViewCursor()
    for page in range(first, last):
        cursor.jumpToPage(page)
        cursor.jumpToEndOfPage()
        try:
            if cursor.getPropertyValue("ParaKeepTogether"):
                return True
        except UnknownPropertyException:
            return True
    return False


def set_properties(document: Any, values: dict[str, Any]) -> None:
    """The document's own title, subject, author, keywords and description, which the PDF carries (the stamp)."""
    info = document.getDocumentProperties()
    info.Title, info.Subject, info.Author = values["title"], values["subject"], values["author"]
    info.Keywords = tuple(values["keywords"])
    info.Description = values["description"]


def failed(stage: str, error: str) -> dict[str, object]:
    return {"ok": False, "error": error, "stage": stage}


def answer_request(desktop: Any, request: dict[str, Any]) -> dict[str, object]:
    pdfa = request.get("pdfa", False)
    if "documents" in request:
        return convert_chunk(desktop, request["source"], request["documents"], pdfa)
    return convert(desktop, request["source"], request["target"], pdfa)


def end_group() -> None:
    """Kill soffice with us; the parent started us as a process group leader."""
    if os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)


def watch_parent(parent: int) -> None:
    # A parent killed with SIGKILL cannot clean up: its orphaned workers would
    # keep soffice running forever, so each one watches for its parent to go.
    while os.getppid() == parent:
        time.sleep(0.5)
    end_group()


def answer(message: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--pipe", required=True)
    args = parser.parse_args()
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        return serve(args)
    finally:
        # However the worker ends — stdin closed, a broken pipe to a parent
        # killed mid-answer, an exception — its soffice must not outlive it.
        end_group()


def serve(args: argparse.Namespace) -> int:
    soffice_process = start_soffice(args.soffice, args.profile, args.pipe)
    try:
        desktop = connect(args.pipe, soffice_process)
    except RuntimeError as err:
        answer({"ready": False, "error": str(err)})
        return 1
    answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = answer_request(desktop, request)
        except RuntimeException as err:  # DisposedException and the like: soffice is gone
            sys.stderr.write(f"lost LibreOffice: {type(err).__name__}: {err.Message}\n")
            return 1
        answer(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
