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
true, "documents": [an answer per document]}``, or ``{"ok": false, …,
"stage": "load" | "split"}`` when it could do none. A chunk request also
names ``"whole": PATH``: the merged file is first stored there with every page,
blank ones included, and each document's answer names ``"pages": "first-last"``,
its pages in that file, for the parent to check (and, for a plain PDF, to cut:
split.py; a PDF/A is stored by the worker). Where LibreOffice's
Python script provider is installed (Debian's
``libreoffice-script-provider-python``), this very file is also copied into
the profile as a Python macro and each request is answered inside soffice
with one UNO call (``answer_in_soffice``), instead of a dozen calls a document
across the pipe; otherwise, or when the macro fails, over the pipe as before
(``--no-macro`` forces that). The ready line says which: ``{"ready": true,
"in_soffice": …}``. A document LibreOffice
cannot load is an answer; anything that breaks the connection to soffice
ends the worker with a message on stderr, and the parent restarts it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
from com.sun.star.uno import Exception as UnoException
from com.sun.star.uno import RuntimeException

CONNECT_TIMEOUT = 60
# Without a forced import filter LibreOffice type-detects garbage bytes named
# .docx as plain text and exports a PDF of them.
IMPORT_FILTER = "MS Word 2007 XML"
EXPORT_FILTER = "writer_pdf_Export"
# The macro: this file copied into the profile's user scripts, its answer_in_soffice called by URL.
MACRO_FILE = "pipeline_uno_worker.py"
MACRO_URL = f"vnd.sun.star.script:{MACRO_FILE}$answer_in_soffice?language=Python&location=user"
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


def connect(pipe: str, soffice_process: subprocess.Popen[bytes]) -> tuple[Any, Any]:
    """The component context and the Desktop of our soffice, polled for until it accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return remote, remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
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


def convert_chunk(
    desktop: Any, source: str, documents: list[dict[str, Any]], pdfa: bool, whole: str
) -> dict[str, object]:
    """The answer for a merged file (merge.py): {"ok": true, "documents": [an answer per document]},
    or why none could be. The merged file is first stored to `whole`, every page exported (the blank
    ones too, so that the view cursor's page numbers are the PDF's) with the bookmarks as named
    destinations: that export lays the whole file out, and each document's pages are read off that
    layout only then (read before, they were seen to come from an unfinished one: a blank page
    counted into an invoice), named in its answer for the parent to check against the destinations.
    A plain PDF is cut out of `whole` by the parent (split.py); a PDF/A is stored here, the
    document's pages after its own properties, LibreOffice writing its XMP."""
    document = load(desktop, source)
    if isinstance(document, dict):
        return document
    try:
        stored = store(document, whole, False, every_page=True)
        if not stored["ok"]:
            return {**stored, "documents": None}
        ranges = page_ranges(document, [(entry["bookmark"], entry["end_bookmark"]) for entry in documents])
        if ranges is None:
            return failed("split", "LibreOffice did not lay the documents out on pages of their own")
        answers = []
        for entry, pages in zip(documents, ranges, strict=True):
            if keep_broken(document, pages):
                answers.append(failed("split", KEEP_BROKEN))
            elif pdfa:
                set_properties(document, entry["properties"])
                answers.append(store(document, entry["target"], pdfa, pages) | {"pages": pages})
            else:
                answers.append(ok(pages))
        return {"ok": True, "error": None, "documents": answers}
    finally:
        document.close(True)


def ok(pages: str) -> dict[str, object]:
    return {"ok": True, "error": None, "pages": pages}


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


def store(
    document: Any, target: str, pdfa: bool, pages: str | None = None, every_page: bool = False
) -> dict[str, object]:
    # A page range counts the blank pages LibreOffice inserts (a page numbered 1 must be a right-hand page)
    # only when they are exported, as the view cursor's page numbers do; none falls within a range.
    options: dict[str, object] = {"PageRange": pages, "IsSkipEmptyPages": False} if pages else {}
    if every_page:
        options |= {"IsSkipEmptyPages": False, "ExportBookmarksToPDFDestination": True}
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
    if request.get("ping"):
        return {"ok": True, "error": None}
    pdfa = request.get("pdfa", False)
    if "documents" in request:
        return convert_chunk(desktop, request["source"], request["documents"], pdfa, request["whole"])
    return convert(desktop, request["source"], request["target"], pdfa)


def answer_in_soffice(request: str) -> str:
    """The macro: one request (JSON) answered inside soffice, where each UNO call is a function call."""
    desktop = XSCRIPTCONTEXT.getDesktop()  # type: ignore[name-defined]  # noqa: F821 (the script provider's)
    return json.dumps(answer_request(desktop, json.loads(request)), ensure_ascii=False)


g_exportedScripts = (answer_in_soffice,)  # what the script provider may call


def install_macro(profile: str) -> None:
    """This file as a Python macro of the profile's user, before soffice first starts on it."""
    scripts = os.path.join(profile, "user", "Scripts", "python")
    os.makedirs(scripts, exist_ok=True)
    shutil.copyfile(__file__, os.path.join(scripts, MACRO_FILE))


def find_macro(context: Any) -> Any | None:
    """The macro, answering a ping; None without LibreOffice's Python script provider or when it fails."""
    try:
        factory = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.script.provider.MasterScriptProviderFactory", context
        )
        macro = factory.createScriptProvider("").getScript(MACRO_URL)
        answered = json.loads(macro.invoke((json.dumps({"ping": True}),), (), ())[0])
    except Exception:  # noqa: BLE001 — any failure (no provider, a UNO exception, a bad answer) means "over the pipe"
        return None
    return macro if isinstance(answered, dict) and answered.get("ok") else None


def answer_with(desktop: Any, macro: Any | None, request: dict[str, Any]) -> dict[str, object]:
    """The answer to a request: from the macro inside soffice when there is one, else over the pipe;
    a macro that fails on a request (a UNO exception, not a lost soffice) leaves it to the pipe."""
    if macro is not None:
        try:
            answered = json.loads(macro.invoke((json.dumps(request, ensure_ascii=False),), (), ())[0])
        except UnoException as err:
            if isinstance(err, RuntimeException):
                raise
            sys.stderr.write(f"the macro failed, over the pipe instead: {type(err).__name__}: {err.Message}\n")
        else:
            if isinstance(answered, dict):
                return answered
    return answer_request(desktop, request)


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
    parser.add_argument("--no-macro", action="store_true", help="answer over the pipe, never inside soffice")
    args = parser.parse_args()
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        return serve(args)
    finally:
        # However the worker ends — stdin closed, a broken pipe to a parent
        # killed mid-answer, an exception — its soffice must not outlive it.
        end_group()


def serve(args: argparse.Namespace) -> int:
    if not args.no_macro:
        install_macro(args.profile)
    soffice_process = start_soffice(args.soffice, args.profile, args.pipe)
    try:
        context, desktop = connect(args.pipe, soffice_process)
    except RuntimeError as err:
        answer({"ready": False, "error": str(err)})
        return 1
    macro = None if args.no_macro else find_macro(context)
    answer({"ready": True, "in_soffice": macro is not None})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = answer_with(desktop, macro, request)
        except RuntimeException as err:  # DisposedException and the like: soffice is gone
            sys.stderr.write(f"lost LibreOffice: {type(err).__name__}: {err.Message}\n")
            return 1
        answer(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
