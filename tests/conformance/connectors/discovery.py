"""What the binary registers and documents: the connector list comes from `pipe docs --schema` (its source.<type>
and sink.<type> definitions), the option descriptions from `pipe docs` (the README reference)."""
import json
import os
import re
import subprocess

from harness import PIPE, ROOT

SCHEMA_FILE = os.path.join(ROOT, "schemas", "pipeline.schema.json")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


class Docs:
    def __init__(self):
        self.schema = json.loads(_pipe("docs", "--schema"))
        with open(SCHEMA_FILE) as f:
            self.checked_in_schema = json.load(f)
        self.sections = _reference_sections(_pipe("docs"))

    def registered(self):
        """[(kind, type)] of every source and sink, in the schema's order."""
        out = []
        for key in self.schema["definitions"]:
            kind, _, name = key.partition(".")
            if kind in ("source", "sink") and name:
                out.append((kind, name))
        return out

    def reference_section(self, kind, name):
        return self.sections.get((kind, name))


def _pipe(*args):
    p = subprocess.run([PIPE, *args], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"pipe {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


def _reference_sections(markdown):
    """{(kind, type): {"summary": text, "options": {name: description}}} from `pipe docs`."""
    kinds = {"Sources": "source", "Sinks": "sink"}
    sections, kind, current = {}, None, None
    for line in markdown.splitlines():
        if line.startswith("### "):
            kind, current = kinds.get(line[4:].strip()), None
        elif line.startswith("#### ") and kind:
            current = {"summary": "", "options": {}}
            sections[(kind, line[5:].strip().strip("`"))] = current
        elif current is None or not line.strip():
            continue
        elif line.startswith("| `"):
            cells = [c.strip() for c in _CELL_SEPARATOR.split(line)[1:-1]]
            name = cells[0].split("`")[1]
            current["options"][name] = cells[3] if len(cells) > 3 else ""
        elif not line.startswith("|") and not current["options"]:
            current["summary"] += line.strip()
    return sections
