#!/usr/bin/env python3
"""The README says what works, and the binary agrees (issue 11).

- The command table: the rows marked `works` are exactly the commands and subcommands `rkt help`
  lists (`rkt help <command>` for a group's subcommands); no `not yet` row is in the binary.
- The plugin table: the `built` rows are exactly the in-tree plugins `rkt plugins list` loads
  from the build tree (a plugin switched off in this configuration is left out of the check);
  no `planned` or `example` plugin is among them.
- Every relative link in the README names a file of the repository.

Environment (set by ctest): RKT, RKT_SOURCE_DIR, RKT_BUILD_DIR.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

RKT = os.environ["RKT"]
SOURCE = os.environ["RKT_SOURCE_DIR"]
BUILD = os.environ["RKT_BUILD_DIR"]
README = os.path.join(SOURCE, "README.md")

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def table(text, marker):
    """Rows (lists of cells) of the table following `<!-- marker...`, header dropped."""
    start = text.find("<!-- " + marker)
    if start < 0:
        fail("README.md has no `<!-- %s` table marker" % marker)
        return []
    rows = []
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-: "):
            continue
        rows.append(cells)
    return rows[1:]


def names(cell):
    """`a`, `b` -> ["a", "b"]."""
    return re.findall(r"`([^`]+)`", cell)


def rkt(*args):
    empty = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if k != "RKT_PLUGIN_PATH"}
    out = subprocess.run([RKT, "--system-config=" + empty, "--local-config=" + empty] + list(args),
                         env=env, capture_output=True, text=True)
    os.rmdir(empty)
    if out.returncode != 0:
        fail("rkt %s failed: %s" % (" ".join(args), out.stderr.strip()))
    return out.stdout


def help_commands(*path):
    """Command names in the COMMANDS section of `rkt help PATH...`."""
    text = rkt("help", *path)
    section = re.search(r"^COMMANDS:\n((?:\t.*\n)+)", text, re.M)
    return [line.split()[0] for line in section.group(1).splitlines()] if section else []


def check_commands(text):
    works, not_yet = set(), set()
    for row in table(text, "commands"):
        if len(row) < 2:
            fail("command row without a status: %s" % row)
            continue
        for name in names(row[0]):
            {"works": works, "not yet": not_yet}.get(row[1], set()).add(name)
            if row[1] not in ("works", "not yet"):
                fail("command `%s`: status `%s` is neither `works` nor `not yet`" % (name, row[1]))
    binary = set()
    for command in help_commands():
        binary.add(command)
        for sub in help_commands(command):
            binary.add(command + " " + sub)
    for name in sorted(binary - works):
        fail("`rkt %s` exists but the README's command table does not mark it `works`" % name)
    for name in sorted(works - binary):
        fail("the README says `rkt %s` works but `rkt help` does not list it" % name)
    for name in sorted(not_yet & binary):
        fail("the README says `rkt %s` is not there yet but `rkt help` lists it" % name)


def plugin_switched_off(kind, name):
    option = "RKT_PLUGIN_%s_%s" % (kind.upper(), name.upper().replace("-", "_"))
    with open(os.path.join(BUILD, "CMakeCache.txt")) as cache:
        for line in cache:
            if line.startswith(option + ":"):
                return line.strip().split("=", 1)[1].upper() in ("OFF", "0", "FALSE", "NO")
    return False


def check_plugins(text):
    readme = {}
    for row in table(text, "plugins"):
        if len(row) < 4:
            fail("plugin row with fewer than four cells: %s" % row)
            continue
        for name in names(row[1]):
            readme[(row[0], name)] = row[3]
            if row[3] not in ("built", "planned", "example"):
                fail("plugin %s-%s: status `%s` is not built, planned or example" % (row[0], name, row[3]))
    loaded = set()
    for plugin in json.loads(rkt("plugins", "list", "--format=json") or "[]"):
        if plugin["status"] != "loaded":
            fail("%s is not loaded: %s" % (plugin["path"], plugin.get("message", "")))
            continue
        for factory in plugin["factories"]:
            loaded.add((factory["kind"], factory["name"]))
    for kind, name in sorted(loaded):
        status = readme.get((kind, name))
        if status != "built":
            fail("rkt loads the %s plugin `%s` but the README's plugin table says %s"
                 % (kind, name, "`%s`" % status if status else "nothing about it"))
    for (kind, name), status in sorted(readme.items()):
        if status == "built" and (kind, name) not in loaded and not plugin_switched_off(kind, name):
            fail("the README says the %s plugin `%s` is built but rkt does not load it" % (kind, name))


def check_links(text):
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        if not os.path.exists(os.path.join(SOURCE, target)):
            fail("README links to %s, which does not exist" % target)


def main():
    with open(README) as f:
        text = f.read()
    check_commands(text)
    check_plugins(text)
    check_links(text)
    if failures:
        return 1
    print("PASS: test_readme.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
