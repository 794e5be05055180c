"""A template that fails to compile or render becomes one TemplateError line
naming the template, what is wrong and, where known, the paragraph: never a
traceback. The template's XML has a line per paragraph (render.py breaks it
before each <w:p>), and Jinja rewrites a render's traceback to the template's
lines, so the failing tag's paragraph is the line of the last template frame.
"""

from __future__ import annotations

import html
import re
from types import TracebackType

import jinja2

from pipeline.errors import TemplateError
from pipeline.word.limits import LimitExceeded
from pipeline.word.optional_uses import optional_uses
from pipeline.word.tags import TAG

QUOTE_LENGTH = 90
# The sandbox's refusal of list.append, dict.update and the like.
_CHANGES_DATA = re.compile(r"attribute '[a-z_]+' of '(list|dict|set|deque)' object is unsafe")
_TEMPLATE_FILE = "<template>"  # the file name Jinja gives a template compiled from a string

# The errors a template's own arithmetic can raise, each as (problem, advice).
_ARITHMETIC: tuple[tuple[type[BaseException], str, str], ...] = (
    (ZeroDivisionError, "в шаблоне деление на ноль", "проверьте делитель в выражении"),
    (OverflowError, "в шаблоне получается слишком большое число", "проверьте вычисление в выражении"),
    (ArithmeticError, "в шаблоне ошибка вычисления", "проверьте выражение"),
    (RecursionError, "макрос в шаблоне вызывает сам себя без конца", "у рекурсии должно быть условие выхода"),
    (MemoryError, "шаблону не хватило памяти", "проверьте циклы {% for %} и повторение текста"),
)


def compile_problem(template_name: str, error: Exception, source: str = "") -> TemplateError:
    """The message for a template that does not compile (or fails as before: an unknown variable, a bad call)."""
    message = getattr(error, "message", None) or str(error)
    if isinstance(error, jinja2.exceptions.SecurityError) and _CHANGES_DATA.search(message):
        message = f"шаблону запрещено изменять списки и словари ({message}); стройте новые: {{% set x = a + b %}}"
    elif isinstance(error, jinja2.exceptions.SecurityError):
        message = f"шаблону запрещено обращаться к внутренним объектам Python ({message})"
    elif not isinstance(error, jinja2.TemplateError | TypeError | ValueError):
        message = f"{type(error).__name__}: {message}"
    nearby = ""
    line = getattr(error, "lineno", None)
    if source and line:
        lines = source.splitlines()[max(line - 4, 0) : line + 3]
        nearby = " ".join(text for text in (re.sub(r"<[^>]+>", "", x).strip() for x in lines) if text)
    where = f" (рядом с текстом: «{nearby[:120]}»)" if nearby else ""
    return TemplateError(f"{template_name}: ошибка шаблона: {message}{where}")


def too_complex(template_name: str, error: BaseException) -> TemplateError:
    """The message for a template Python cannot compile: nesting too deep, an expression too long."""
    return TemplateError(
        f"{template_name}: шаблон слишком сложен для разбора ({type(error).__name__}: {error}) — "
        "упростите вложенные условия, циклы и выражения"
    )


def render_problem(template_name: str, error: Exception, source: str) -> TemplateError:
    """The message for an error raised while rendering `source`, a compiled part of the template."""
    if isinstance(error, LimitExceeded):
        problem, advice = error.problem, error.advice
    else:
        found = next(((p, a) for kind, p, a in _ARITHMETIC if isinstance(error, kind)), None)
        if found is None:
            if isinstance(error, TemplateError):  # raised on purpose while rendering (a QR code in a header)
                return TemplateError(f"{template_name}: {error}")
            empty = _empty_group_use(error, source)
            if empty is not None:
                return TemplateError(f"{template_name}: {empty}{_where(error, source)}")
            return compile_problem(template_name, error, source)
        problem, advice = found
    return TemplateError(f"{template_name}: {problem}{_where(error, source)} — {advice}")


def _where(error: BaseException, source: str) -> str:
    paragraph = paragraph_at(source, template_line(error.__traceback__))
    return f" (абзац «{paragraph}»)" if paragraph else ""


def _empty_group_use(error: Exception, source: str) -> str | None:
    """For «'None' has no attribute 'date'»: which variable of a group empty in this case the
    failing paragraph uses outside a condition, and the condition to wrap it in."""
    if not isinstance(error, jinja2.UndefinedError) or not str(error).startswith("'None' has no attribute"):
        return None
    line = template_line(error.__traceback__)
    environment = jinja2.Environment()
    try:
        uses = optional_uses(environment.parse(source), environment)
    except jinja2.TemplateError:
        return None
    found = next((use for use in uses if use.lineno == line and use.breaks_render), None)
    return found.message if found else None


def template_line(traceback: TracebackType | None) -> int | None:
    """The template line of the innermost template frame in a rendered template's traceback."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def paragraph_at(source: str, line: int | None) -> str:
    """The text (tags included) of the paragraph at `line` of a part's XML, cut around its first tag."""
    lines = source.split("\n")
    if line is None or not 0 < line <= len(lines):
        return ""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])).replace("\u00a0", " ").split())
    if len(text) <= QUOTE_LENGTH:
        return text
    tag = TAG.search(text)
    at = tag.start() if tag else 0
    start = max(0, min(at - QUOTE_LENGTH // 3, len(text) - QUOTE_LENGTH))
    return ("…" if start else "") + text[start : start + QUOTE_LENGTH] + "…"
