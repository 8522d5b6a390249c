"""The layers of src/ (src/plugin/README.md, "Layers"): which folder may include which. Fails on every
`#include "<folder>/..."` across a forbidden boundary, printed as
`file:line: includes X (layer A may not depend on layer B)`. Run alone: `python3 tests/e2e/test_layers.py`."""
import fnmatch
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src")

# A layer is a folder of src/. The lower layers name what they may use; the upper ones what they may not. A layer
# may always include itself. src/main.cpp and src/builtin.cpp (the one list of components) may include anything,
# and no file includes them.
ONLY = {
    "core": set(),  # Value, Record, Position, Result: depends on nothing of pipe
    "formats": {"core"},
    "observability": {"core", "formats"},  # logs and metrics, used from every layer above
    "plugin": {"core", "formats"},  # the contract between the runtime and components
    "config": {"core", "plugin"},
}
NOT = {
    # The runtime knows components only through plugin/ and the registry.
    "runtime": {"connectors", "sql", "transforms", "testing"},
    # The SQL stage reaches Kafka only through plugin/ interfaces (plugin/scale_out.h, plugin/snapshot_store.h).
    "sql": {"connectors", "runtime", "testing"},
    "connectors": {"runtime", "sql", "testing"},
    "transforms": {"connectors", "runtime", "sql", "testing"},
    "testing": set(),  # the `pipe test` and conformance runners
}
ANYTHING = {"main", "builtin"}

# Includes across a boundary kept on purpose: (file pattern, include pattern, why). Each must still match one.
ALLOWED = [
    ("core/value.cpp", "formats/json.h",
     "Value::ToString renders a non-string value as JSON with formats' writer; moving that writer into core is a "
     "change of its own"),
    ("config/spec_docs.cpp", "formats/json.h",
     "the generated JSON Schema escapes its strings with formats' writer; formats sits below plugin, so no cycle"),
    ("plugin/retry.cpp", "observability/log.h",
     "the one retry policy logs each backoff and recovery as named events; observability uses core and formats only"),
    ("connectors/*/tests/*", "runtime/*",
     "unit tests of sources acknowledge and restart them as the runtime does, with its position ledger and "
     "checkpoint store"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")


def layer_of(relative_path):
    """The layer of a path relative to src/: its folder, or the file's stem for src/main.cpp and src/builtin.*."""
    first = relative_path.split("/", 1)[0]
    return os.path.splitext(first)[0] if "/" not in relative_path else first


def forbidden(layer, used, layers):
    if layer == used or layer in ANYTHING:
        return False
    if used in ANYTHING:
        return True
    if layer in ONLY:
        return used not in ONLY[layer]
    if layer in NOT:
        return used in NOT[layer]
    return used not in layers  # a new folder: add it to ONLY or NOT


def allowed_by(relative_path, include):
    for entry in ALLOWED:
        if fnmatch.fnmatch(relative_path, entry[0]) and fnmatch.fnmatch(include, entry[1]):
            return entry
    return None


def violations(src=SRC, shown_from=ROOT):
    """Every forbidden include under `src`, as printed lines, and the allowlist entries that matched."""
    layers = {name for name in os.listdir(src) if os.path.isdir(os.path.join(src, name))}
    top_files = {os.path.splitext(name)[0] for name in os.listdir(src) if name.endswith(SOURCE_SUFFIXES)}
    found, used_entries = [], set()
    for folder, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, src).replace(os.sep, "/")
            layer = layer_of(relative)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    include = m.group(1)
                    used = layer_of(include)
                    if used not in layers and used not in top_files:
                        continue  # not one of pipe's folders (a header found by another include path)
                    if not forbidden(layer, used, layers):
                        continue
                    entry = allowed_by(relative, include)
                    if entry:
                        used_entries.add(entry)
                        continue
                    found.append(f"{os.path.relpath(path, shown_from)}:{number}: includes {include} "
                                 f"(layer {layer} may not depend on layer {used})")
    return found, used_entries


def write(root, relative, text):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_no_file_includes_across_a_forbidden_boundary():
    found, _ = violations()
    assert not found, "includes across layers (see src/plugin/README.md, Layers):\n" + "\n".join(found)


def test_every_allowlist_entry_is_still_needed():
    _, used = violations()
    stale = [f"{e[0]} -> {e[1]}" for e in ALLOWED if e not in used]
    assert not stale, "allowlist entries that match no include any more; remove them:\n" + "\n".join(stale)


def test_a_forbidden_include_is_reported_with_file_line_and_layers():
    with tempfile.TemporaryDirectory(prefix="pipe-layers-") as root:
        src = os.path.join(root, "src")
        write(src, "core/value.h", "#pragma once\n")
        write(src, "plugin/source.h", '#pragma once\n#include "core/value.h"\n')
        write(src, "connectors/kafka/changelog_store.h", '#pragma once\n#include "plugin/source.h"\n')
        write(src, "runtime/pipeline.cpp", '#include "plugin/source.h"\n#include <vector>\n')
        write(src, "sql/stage/sql_stage.cpp",
              '#include <map>\n\n#include "connectors/kafka/changelog_store.h"\n#include "runtime/pipeline.h"\n'
              '#include "yaml-cpp/yaml.h"\n')
        write(src, "core/bad.cpp", '#include "plugin/source.h"\n')
        write(src, "connectors/file/file_spec.cpp", '#include "builtin.h"\n')
        write(src, "builtin.cpp", '#include "connectors/kafka/changelog_store.h"\n#include "sql/stage/x.h"\n')
        write(src, "main.cpp", '#include "runtime/pipeline.h"\n')
        found, _ = violations(src, root)
        assert found == [
            "src/connectors/file/file_spec.cpp:1: includes builtin.h "
            "(layer connectors may not depend on layer builtin)",
            "src/core/bad.cpp:1: includes plugin/source.h (layer core may not depend on layer plugin)",
            "src/sql/stage/sql_stage.cpp:3: includes connectors/kafka/changelog_store.h "
            "(layer sql may not depend on layer connectors)",
            "src/sql/stage/sql_stage.cpp:4: includes runtime/pipeline.h (layer sql may not depend on layer runtime)",
        ], found


if __name__ == "__main__":
    lines, _ = violations()
    print("\n".join(lines) if lines else "no include crosses a forbidden boundary")
    sys.exit(1 if lines else 0)
