"""Which variables and filters a parsed template uses, checked against the
declaration in variables.py: every path (`client.name`, `row.amount` inside
`{% for row in lines.billed %}`) must exist, every filter and test must be
one the renderer has. Unknown names come with the closest known one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from pipeline.wording.variables import GROUP, LIST, ROOT, TEXT, Variable

# Stands for anything the declaration cannot describe: a {% set %} name, loop.index, a literal.
ANY = Variable("*", "любое", "")
# On a dict, Jinja's `a.items` is the dict method, not the key "items": the template must write a['items'].
DICT_METHODS = frozenset(name for name in dir(dict) if not name.startswith("_"))


@dataclass(frozen=True)
class NameFinding:
    """One unknown name (check_templates turns it into a Problem at its paragraph); `needle` is the text to look for."""

    message: str
    needle: str
    lineno: int


def _suggest(name: str, known: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (может быть, «{prefix}{close[0]}»?)" if close else ""


def path_text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{path_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        key = repr(node.arg.value) if isinstance(node.arg, nodes.Const) else "…"
        return f"{path_text(node.node)}[{key}]"
    return "…"


def _item_of(variable: Variable) -> Variable:
    """What one item of a list variable is."""
    if variable.type != LIST:
        return ANY
    if variable.fields:
        return Variable(f"{variable.name}[]", GROUP, variable.description, fields=variable.fields)
    return Variable(f"{variable.name}[]", TEXT, variable.description)


def _bound_names(template: nodes.Template) -> set[str]:
    """Names a template defines itself ({% set %}, {% with %}, macros and their arguments).

    Taken as defined everywhere: Jinja's scoping rules are finer, but a lawyer's
    template uses them rarely and a false alarm is worse than a missed one here.
    """
    names: set[str] = set()
    for node in template.find_all((nodes.Assign, nodes.AssignBlock, nodes.With, nodes.Macro, nodes.CallBlock)):
        if isinstance(node, nodes.Macro):
            names.add(node.name)
        targets = node.targets if isinstance(node, nodes.With) else [getattr(node, "target", None)]
        targets += list(getattr(node, "args", []))
        for target in targets:
            if target is not None:
                names.update(name.name for name in target.find_all(nodes.Name))
                if isinstance(target, nodes.Name):
                    names.add(target.name)
    return names


class Walker:
    """Walks a parsed template resolving every name against the declaration (optional_uses.py extends it)."""

    def __init__(self, environment: jinja2.Environment):
        self.environment = environment
        self.problems: list[NameFinding] = []

    def report(self, node: nodes.Node, message: str, needle: str) -> None:
        self.problems.append(NameFinding(message, needle, node.lineno))

    def visit(self, node: nodes.Node, scope: dict[str, Variable]) -> None:
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
        elif isinstance(node, nodes.For):
            self.visit_for(node, scope)
        else:
            if isinstance(node, nodes.Filter | nodes.Test):
                self.check_callable(node)
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def visit_for(self, node: nodes.For, scope: dict[str, Variable]) -> None:
        sequence = self.resolve(node.iter, scope)
        if sequence.type not in (LIST, ANY.type):
            path = path_text(node.iter)
            self.report(node, f"«{path}» — не список, его нельзя перебрать циклом for", path)
        inner = dict(scope, loop=ANY)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = _item_of(sequence)
        else:
            inner.update((name.name, ANY) for name in node.target.find_all(nodes.Name))
        for child in (*node.body, *([node.test] if node.test else [])):
            self.visit(child, inner)
        for child in node.else_:
            self.visit(child, scope)

    def check_callable(self, node: nodes.Filter | nodes.Test) -> None:
        known = self.environment.filters if isinstance(node, nodes.Filter) else self.environment.tests
        if node.name not in known:
            what = "неизвестный фильтр" if isinstance(node, nodes.Filter) else "неизвестная проверка is"
            hint = _suggest(node.name, sorted(known))
            self.report(node, f"{what} «{node.name}»{hint}", node.name)

    def resolve(self, node: nodes.Node, scope: dict[str, Variable]) -> Variable:
        """The declared variable `node` refers to (ANY when it cannot be told); reports unknown names."""
        if isinstance(node, nodes.Name):
            return self.resolve_name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self.member(self.resolve(node.node, scope), node.attr, node, subscript=False)
        if isinstance(node, nodes.Getitem):
            base = self.resolve(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(base, node.arg.value, node, subscript=True)
            self.visit(node.arg, scope)
            return _item_of(base) if base.type == LIST else ANY
        self.visit(node, scope)
        return ANY

    def resolve_name(self, node: nodes.Name, scope: dict[str, Variable]) -> Variable:
        if node.ctx != "load":
            return ANY
        if node.name in scope:
            return scope[node.name]
        declared = ROOT.field(node.name)
        if declared is not None:
            return declared
        if node.name not in self.environment.globals:
            known = [variable.name for variable in ROOT.fields] + sorted(scope)
            self.report(node, f"неизвестная переменная «{node.name}»{_suggest(node.name, known)}", node.name)
        return ANY

    def member(self, base: Variable, name: str, node: nodes.Node, subscript: bool) -> Variable:
        path = path_text(node)
        parent = path.rsplit("[" if subscript else ".", 1)[0]
        if base is ANY:
            return ANY
        if base.type == GROUP:
            found = base.field(name)
            if found is None:
                known = [variable.name for variable in base.fields]
                hint = _suggest(name, known, f"{parent}.")
                self.report(node, f"неизвестная переменная «{path}»{hint}", path)
                return ANY
            if name in DICT_METHODS and not subscript:
                self.report(node, f"«{path}» даст служебный метод, а не значение; пишите {parent}['{name}']", path)
            return found
        if base.type == TEXT and hasattr(str, name):
            return ANY  # "{{ client.name.upper() }}": a text method
        if base.type == LIST:
            message = f"«{parent}» — список: поле «{name}» есть у его строк, пишите цикл {{% for row in {parent} %}}"
        else:
            message = f"у «{parent}» ({base.type}) нет поля «{name}»"
        self.report(node, message, path)
        return ANY


def bound_scope(template: nodes.Template) -> dict[str, Variable]:
    """The scope a walk of `template` starts with: the names it defines itself, each ANY."""
    return dict.fromkeys(_bound_names(template), ANY)


def check_names(template: nodes.Template, environment: jinja2.Environment) -> list[NameFinding]:
    """Every unknown variable path, filter and test in a parsed template, in order."""
    walker = Walker(environment)
    walker.visit(template, bound_scope(template))
    return walker.problems
