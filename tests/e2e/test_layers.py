"""The layers of src/ (src/README.md, "Layers"; the table is src/layers.txt, which the build reads too). Fails on
every `#include "<folder>/..."` across a forbidden boundary, printed as
`file:line: includes X (layer A may not depend on layer B)`, and on every symbol a layer's library needs that only
a layer it may not use defines (`layer A needs S, defined in layer B`): an include the linker never sees (a
header-only use) and a call the include check cannot see (a function declared in a lower layer and defined in a
higher one) both fail. Meson links static libraries inside --start-group, so the link alone would take an upward
call. Run alone: `python3 tests/e2e/test_layers.py [build folder]`."""
import fnmatch
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src")

# Includes across a boundary kept on purpose: (file pattern, include pattern, why). Each must still match one.
ALLOWED = [
    ("connectors/*/tests/*", "runtime/*",
     "unit tests of sources acknowledge and restart them as the runtime does, with its position ledger and "
     "checkpoint store (they build into unit_tests, not into the connectors' libraries)"),
]

# Calls across a boundary not fixed yet: (layer, demangled symbol pattern, why). Each must still match one.
ALLOWED_CALLS = [
    ("connectors", "pipeline::SourceContext::*Checkpoint*",
     "SourceContext (plugin/source.h) has its checkpoint methods defined in runtime/checkpoint_store.cpp, so "
     "sources call into the runtime; to fix by moving the checkpoint store's interface into plugin/"),
]

