"""A reader for the YAML that compose.yaml uses (PyYAML is not a dependency): block
mappings and lists, `- key: value` list items, JSON-style flow lists and quoted scalars,
`&anchor` on a block value and `*alias` as a value, `#` comments. Anything else raises."""

from __future__ import annotations

import json
import re
from typing import Any

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_.\-/$]+):(?:\s+(?P<rest>.*))?$")


def _strip_comment(line: str) -> str:
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index].rstrip()
    return line.rstrip()


def _scalar(text: str) -> Any:
    if text.startswith(("[", '"')):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    if text.startswith(("{", "&", "|", ">")):
        raise ValueError(f"unsupported YAML: {text!r}")
    return text


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines: list[tuple[int, str]] = []
        for raw in text.splitlines():
            line = _strip_comment(raw)
            if line.strip():
                self.lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
        self.anchors: dict[str, Any] = {}
        self.i = 0

    def block(self, indent: int) -> Any:
        if self.lines[self.i][1].startswith("- ") or self.lines[self.i][1] == "-":
            return self._list(indent)
        return self._mapping(indent)

    def _value(self, rest: str | None, indent: int) -> Any:
        anchor = None
        if rest and rest.startswith("&"):
            anchor, _, rest = rest.partition(" ")
            anchor = anchor[1:]
        if rest and rest.startswith("*"):
            return self.anchors[rest[1:]]
        if rest:
            value = _scalar(rest)
        elif self.i < len(self.lines) and self.lines[self.i][0] > indent:
            value = self.block(self.lines[self.i][0])
        else:
            value = None
        if anchor:
            self.anchors[anchor] = value
        return value

    def _mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self.i < len(self.lines) and self.lines[self.i][0] == indent:
            text = self.lines[self.i][1]
            match = _KEY.match(text)
            if match is None or text.startswith("-"):
                break
            self.i += 1
            result[match["key"]] = self._value(match["rest"], indent)
        return result

    def _list(self, indent: int) -> list[Any]:
        result: list[Any] = []
        while self.i < len(self.lines) and self.lines[self.i][0] == indent:
            text = self.lines[self.i][1]
            if not text.startswith("-"):
                break
            item = text[1:].strip()
            if _KEY.match(item) and not item.startswith(("[", '"')):
                # "- key: value": a mapping whose first line shares the dash's line
                self.lines[self.i] = (indent + 2, item)
                result.append(self._mapping(indent + 2))
            else:
                self.i += 1
                result.append(_scalar(item))
        return result


def yaml_load(text: str) -> Any:
    reader = _Reader(text)
    value = reader.block(reader.lines[0][0])
    if reader.i != len(reader.lines):
        raise ValueError(f"unsupported YAML at: {reader.lines[reader.i][1]!r}")
    return value
