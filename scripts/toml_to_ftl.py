"""Convert an old TOML locale (bot/locales/<lang>.toml, before Fluent) to Fluent syntax.

For merging texts written against the old format: `python scripts/toml_to_ftl.py en.toml`
prints the FTL; key `section.name` becomes message `section-name`, `{x}` becomes `{ $x }`, a
table of plural forms becomes a selector on `$count`. Comments above a key are kept.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PLURALS = {"zero", "one", "two", "few", "many", "other"}


def pattern(text: str, indent: str = "    ") -> str:
    """A Fluent pattern for `text`: placeholders as variables, several lines indented."""
    text = text.strip("\n")
    text = _PLACEHOLDER.sub(lambda m: "\0" + m.group(1) + "\1", text)
    text = text.replace("{", '{"{"}').replace("}", '{"}"}')
    text = text.replace("\0", "{ $").replace("\1", " }")
    lines = text.split("\n")
    out = []
    for line in lines:
        if line[:1] in {"[", "*", "."}:
            line = '{"' + line[0] + '"}' + line[1:]
        out.append(indent + line if line else "")
    if len(lines) == 1:
        return " " + lines[0] if lines[0][:1] not in {"[", "*", "."} else " " + out[0].strip()
    return "\n" + "\n".join(out)


def entry(name: str, value: object) -> str:
    if isinstance(value, dict):
        forms = [f for f in ("zero", "one", "two", "few", "many") if f in value] + ["other"]
        variants = "\n".join(
            f"    {'*' if form == 'other' else ' '}[{form}]{pattern(str(value[form]), ' ' * 8)}"
            for form in forms
        )
        return f"{name} =\n    {{ $count ->\n{variants}\n    }}"
    return f"{name} ={pattern(str(value))}"


def convert(source: str) -> str:
    tree = tomllib.loads(source)
    comments: dict[str, list[str]] = {}
    section, pending = "", []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
        elif stripped.startswith("[") and not stripped.startswith("[["):
            section = stripped.strip("[]")
            comments[section] = pending
            pending = []
        elif (match := re.match(r"^(\w+)\s*=", stripped)) and not line.startswith(" "):
            comments[f"{section}.{match.group(1)}"] = pending
            pending = []
    out: list[str] = []
    for section_name, keys in tree.items():
        out.append("")
        out.extend(comments.get(section_name, []))
        out.append(f"## {section_name}")
        for key, value in keys.items():
            if isinstance(value, dict) and not set(value) <= _PLURALS:
                raise ValueError(f"nested table {section_name}.{key}")
            out.extend(comments.get(f"{section_name}.{key}", []))
            out.append(entry(f"{section_name}-{key}", value))
    return "\n".join(out).lstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(convert(Path(sys.argv[1]).read_text(encoding="utf-8")))
