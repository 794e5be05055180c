"""Variables that may be empty, used where no condition tests them. A field of a
group that may be None (`refusal.date` in a case without a refusal) fails the
render; a text that may be empty (`client.email`) prints a paragraph with a
hole in it. Each such use is found statically, with the condition that makes it
safe: the template's {% if %} tests (`X`, `X is not none`, `not X` in an else)
are followed down the branches; `|default` and `is defined` protect what they wrap.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from pipeline.word.template_variables import ANY, NameFinding, Walker, bound_scope, path_text
from pipeline.wording.variables import GROUP, Variable

PROTECTING_FILTERS = frozenset({"default", "d"})
PROTECTING_TESTS = frozenset({"defined", "undefined", "none"})
_PATH = (nodes.Name, nodes.Getattr, nodes.Getitem)
Truths = tuple[frozenset[str], frozenset[str]]  # the paths known filled when a test is true, and when false
_NONE: Truths = (frozenset(), frozenset())


def truths(test: nodes.Node) -> Truths:
    """Which paths a test shows filled: `storage and storage.notice` when true → both;
    `not refusal` when false → refusal; `notice is none` when false → notice."""
    if isinstance(test, _PATH):
        return frozenset({path_text(test)}), frozenset()
    if isinstance(test, nodes.Not):
        when_true, when_false = truths(test.node)
        return when_false, when_true
    if isinstance(test, nodes.And | nodes.Or):
        (left_true, left_false), (right_true, right_false) = truths(test.left), truths(test.right)
        if isinstance(test, nodes.And):
            return left_true | right_true, left_false & right_false
        return left_true & right_true, left_false | right_false
    if isinstance(test, nodes.Test) and test.name == "none" and isinstance(test.node, _PATH):
        return frozenset(), frozenset({path_text(test.node)})
    if isinstance(test, nodes.Compare) and len(test.ops) == 1 and isinstance(test.expr, _PATH):
        operand = test.ops[0]
        if isinstance(operand.expr, nodes.Const) and operand.expr.value is None and operand.op in ("eq", "ne"):
            path = frozenset({path_text(test.expr)})
            return (path, frozenset()) if operand.op == "ne" else (frozenset(), path)
    return _NONE


def condition(paths: list[str]) -> str:
    """The message's advice: the paragraph wrapped in the condition that tests `paths`."""
    test = " and ".join(paths)
    return f"оберните абзац в {{%p if {test} %}} … {{%p endif %}} (или часть фразы в {{% if {test} %}}…{{% endif %}})"


