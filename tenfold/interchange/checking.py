"""A fast check of a document against the published JSON Schema.

A large organization's file holds hundreds of thousands of rows; a general JSON Schema
validator takes around a tenth of a millisecond per row, which alone would be most of an
import's time budget. The schema Tenfold publishes uses a small set of keywords, so it is
compiled here into plain Python checks, once. A keyword outside that set is refused when the
schema is compiled, so the schema cannot grow a rule this check ignores; a test holds the
results to those of the `jsonschema` package on the same documents.

Each part of the schema is compiled twice: into a plain yes/no test, which is all a valid
document ever meets, and into a check that says where and why a value is wrong, which runs
only where the yes/no test failed.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

from .schema import published_schema

Path = tuple[str | int, ...]
Problem = tuple[Path, str]
Check = Callable[[Any, Path], Iterator[Problem]]
Test = Callable[[Any], bool]

ANNOTATIONS = {"$schema", "title", "description", "$defs"}
TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def _repr(value: Any) -> str:
    return repr(value)


class Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.ref_tests: dict[str, Test] = {}

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/$defs/"):
                raise ValueError(f"unsupported $ref {pointer}")
            self.refs[pointer] = lambda value, path: iter(())  # placeholder for recursion
            self.refs[pointer] = self.compile(self.root["$defs"][pointer.removeprefix("#/$defs/")])
        return self.refs[pointer]

    def ref_test(self, pointer: str) -> Test:
        if pointer not in self.ref_tests:
            self.ref_tests[pointer] = lambda value: True  # placeholder for recursion
            self.ref_tests[pointer] = self.test(
                self.root["$defs"][pointer.removeprefix("#/$defs/")]
            )
        return self.ref_tests[pointer]

    def compile(self, schema: dict[str, Any]) -> Check:
        unknown = set(schema) - ANNOTATIONS - set(KEYWORDS)
        if unknown:
            raise ValueError(f"the schema uses keywords this check does not know: {unknown}")
        checks = [KEYWORDS[key](self, schema[key], schema) for key in schema if key in KEYWORDS]
        passes = self.test(schema)

        def check(value: Any, path: Path) -> Iterator[Problem]:
            if passes(value):
                return
            for one in checks:
                yield from one(value, path)

        return check

    def test(self, schema: dict[str, Any]) -> Test:
        """A yes/no test of `schema`: true exactly when its check finds nothing."""
        string = _string_test(schema)
        if string is not None:
            return string
        tests = [TESTS[key](self, schema[key], schema) for key in schema if key in TESTS]
        if not tests:
            return lambda value: True
        if len(tests) == 1:
            return tests[0]

        return lambda value: all(one(value) for one in tests)


def _type(compiler: Compiler, kinds: Any, schema: dict[str, Any]) -> Check:
    names = kinds if isinstance(kinds, list) else [kinds]
    tests = [TYPES[name] for name in names]
    shown = ", ".join(repr(name) for name in names)

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if not any(test(value) for test in tests):
            yield path, f"{_repr(value)} is not of type {shown}"

    return check


def _enum(compiler: Compiler, options: list[Any], schema: dict[str, Any]) -> Check:
    allowed = {(type(option), option) for option in options}

    def check(value: Any, path: Path) -> Iterator[Problem]:
        try:
            ok = (type(value), value) in allowed
        except TypeError:  # lists and objects are never among the choices
            ok = False
        if not ok:
            yield path, f"{_repr(value)} is not one of {options!r}"

    return check


def _const(compiler: Compiler, expected: Any, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if value != expected or type(value) is not type(expected):
            yield path, f"{expected!r} was expected"

    return check


def _pattern(compiler: Compiler, pattern: str, schema: dict[str, Any]) -> Check:
    search = re.compile(pattern).search

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, str) and search(value) is None:
            yield path, f"{_repr(value)} does not match {pattern!r}"

    return check


def _max_length(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, str) and len(value) > limit:
            yield path, f"{_repr(value)} is too long"

    return check


def _min_length(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, str) and len(value) < limit:
            yield path, f"{_repr(value)} is too short"

    return check


def _minimum(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if TYPES["number"](value) and value < limit:
            yield path, f"{_repr(value)} is less than the minimum of {limit}"

    return check


def _maximum(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if TYPES["number"](value) and value > limit:
            yield path, f"{_repr(value)} is greater than the maximum of {limit}"

    return check


def _properties(compiler: Compiler, properties: dict[str, Any], schema: dict[str, Any]) -> Check:
    compiled = {name: compiler.compile(sub) for name, sub in properties.items()}

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, dict):
            for name, sub in compiled.items():
                if name in value:
                    yield from sub(value[name], (*path, name))

    return check


def _required(compiler: Compiler, names: list[str], schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, dict):
            for name in names:
                if name not in value:
                    yield path, f"{name!r} is a required property"

    return check


def _additional(compiler: Compiler, rule: Any, schema: dict[str, Any]) -> Check:
    known = set(schema.get("properties", {}))
    if rule is False:

        def refuse(value: Any, path: Path) -> Iterator[Problem]:
            if isinstance(value, dict):
                extra = [name for name in value if name not in known]
                if extra:
                    listed = ", ".join(repr(name) for name in extra)
                    verb = "was" if len(extra) == 1 else "were"
                    yield (
                        path,
                        f"Additional properties are not allowed ({listed} {verb} unexpected)",
                    )

        return refuse
    sub = compiler.compile(rule)

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, dict):
            for name, item in value.items():
                if name not in known:
                    yield from sub(item, (*path, name))

    return check


def _items(compiler: Compiler, rule: dict[str, Any], schema: dict[str, Any]) -> Check:
    sub = compiler.compile(rule)

    def check(value: Any, path: Path) -> Iterator[Problem]:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from sub(item, (*path, index))

    return check


def _ref(compiler: Compiler, pointer: str, schema: dict[str, Any]) -> Check:
    def check(value: Any, path: Path) -> Iterator[Problem]:
        yield from compiler.refs[pointer](value, path)

    compiler.ref(pointer)
    return check


def _any_of(compiler: Compiler, options: list[dict[str, Any]], schema: dict[str, Any]) -> Check:
    compiled = [compiler.compile(option) for option in options]

    def check(value: Any, path: Path) -> Iterator[Problem]:
        first: list[Problem] | None = None
        for option in compiled:
            problems = list(option(value, path))
            if not problems:
                return
            first = problems if first is None else first
        # The alternatives are "a row, or null": what is wrong with it as a row helps most.
        yield from first or []

    return check


KEYWORDS: dict[str, Callable[[Compiler, Any, dict[str, Any]], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "maxLength": _max_length,
    "minLength": _min_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional,
    "items": _items,
    "$ref": _ref,
    "anyOf": _any_of,
}


# --- yes/no tests ---------------------------------------------------------------------------


def _string_test(schema: dict[str, Any]) -> Test | None:
    """One test for the commonest shape: a string (or null) with a pattern and lengths."""
    if not set(schema) - ANNOTATIONS <= {"type", "pattern", "maxLength", "minLength"}:
        return None
    kind = schema.get("type")
    if kind == "string":
        nullable = False
    elif kind in (["string", "null"], ["null", "string"]):
        nullable = True
    else:
        return None
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    longest = schema.get("maxLength")
    shortest = schema.get("minLength")

    def passes(value: Any) -> bool:
        if not isinstance(value, str):
            return nullable and value is None
        if longest is not None and len(value) > longest:
            return False
        if shortest is not None and len(value) < shortest:
            return False
        return search is None or search(value) is not None

    return passes


def _type_test(compiler: Compiler, kinds: Any, schema: dict[str, Any]) -> Test:
    names = kinds if isinstance(kinds, list) else [kinds]
    tests = [TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _enum_test(compiler: Compiler, options: list[Any], schema: dict[str, Any]) -> Test:
    allowed = {(type(option), option) for option in options}

    def passes(value: Any) -> bool:
        try:
            return (type(value), value) in allowed
        except TypeError:
            return False

    return passes


def _const_test(compiler: Compiler, expected: Any, schema: dict[str, Any]) -> Test:
    return lambda value: value == expected and type(value) is type(expected)


def _pattern_test(compiler: Compiler, pattern: str, schema: dict[str, Any]) -> Test:
    search = re.compile(pattern).search
    return lambda value: not isinstance(value, str) or search(value) is not None


def _max_length_test(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Test:
    return lambda value: not isinstance(value, str) or len(value) <= limit


def _min_length_test(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Test:
    return lambda value: not isinstance(value, str) or len(value) >= limit


def _minimum_test(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Test:
    number = TYPES["number"]
    return lambda value: not number(value) or value >= limit


def _maximum_test(compiler: Compiler, limit: int, schema: dict[str, Any]) -> Test:
    number = TYPES["number"]
    return lambda value: not number(value) or value <= limit


def _properties_test(
    compiler: Compiler, properties: dict[str, Any], schema: dict[str, Any]
) -> Test:
    tests = {name: compiler.test(sub) for name, sub in properties.items()}
    find = tests.get

    def passes(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                test = find(name)
                if test is not None and not test(item):
                    return False
        return True

    return passes


def _required_test(compiler: Compiler, names: list[str], schema: dict[str, Any]) -> Test:
    wanted = frozenset(names)
    return lambda value: not isinstance(value, dict) or wanted <= value.keys()


def _additional_test(compiler: Compiler, rule: Any, schema: dict[str, Any]) -> Test:
    known = frozenset(schema.get("properties", {}))
    if rule is False:
        return lambda value: not isinstance(value, dict) or value.keys() <= known
    sub = compiler.test(rule)

    def passes(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                if name not in known and not sub(item):
                    return False
        return True

    return passes


def _items_test(compiler: Compiler, rule: dict[str, Any], schema: dict[str, Any]) -> Test:
    rows = _rows_test(compiler, _resolved(compiler, rule))
    if rows is not None:
        return rows
    sub = compiler.test(rule)
    return lambda value: not isinstance(value, list) or all(map(sub, value))


# --- yes/no tests of a whole section, column by column --------------------------------------

_NOT_NONE = functools.partial(operator.is_not, None)
EXACT_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "integer": frozenset({int}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
}
"""The Python types of JSON values that certainly have a schema type (a subclass, or a
float that is a whole number, takes the row-by-row test)."""


def _resolved(compiler: Compiler, rule: dict[str, Any]) -> dict[str, Any]:
    pointer = rule.get("$ref")
    if set(rule) == {"$ref"} and isinstance(pointer, str) and pointer.startswith("#/$defs/"):
        resolved: dict[str, Any] = compiler.root["$defs"][pointer.removeprefix("#/$defs/")]
        return resolved
    return rule


def _rows_test(compiler: Compiler, schema: dict[str, Any]) -> Test | None:
    """A yes/no test of a list of rows that all have the same keys, which tests each column
    in one pass over its values: a section of a large document holds millions of values,
    and looking each one's test up row by row cost more than the tests themselves."""
    if set(schema) - ANNOTATIONS != {"type", "properties", "required", "additionalProperties"}:
        return None
    names = frozenset(schema["properties"])
    if schema["type"] != "object" or schema["additionalProperties"] is not False:
        return None
    if set(schema["required"]) != names:
        return None
    tests = [_column_test(compiler, sub) for sub in schema["properties"].values()]
    names_in_order = list(schema["properties"])
    cells: Callable[[Any], tuple[Any, ...]] = operator.itemgetter(*names_in_order)
    if len(names_in_order) == 1:
        name = names_in_order[0]
        cells = lambda row: (row[name],)  # noqa: E731
    every_key = itertools.repeat(names)

    def passes(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if not set(map(type, value)) <= {dict}:
            return False
        if not all(map(operator.eq, every_key, map(dict.keys, value))):
            return False
        if not value:
            return True
        # The rows' cells, column by column.
        columns = zip(*map(cells, value), strict=True)
        return all(test(column) for test, column in zip(tests, columns, strict=True))

    return passes


ColumnTest = Callable[[Any], bool]


def _column_test(compiler: Compiler, schema: dict[str, Any]) -> ColumnTest:
    """A yes/no test of every value of a column: true only when `compiler.test(schema)` is
    true of each value."""
    keywords = set(schema) - ANNOTATIONS
    kinds = schema.get("type")
    names: list[str] = kinds if isinstance(kinds, list) else [str(kinds)]
    if keywords == {"enum"}:
        allowed = {(type(option), option) for option in schema["enum"]}

        def chosen(values: Any) -> bool:
            try:
                return set(zip(map(type, values), values, strict=True)) <= allowed
            except TypeError:  # lists and objects are never among the choices
                return False

        return chosen
    simple = {"type", "pattern", "maxLength", "minLength", "minimum", "maximum"}
    if "type" in keywords and keywords <= simple and set(names) <= set(EXACT_TYPES):
        types = frozenset().union(*(EXACT_TYPES[name] for name in names))
        nullable = type(None) in types
        texts = types - {type(None)} == {str}
        whole = types - {type(None)} == {int}
        if (texts and keywords <= simple - {"minimum", "maximum"}) or (
            whole and keywords <= {"type", "minimum", "maximum"}
        ):
            search = re.compile(schema["pattern"]).search if "pattern" in schema else None
            longest = schema.get("maxLength")
            shortest = schema.get("minLength")
            least = schema.get("minimum")
            most = schema.get("maximum")

            def typed(values: Any) -> bool:
                if nullable:
                    values = list(filter(_NOT_NONE, values))
                if not values:
                    return True
                if not set(map(type, values)) <= types:
                    return False
                if texts:
                    distinct = set(values)  # references and moments repeat: test each once
                    if longest is not None and max(map(len, distinct)) > longest:
                        return False
                    if shortest is not None and min(map(len, distinct)) < shortest:
                        return False
                    return search is None or all(map(search, distinct))
                if least is not None and min(values) < least:
                    return False
                return most is None or max(values) <= most

            return typed
    one = compiler.test(schema)
    return lambda values: all(map(one, values))


def _ref_test(compiler: Compiler, pointer: str, schema: dict[str, Any]) -> Test:
    compiler.ref_test(pointer)
    tests = compiler.ref_tests
    return lambda value: tests[pointer](value)


def _any_of_test(compiler: Compiler, options: list[dict[str, Any]], schema: dict[str, Any]) -> Test:
    tests = [compiler.test(option) for option in options]
    return lambda value: any(test(value) for test in tests)


TESTS: dict[str, Callable[[Compiler, Any, dict[str, Any]], Test]] = {
    "type": _type_test,
    "enum": _enum_test,
    "const": _const_test,
    "pattern": _pattern_test,
    "maxLength": _max_length_test,
    "minLength": _min_length_test,
    "minimum": _minimum_test,
    "maximum": _maximum_test,
    "properties": _properties_test,
    "required": _required_test,
    "additionalProperties": _additional_test,
    "items": _items_test,
    "$ref": _ref_test,
    "anyOf": _any_of_test,
}


@functools.cache
def document_check() -> Check:
    schema = published_schema()
    return Compiler(schema).compile(schema)


def schema_problems(document: Any) -> Iterator[Problem]:
    """Where `document` breaks the published schema, and how."""
    return document_check()(document, ())
