"""A fast yes-or-don't-know answer to "does this file meet its JSON Schema?": the schema compiled
once into plain Python checks, one closure per keyword.

jsonschema walks the schema anew for every value, with a validator object, a reference lookup and
error bookkeeping at each step: for 2 000 cases it spends more time than reading the YAML. Nearly
every file is valid, and for a valid file there is nothing to report. So schema.py asks this check
first, and only when it says "not valid" runs jsonschema, which then finds the errors and words them
exactly as before. The check must never say "valid" where jsonschema finds an error; saying "not
valid" of a valid file costs time only. Each keyword is checked the way jsonschema's own keyword
function checks it (`jsonschema/_keywords.py`, its draft 2020-12 types); the keywords with no
subschema that are not the common ones here (`format`, `formatMinimum`, …) call that very function.
A keyword this module does not know makes its subschema answer "not valid" always: correct, only
slow (`tests/test_schema_compiled.py` checks that every example case takes the fast way, and compares
the two on every file of the tests).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

from referencing.jsonschema import DRAFT202012

Check = Callable[[Any], bool]  # True: jsonschema finds no error in the value; False: let it say
Resolver = Any  # referencing's resolver of `$ref`s (the class is not exported)

# Keywords jsonschema does not check (annotations, the schema's own bookkeeping) are skipped; of
# those it checks, these are compiled here. Any other makes its subschema "not valid" always.
STRUCTURAL = frozenset({"properties", "additionalProperties", "items", "$ref", "allOf", "anyOf", "oneOf"})
SIMPLE = frozenset(
    {"type", "enum", "const", "required", "minLength", "maxLength", "pattern", "minItems", "maxItems"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
)
# Keywords without a subschema whose jsonschema function is called as it is (it reads only the
# validator's types and format checker).
CALLED = frozenset({"format", "formatMinimum", "formatMaximum"})


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


# The types of draft 2020-12 (jsonschema/_types.py, draft6_type_checker onwards).
TYPES: dict[str, Check] = {
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "integer": _is_integer,
    "null": lambda value: value is None,
    "number": _is_number,
    "object": lambda value: isinstance(value, dict),
    "string": lambda value: isinstance(value, str),
}


def _never(value: Any) -> bool:
    return False


def _always(value: Any) -> bool:
    return True


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for one in checks:
            if not one(value):
                return False
        return True

    return check


class _Compiler:
    """Compiles one validator's schema, following its `$ref`s through the registry."""

    def __init__(self, validator: Any):
        self.validator = validator  # a jsonschema validator: its keyword functions and format checker
        self.by_contents: dict[int, Check] = {}  # a referenced schema compiled once, recursion allowed

    def compile(self, schema: Any, resolver: Resolver) -> Check:
        if schema is True:
            return _always
        if schema is False or not isinstance(schema, dict):
            return _never
        if "$id" in schema:
            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        checks = []
        for keyword, value in schema.items():
            if keyword not in self.validator.VALIDATORS:
                continue  # an annotation: jsonschema checks nothing for it
            checks.append(self._keyword(keyword, value, schema, resolver))
        return _every(checks)

    def _keyword(self, keyword: str, value: Any, schema: dict[str, Any], resolver: Resolver) -> Check:
        if keyword in SIMPLE:
            return _simple(keyword, value)
        if keyword in CALLED:
            return self._called(keyword, value, schema)
        if keyword == "properties":
            return self._properties(value, resolver)
        if keyword == "additionalProperties":
            return self._additional(value, schema, resolver)
        if keyword == "items":
            return self._items(value, schema, resolver)
        if keyword == "$ref":
            return self._reference(value, resolver)
        if keyword in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            branches = [self.compile(branch, resolver) for branch in value]
            if keyword == "allOf":
                return _every(branches)
            return _any_of(branches) if keyword == "anyOf" else _one_of(value, branches)
        return _never  # a keyword not compiled here: jsonschema decides

    def _called(self, keyword: str, bound: Any, schema: dict[str, Any]) -> Check:
        function, validator = self.validator.VALIDATORS[keyword], self.validator

        def check(value: Any) -> bool:
            return next(iter(function(validator, bound, value, schema) or ()), None) is None

        return check

    def _properties(self, properties: Any, resolver: Resolver) -> Check:
        if not isinstance(properties, dict):
            return _never
        compiled = [(name, self.compile(schema, resolver)) for name, schema in properties.items()]

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name, one in compiled:
                if name in value and not one(value[name]):
                    return False
            return True

        return check

    def _additional(self, additional: Any, schema: dict[str, Any], resolver: Resolver) -> Check:
        if "patternProperties" in schema:
            return _never
        known = schema.get("properties", {})
        if additional is False:
            return lambda value: not isinstance(value, dict) or all(name in known for name in value)
        if not isinstance(additional, dict):  # true, or what jsonschema treats as true
            return _always if additional else _never
        extra = self.compile(additional, resolver)
        return lambda value: (
            not isinstance(value, dict) or all(extra(item) for name, item in value.items() if name not in known)
        )

    def _items(self, items: Any, schema: dict[str, Any], resolver: Resolver) -> Check:
        if "prefixItems" in schema:
            return _never
        if items is False:
            return lambda value: not isinstance(value, list) or not value
        each = self.compile(items, resolver)
        return lambda value: not isinstance(value, list) or all(each(item) for item in value)

    def _reference(self, reference: Any, resolver: Resolver) -> Check:
        if not isinstance(reference, str):
            return _never
        try:
            resolved = resolver.lookup(reference)
        except Exception:  # unresolvable: jsonschema says so when it meets it
            return _never
        key = id(resolved.contents)
        if key not in self.by_contents:
            compiled: list[Check] = []
            self.by_contents[key] = lambda value: compiled[0](value)  # a schema reaching itself
            compiled.append(self.compile(resolved.contents, resolved.resolver))
            self.by_contents[key] = compiled[0]
        return self.by_contents[key]