class _OptionalWalker(Walker):
    """The name walker, following which paths the enclosing conditions show filled."""

    def __init__(self, environment: jinja2.Environment, always_filled: frozenset[str]):
        super().__init__(environment)
        self.always_filled = always_filled
        self.filled: frozenset[str] = frozenset()
        self.protected = False
        self.in_path = False  # resolving the inner part of a path: the whole path is checked once
        self.printing: nodes.Node | None = None  # the path `{{ … }}` prints: checked by visit_printed
        self.variables: dict[int, Variable] = {}  # id(node) → what it resolved to
        self.gaps: dict[tuple[int, tuple[str, ...]], list[str]] = {}  # (line, untested paths) → the paths using them

    @contextmanager
    def knowing(self, paths: frozenset[str], protected: bool | None = None) -> Iterator[None]:
        saved = self.filled, self.protected, self.in_path
        self.filled = self.filled | paths
        self.protected = self.protected if protected is None else protected
        self.in_path = False
        try:
            yield
        finally:
            self.filled, self.protected, self.in_path = saved

    def visit(self, node: nodes.Node, scope: dict[str, Variable]) -> None:
        with self.knowing(frozenset()):
            if isinstance(node, nodes.If):
                self.visit_if(node, scope)
            elif isinstance(node, nodes.And | nodes.Or | nodes.CondExpr):
                self.visit_branching(node, scope)
            elif (
                isinstance(node, nodes.Filter)
                and node.name in PROTECTING_FILTERS
                or (isinstance(node, nodes.Test) and node.name in PROTECTING_TESTS)
            ):
                with self.knowing(frozenset(), protected=True):
                    super().visit(node, scope)
            elif isinstance(node, nodes.Output):
                for child in node.nodes:
                    self.visit_printed(child, scope)
            else:
                super().visit(node, scope)

    def visit_if(self, node: nodes.If, scope: dict[str, Variable]) -> None:
        known: frozenset[str] = frozenset()
        for branch in (node, *node.elif_):
            with self.knowing(known):
                self.visit(branch.test, scope)
            when_true, when_false = truths(branch.test)
            with self.knowing(known | when_true):
                for child in branch.body:
                    self.visit(child, scope)
            known |= when_false
        with self.knowing(known):
            for child in node.else_:
                self.visit(child, scope)

    def visit_branching(self, node: nodes.And | nodes.Or | nodes.CondExpr, scope: dict[str, Variable]) -> None:
        if isinstance(node, nodes.CondExpr):
            when_true, when_false = truths(node.test)
            self.visit(node.test, scope)
            with self.knowing(when_true):
                self.visit(node.expr1, scope)
            if node.expr2 is not None:
                with self.knowing(when_false):
                    self.visit(node.expr2, scope)
            return
        self.visit(node.left, scope)
        when_true, when_false = truths(node.left)
        with self.knowing(when_true if isinstance(node, nodes.And) else when_false):
            self.visit(node.right, scope)

    def visit_printed(self, node: nodes.Node, scope: dict[str, Variable]) -> None:
        """`{{ client.email }}` (or `{{ client.email|upper }}`): a value that may be empty, printed."""
        value = node
        while isinstance(value, nodes.Filter) and value.name not in PROTECTING_FILTERS and value.node is not None:
            value = value.node
        self.printing = value
        try:
            self.visit(node, scope)
        finally:
            self.printing = None
        if not isinstance(value, _PATH) or self.protected:
            return
        variable = self.variables.get(id(value), ANY)
        path = path_text(value)
        if variable.optional and variable.type != GROUP and not self.is_filled(path, variable):
            self.report_gap(value, (*self.empty_groups(value), path))
        else:
            self.report_gap(value, self.empty_groups(value))

    def resolve(self, node: nodes.Node, scope: dict[str, Variable]) -> Variable:
        outermost, self.in_path = not self.in_path, True
        try:
            variable = super().resolve(node, scope)
        finally:
            self.in_path = not outermost
        self.variables[id(node)] = variable
        if outermost and not self.protected and node is not self.printing:
            self.report_gap(node, self.empty_groups(node))
        return variable

    def empty_groups(self, node: nodes.Node) -> tuple[str, ...]:
        """The groups that may be None along the path `node` and no condition here tests."""
        gaps = []
        inner = node
        while isinstance(inner, nodes.Getattr | nodes.Getitem):
            inner = inner.node
            variable = self.variables.get(id(inner), ANY)
            path = path_text(inner)
            if variable.optional and variable.type == GROUP and not self.is_filled(path, variable):
                gaps.append(path)
        return tuple(gaps[::-1])

    def is_filled(self, path: str, variable: Variable) -> bool:
        if path in self.always_filled or path in self.filled:
            return True
        if variable.type == GROUP:  # `{% if storage.notice %}` shows storage filled too
            return any(known.startswith((f"{path}.", f"{path}[")) for known in self.filled)
        parent = path.rsplit(".", 1)[0]
        return any(f"{parent}.{flag}" in self.filled for flag in variable.filled_when)

    def report_gap(self, node: nodes.Node, gaps: tuple[str, ...]) -> None:
        """`node`'s path uses the `gaps` (groups, then the value printed) untested: one finding
        per paragraph (a line of the XML) and condition, naming every path that needs it."""
        if gaps:
            paths = self.gaps.setdefault((node.lineno, gaps), [])
            if path_text(node) not in paths:
                paths.append(path_text(node))


@dataclass(frozen=True)
class OptionalUse:
    """Paths used on one line (a paragraph) of a template where `gaps` may be empty and no condition tests them."""

    lineno: int
    paths: tuple[str, ...]
    gaps: tuple[str, ...]  # the groups that may be None along the paths, then the printed value that may be ""

    @property
    def breaks_render(self) -> bool:
        """A group that may be None, not only a value that may print as nothing."""
        return self.gaps[-1] != self.paths[0]

    @property
    def message(self) -> str:
        names = ", ".join(f"«{path}»" for path in self.paths)
        stands = "стоит" if len(self.paths) == 1 else "стоят"
        if self.breaks_render:
            group = self.gaps[-1]
            problem = (
                f"{names} {stands} вне условия, а группа «{group}» бывает пуста: в таком деле документ не соберётся"
            )
        else:
            problem = f"{names} {stands} вне условия, а бывает пусто: абзац напечатается с пропуском"
        return f"{problem}; {condition(list(self.gaps))}"


def optional_uses(
    template: nodes.Template, environment: jinja2.Environment, always_filled: frozenset[str] = frozenset()
) -> list[OptionalUse]:
    """Every use of a variable that may be empty outside a condition testing it, in order;
    `always_filled`: the ones the document's kind always has (presence.always_filled)."""
    walker = _OptionalWalker(environment, always_filled)
    walker.visit(template, bound_scope(template))
    return [OptionalUse(lineno, tuple(paths), gaps) for (lineno, gaps), paths in walker.gaps.items()]


def check_optional_uses(
    template: nodes.Template, environment: jinja2.Environment, always_filled: frozenset[str] = frozenset()
) -> list[NameFinding]:
    """optional_uses as findings of check-templates, each at its paragraph."""
    uses = optional_uses(template, environment, always_filled)
    return [NameFinding(use.message, use.paths[0], use.lineno) for use in uses]
