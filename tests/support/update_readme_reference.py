#!/usr/bin/env python3
"""Replaces the README's reference section (between the reference markers) with `pipe docs` output."""
import os
import subprocess
import sys

pipe = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
readme_path = os.path.join(root, "README.md")
text = open(readme_path).read()
start, end = "<!-- reference:start -->", "<!-- reference:end -->"
a, b = text.index(start), text.index(end)
body = subprocess.run([pipe, "docs"], capture_output=True, text=True, check=True).stdout.strip()
open(readme_path, "w").write(text[:a + len(start)] + "\n" + body + "\n" + text[b:])
