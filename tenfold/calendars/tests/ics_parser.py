"""A tiny iCalendar reader for the tests: unfolds lines, splits names, parameters and values,
and nests components. Strict where the writer must be: CRLF only, 75 octets per line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Component:
    name: str
    props: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        return next(value for key, _params, value in self.props if key == name)

    def param(self, name: str, param: str) -> str:
        return next(params[param] for key, params, _value in self.props if key == name)

    def all(self, name: str) -> list[Component]:
        return [child for child in self.children if child.name == name]


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n"), "the last line ends in CRLF"
    body = text[:-2]
    assert "\n" not in body.replace("\r\n", ""), "bare LF found"
    assert "\r" not in body.replace("\r\n", ""), "bare CR found"
    lines = body.split("\r\n")
    for line in lines:
        assert len(line.encode("utf-8")) <= 75, f"longer than 75 octets: {line!r}"
    return lines


def unfold(text: str) -> list[str]:
    logical: list[str] = []
    for line in physical_lines(text):
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def parse(text: str) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(text):
        head, value = line.split(":", 1)
        name, *raw_params = head.split(";")
        params = dict(p.split("=", 1) for p in raw_params)
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            done = stack.pop()
            assert done.name == value, f"END:{value} closes {done.name}"
            if not stack:
                root = done
        else:
            stack[-1].props.append((name, params, value))
    assert root is not None and not stack
    return root