# Inside connectors/, a connector's folder includes no other connector's folder: what several share lives in one of
# these (the rest of src/README.md's rule for connectors).
SHARED_WITHIN_CONNECTORS = [
    "connectors/connectors.h",  # each folder's Register function, declared for src/builtin.cpp
    "connectors/common/*",  # line reader, decode dead letters, the csv: option (file, stdin, syslog)
    "connectors/cdc_event/*",  # the change event both CDC sources build
    "connectors/postgres_client/*",  # libpq handles, DSNs and column values of every PostgreSQL connector
    "connectors/mysql_client/*",  # the DSN and the tls option of every MariaDB/MySQL connector
    "connectors/sql_sink/*",  # row changes, held batches, exactly_once's positions (postgres and mysql sinks)
    "connectors/http/http_client.h",  # the libcurl client of the http and elasticsearch sinks
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")


def read_table(path=os.path.join(SRC, "layers.txt")):
    """{layer: set of the layers it may use}, and the layers in their order (lowest first)."""
    uses, order = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, used = line.partition(":")
            uses[name.strip()] = set(used.split())
            order.append(name.strip())
    return uses, order


def closure(uses):
    """{layer: every layer it reaches through the ones it may use}: what its library may need symbols from."""
    reach = {}
    for layer in uses:
        seen, todo = set(), list(uses[layer])
        while todo:
            used = todo.pop()
            if used not in seen:
                seen.add(used)
                todo += uses.get(used, ())
        reach[layer] = seen
    return reach


def layer_of(relative_path):
    """The layer of a path relative to src/: its folder, or the file's stem for src/main.cpp and src/builtin.*."""
    first = relative_path.split("/", 1)[0]
    return os.path.splitext(first)[0] if "/" not in relative_path else first


def connector_of(relative_path):
    parts = relative_path.split("/")
    return parts[1] if parts[0] == "connectors" and len(parts) > 2 else None


def crosses_connectors(relative, include):
    """A connector's file including another connector's folder that is not one of the shared ones."""
    own, used = connector_of(relative), connector_of(include)
    if own is None or used is None or own == used:
        return False
    return not any(fnmatch.fnmatch(include, pattern) for pattern in SHARED_WITHIN_CONNECTORS)


def allowed_by(relative_path, include):
    for entry in ALLOWED:
        if fnmatch.fnmatch(relative_path, entry[0]) and fnmatch.fnmatch(include, entry[1]):
            return entry
    return None


def violations(src=SRC, shown_from=ROOT, table=None):
    """Every forbidden include under `src`, as printed lines, and the allowlist entries that matched."""
    uses, _ = table or read_table(os.path.join(src, "layers.txt"))
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
                    if not os.path.exists(os.path.join(src, include)) and used not in uses:
                        continue  # not one of pipe's files (a header found by another include path)
                    if layer not in uses:
                        problem = f"layer {layer} is not in src/layers.txt"
                    elif used != layer and used not in uses[layer]:
                        problem = f"layer {layer} may not depend on layer {used}"
                    elif crosses_connectors(relative, include):
                        problem = (f"connector {connector_of(relative)} may not depend on connector "
                                   f"{connector_of(include)}; shared code goes to connectors/common")
                    else:
                        continue
                    entry = allowed_by(relative, include)
                    if entry:
                        used_entries.add(entry)
                        continue
                    found.append(f"{os.path.relpath(path, shown_from)}:{number}: includes {include} ({problem})")
    return found, used_entries


# Symbols of a layer's library (nm -g): defined strongly (T, D, B, R; not a weak inline or template copy that
# every user holds), and undefined.
STRONG = set("TDBRGSI")


def archive_symbols(archive):
    # The real path: a thin archive names its members relative to where it really is.
    p = subprocess.run(["nm", "-g", "--no-sort", os.path.realpath(archive)], capture_output=True, text=True,
                       check=True)
    defined, needed = set(), {}
    member = None
    for line in p.stdout.splitlines():
        if line.endswith(":") and " " not in line:
            member = line[:-1]
            continue
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            needed.setdefault(parts[1], member)
        elif len(parts) == 3 and parts[1] in STRONG:
            defined.add(parts[2])
    return defined, needed


def layer_archives(build, order):
    """{layer: its static library} for each folder layer and builtin (src/meson.build names them pipe_<layer>)."""
    found = {}
    for layer in order:
        path = os.path.join(build, "src", f"libpipe_{layer}.a")
        if os.path.exists(path):
            found[layer] = path
    return found


def demangle(symbol):
    p = subprocess.run(["c++filt", symbol], capture_output=True, text=True)
    return p.stdout.strip() or symbol


def symbol_violations(build, table=None):
    """Every symbol a layer's library needs that only a layer it may not use defines, as printed lines."""
    uses, order = table or read_table()
    reach = closure(uses)
    archives = layer_archives(build, order)
    defined_in, needs = {}, {}
    for layer, archive in archives.items():
        defined, needed = archive_symbols(archive)
        for symbol in defined:
            defined_in.setdefault(symbol, set()).add(layer)
        needs[layer] = needed
    found, allowed_used = [], set()
    for layer, needed in needs.items():
        for symbol, member in sorted(needed.items()):
            owners = defined_in.get(symbol, set())
            if not owners or layer in owners or owners & reach[layer]:
                continue  # outside pipe (a system library), or defined where this layer may look
            name = demangle(symbol)
            entry = next((e for e in ALLOWED_CALLS if e[0] == layer and fnmatch.fnmatch(name, e[1])), None)
            if entry:
                allowed_used.add(entry)
                continue
            found.append(f"layer {layer} ({member}) needs {name}, defined in layer {'/'.join(sorted(owners))}")
    return found, archives, allowed_used


def build_folder():
    return os.environ.get("PIPE_BUILD") or os.path.join(ROOT, "build")


def write(root, relative, text):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_no_file_includes_across_a_forbidden_boundary():
    found, _ = violations()
    assert not found, "includes across layers (see src/README.md, Layers):\n" + "\n".join(found)


def test_every_allowlist_entry_is_still_needed():
    _, used = violations()
    stale = [f"{e[0]} -> {e[1]}" for e in ALLOWED if e not in used]
    assert not stale, "allowlist entries that match no include any more; remove them:\n" + "\n".join(stale)


def test_no_layer_library_needs_a_symbol_of_a_layer_above():
    uses, order = read_table()
    found, archives, allowed_used = symbol_violations(build_folder(), (uses, order))
    folders = [layer for layer in order if os.path.isdir(os.path.join(SRC, layer)) and layer != "cli"]
    missing = [layer for layer in folders + ["builtin"] if layer not in archives]
    assert not missing, f"no library for layers {missing} in {build_folder()}/src (src/meson.build builds them)"
    assert not found, "calls across layers (see src/README.md, Layers):\n" + "\n".join(found)
    stale = [f"{e[0]}: {e[1]}" for e in ALLOWED_CALLS if e not in allowed_used]
    assert not stale, "ALLOWED_CALLS entries that match no call any more; remove them:\n" + "\n".join(stale)


def test_a_forbidden_include_is_reported_with_file_line_and_layers():
    with tempfile.TemporaryDirectory(prefix="pipe-layers-") as root:
        src = os.path.join(root, "src")
        write(src, "layers.txt", "# lowest first\ncore:\nplugin: core\nsql: core plugin\n"
                                 "connectors: core plugin\nruntime: core plugin\nbuiltin: core plugin sql connectors "
                                 "runtime\nmain: core plugin sql connectors runtime builtin\n")
        write(src, "core/value.h", "#pragma once\n")
        write(src, "plugin/source.h", '#pragma once\n#include "core/value.h"\n')
        write(src, "connectors/kafka/changelog_store.h", '#pragma once\n#include "plugin/source.h"\n')
        write(src, "connectors/common/line_reader.h", '#pragma once\n')
        write(src, "connectors/stdio/stdin.cpp",
              '#include "connectors/common/line_reader.h"\n#include "connectors/kafka/changelog_store.h"\n')
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
            "src/connectors/stdio/stdin.cpp:2: includes connectors/kafka/changelog_store.h "
            "(connector stdio may not depend on connector kafka; shared code goes to connectors/common)",
            "src/core/bad.cpp:1: includes plugin/source.h (layer core may not depend on layer plugin)",
            "src/sql/stage/sql_stage.cpp:3: includes connectors/kafka/changelog_store.h "
            "(layer sql may not depend on layer connectors)",
            "src/sql/stage/sql_stage.cpp:4: includes runtime/pipeline.h (layer sql may not depend on layer runtime)",
        ], found


