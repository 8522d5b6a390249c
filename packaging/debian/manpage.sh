#!/bin/bash
# Writes pipe(1) from the command line's own help (`pipe --help`, then every `pipe COMMAND --help`), so the man
# page cannot drift from the binary. Usage: manpage.sh PIPE_BINARY OUTPUT.1
set -euo pipefail
pipe_binary=$(realpath "$1")
output=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# help2man and CLI11's usage lines name the program as it was called: call it `pipe`, found on PATH.
ln -s "$pipe_binary" "$work/pipe"
export PATH="$work:$PATH" LC_ALL=C.UTF-8
commands=$(pipe --help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}')
{
    echo "[COMMANDS]"
    for command in $commands; do
        echo ".SS pipe $command"
        echo ".nf"
        pipe "$command" --help | sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'
        echo ".fi"
    done
    echo "[FILES]"
    echo ".TP"
    echo ".I /etc/pipe/NAME.yaml"
    echo "The pipeline that pipe@NAME.service runs; /etc/pipe/NAME.env holds its environment (credentials)."
    echo ".TP"
    echo ".I /var/lib/pipe/NAME"
    echo "Its state: committed positions, checkpoints and SQL state."
    echo ".TP"
    echo ".I /usr/share/doc/pipe/examples"
    echo "Example pipelines."
} > "$work/include"
help2man --locale=C.UTF-8 --no-info --section 1 --name "data pipelines from one YAML file" \
    --include "$work/include" --output "$output" pipe
