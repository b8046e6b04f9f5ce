"""Write (or check) the variables section of each role's README from its argument specs.

The section sits between the markers `<!-- BEGIN VARIABLES -->` and
`<!-- END VARIABLES -->` in roles/<role>/README.md: one table per entry point
(`main` first, then the others in the order of the spec), with a row for every
option and for every nested option, named by its path (`site_sites[].tls.mode`
is the `mode` of the dict `tls` of an entry of the list `site_sites`). An
entry point whose options are the same as `main`'s says so instead of
repeating them. `--check` exits non-zero when a README is out of date
(tests/unit/test_role_specs.py runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

BEGIN, END = "<!-- BEGIN VARIABLES -->", "<!-- END VARIABLES -->"
REPO = Path(__file__).resolve().parents[1]
# Constraints an option (on its suboptions) or an entry point may declare.
CONSTRAINTS = {
    "mutually_exclusive": "Mutually exclusive",
    "required_together": "Required together",
    "required_one_of": "At least one of",
}


def _plain(text: str) -> str:
    """Turn ansible-doc markup into Markdown that fits in one table cell."""
    text = re.sub(r"\bL\(([^)]*),\s*([^)]*)\)", r"[\1](\2)", text)
    text = re.sub(r"\bU\(([^)]*)\)", r"<\1>", text)
    text = re.sub(r"\b(?:C|O|V|RV|E|M|P)\(([^)]*)\)", r"`\1`", text)
    text = re.sub(r"\bI\(([^)]*)\)", r"*\1*", text)
    text = re.sub(r"\bB\(([^)]*)\)", r"**\1**", text)
    text = text.replace("HORIZONTALLINE", " ")
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _text(value: Any) -> str:
    """A description (a string or a list of paragraphs) as one line."""
    if isinstance(value, list):
        return " ".join(str(v).strip() for v in value)
    return str(value or "").strip()


def _code(value: Any) -> str:
    return "`" + json.dumps(value).replace("|", "\\|") + "`"


def _kind(opt: dict) -> str:
    kind = str(opt.get("type", "str"))
    return kind + (f" of {opt['elements']}" if opt.get("elements") else "")


def _constraints(spec: dict) -> list[str]:
    notes = []
    for key, label in CONSTRAINTS.items():
        for group in spec.get(key) or []:
            notes.append(f"{label}: " + ", ".join(f"`{name}`" for name in group) + ".")
    for rule in spec.get("required_if") or []:
        name, value, needed = rule[0], rule[1], rule[2]
        any_of = len(rule) > 3 and rule[3]
        notes.append(
            f"When `{name}` is `{json.dumps(value)}`: " + ("one of " if any_of else "")
            + ", ".join(f"`{n}`" for n in needed) + (" is" if any_of or len(needed) == 1 else " are") + " required."
        )
    for name, needed in (spec.get("required_by") or {}).items():
        needed = [needed] if isinstance(needed, str) else needed
        notes.append(f"`{name}` requires " + ", ".join(f"`{n}`" for n in needed) + ".")
    return notes


def _rows(options: dict, prefix: str = "") -> Iterator[str]:
    """One row per option, then the rows of its suboptions, depth first, in spec order."""
    for name, opt in (options or {}).items():
        opt = opt or {}
        path = prefix + str(name)
        choices = opt.get("choices")
        if isinstance(choices, dict):  # choices with a description each
            choices = list(choices)
        desc = _text(opt.get("description"))
        extras = []
        if opt.get("aliases"):
            extras.append("Aliases: " + ", ".join(f"`{a}`" for a in opt["aliases"]) + ".")
        if opt.get("no_log"):
            extras.append("Not logged (`no_log`).")
        if opt.get("version_added"):
            extras.append(f"Added in {opt['version_added']}.")
        extras += _constraints(opt)
        cells = [
            f"`{path}`",
            _kind(opt),
            _code(opt["default"]) if "default" in opt else "",
            "yes" if opt.get("required") else "no",
            ", ".join(_code(c) for c in choices) if choices else "",
            _plain(" ".join([desc] + extras)),
        ]
        yield "| " + " | ".join(cells) + " |"
        if opt.get("options"):
            below = "[]." if opt.get("type") == "list" else "."
            yield from _rows(opt["options"], path + below)


def entry_point_section(name: str, entry: dict, main: dict | None) -> str:
    entry = entry or {}
    lines = [f"### Entry point `{name}`", ""]
    if entry.get("short_description"):
        lines += [_plain(_text(entry["short_description"])).rstrip(".") + ".", ""]
    if entry.get("version_added"):
        lines += [f"Added in version {entry['version_added']}.", ""]
    options = entry.get("options") or {}
    if main is not None and name != "main" and options == (main.get("options") or {}):
        lines.append("Takes the same variables as the entry point `main`.")
        return "\n".join(lines)
    if not options:
        lines.append("No variables.")
        return "\n".join(lines)
    lines += [
        "| variable | type | default | required | choices | description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += list(_rows(options))
    notes = _constraints(entry)
    if notes:
        lines += [""] + [_plain(n) for n in notes]
    return "\n".join(lines)


def section(role: Path) -> str:
    specs = yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"] or {}
    main = specs.get("main")
    order = (["main"] if "main" in specs else []) + [n for n in specs if n != "main"]
    return "\n\n".join(entry_point_section(n, specs[n], main) for n in order)


def render(readme: str, body: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + body + "\n" + readme[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when a README is out of date")
    args = parser.parse_args()
    stale = []
    for spec in sorted(REPO.glob("roles/*/meta/argument_specs.yml")):
        role = spec.parent.parent
        readme_path = role / "README.md"
        readme = readme_path.read_text()
        new = render(readme, section(role))
        if new != readme:
            stale.append(str(readme_path.relative_to(REPO)))
            if not args.check:
                readme_path.write_text(new)
    if args.check and stale:
        print("out of date (run scripts/role_docs.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