def _simple(keyword: str, expected: Any) -> Check:
    """A keyword without a subschema, as jsonschema's function for it decides."""
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else expected
        if not isinstance(names, list) or not all(name in TYPES for name in names):
            return _never
        tests = [TYPES[name] for name in names]
        return tests[0] if len(tests) == 1 else lambda value: any(test(value) for test in tests)
    if keyword in ("enum", "const"):
        return _equal_to_one_of(expected if keyword == "enum" else [expected])
    if keyword == "required":
        if not isinstance(expected, list):
            return _never
        return lambda value: not isinstance(value, dict) or all(name in value for name in expected)
    if keyword == "pattern":
        if not isinstance(expected, str):
            return _never
        search = re.compile(expected).search
        return lambda value: not isinstance(value, str) or search(value) is not None
    if not _is_number(expected):
        return _never
    return _BOUNDS[keyword](expected)


def _equal_to_one_of(options: Any) -> Check:
    """`enum` (and `const`) of texts and null, which jsonschema's `equal` compares with == and `is`."""
    if not isinstance(options, list) or not all(option is None or isinstance(option, str) for option in options):
        return _never
    texts = frozenset(option for option in options if option is not None)
    null = None in options
    return lambda value: (value is None and null) or (isinstance(value, str) and value in texts)


_BOUNDS: Mapping[str, Callable[[Any], Check]] = {
    "minLength": lambda least: lambda value: not isinstance(value, str) or not len(value) < least,
    "maxLength": lambda most: lambda value: not isinstance(value, str) or not len(value) > most,
    "minItems": lambda least: lambda value: not isinstance(value, list) or not len(value) < least,
    "maxItems": lambda most: lambda value: not isinstance(value, list) or not len(value) > most,
    "minimum": lambda least: lambda value: not _is_number(value) or not value < least,
    "maximum": lambda most: lambda value: not _is_number(value) or not value > most,
    "exclusiveMinimum": lambda bound: lambda value: not _is_number(value) or not value <= bound,
    "exclusiveMaximum": lambda bound: lambda value: not _is_number(value) or not value >= bound,
}


def _any_of(branches: list[Check]) -> Check:
    return lambda value: any(branch(value) for branch in branches)


def _one_of(schemas: list[Any], branches: list[Check]) -> Check:
    """`oneOf` as schema.py's keyword checks it: a discriminated one (every branch its own constant
    `kind`) only by the branch of the value's kind; otherwise exactly one branch valid."""

    def exactly_one(value: Any) -> bool:
        return sum(1 for branch in branches if branch(value)) == 1

    if not is_discriminated(schemas):
        return exactly_one
    kinds = [schema["properties"]["kind"]["const"] for schema in schemas]
    if not all(isinstance(kind, str) for kind in kinds):
        return _never
    by_kind: dict[Any, Check] = {}
    for kind, branch in zip(kinds, branches, strict=True):
        by_kind.setdefault(kind, branch)  # the first branch of a kind, as schema.py's loop takes it

    def check(value: Any) -> bool:
        kind = value.get("kind") if isinstance(value, dict) else None
        branch = by_kind.get(kind) if isinstance(kind, str) else None
        return branch(value) if branch is not None else exactly_one(value)

    return check


def is_discriminated(branches: Any) -> bool:
    """A `oneOf` whose every branch is a group with its own constant `kind` (a discriminator)."""
    return isinstance(branches, list) and all(
        "const" in branch.get("properties", {}).get("kind", {}) for branch in branches
    )


def compile_validity(validator: Any, registry: Any) -> Check:
    """The check of `validator`'s schema, its references looked up in `registry`. A value it cannot
    judge — or that makes a check raise — is "not valid": jsonschema then decides."""
    resolver = registry.resolver_with_root(DRAFT202012.create_resource(validator.schema))
    compiled = _Compiler(validator).compile(validator.schema, resolver)

    def check(value: Any) -> bool:
        try:
            return compiled(value)
        except Exception:  # a comparison jsonschema would also stumble on: let it report
            return False

    return check