def test_a_call_into_a_layer_above_is_reported_from_the_libraries():
    """Two tiny layer libraries built here: core calling a function that only plugin defines is reported (the
    header declaring it may sit anywhere, so no include check sees it); plugin calling core is not."""
    with tempfile.TemporaryDirectory(prefix="pipe-layers-") as build:
        os.makedirs(os.path.join(build, "src"))
        sources = {
            "core": "int PluginHelper();\nint CoreValue() { return PluginHelper(); }\n",
            "plugin": "int CoreValue();\nint PluginHelper() { return 1; }\nint PluginCount() { return CoreValue(); }\n",
            "builtin": "int PluginCount();\nint Builtin() { return PluginCount(); }\n",
        }
        for layer, text in sources.items():
            source = os.path.join(build, f"{layer}.cpp")
            with open(source, "w") as f:
                f.write(text)
            subprocess.run(["c++", "-c", source, "-o", os.path.join(build, f"{layer}.o")], check=True)
            subprocess.run(["ar", "rcs", os.path.join(build, "src", f"libpipe_{layer}.a"),
                            os.path.join(build, f"{layer}.o")], check=True)
        table = ({"core": set(), "plugin": {"core"}, "builtin": {"plugin"}}, ["core", "plugin", "builtin"])
        found, _, _ = symbol_violations(build, table)
        assert found == ["layer core (core.o) needs PluginHelper(), defined in layer plugin"], found


if __name__ == "__main__":
    lines, _ = violations()
    calls, _, _ = symbol_violations(sys.argv[1] if len(sys.argv) > 1 else build_folder())
    print("\n".join(lines + calls) if lines or calls else "no include or call crosses a forbidden boundary")
    sys.exit(1 if lines or calls else 0)
