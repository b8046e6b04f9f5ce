"""Write (or check) the variables table of each role's README from its argument specs.

The table sits between the markers `<!-- BEGIN VARIABLES -->` and
`<!-- END VARIABLES -->` in roles/<role>/README.md. `--check` exits non-zero
when a README is out of date (tests/unit/test_role_specs.py runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

BEGIN, END = "<!-- BEGIN VARIABLES -->", "<!-- END VARIABLES -->"
REPO = Path(__file__).resolve().parents[1]


def _plain(text: str) -> str:
    """Turn ansible-doc markup (C(x), O(x), V(x), RV(x), I(x)) into Markdown."""
    text = re.sub(r"\b(?:C|O|V|RV|E)\(([^)]*)\)", r"`\1`", text)
    text = re.sub(r"\bI\(([^)]*)\)", r"*\1*", text)
    return text.replace("|", "\\|").replace("\n", " ")


def table(role: Path) -> str:
    spec = yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"]["main"]["options"]
    rows = ["| variable | type | default | description |", "| --- | --- | --- | --- |"]
    for name, opt in spec.items():
        kind = opt["type"] + (f" of {opt['elements']}" if opt.get("elements") else "")
        if opt.get("required"):
            default = "*required*"
        else:
            default = "`" + json.dumps(opt.get("default")).replace("|", "\\|") + "`"
        desc = opt.get("description", "")
        desc = " ".join(desc) if isinstance(desc, list) else desc
        if opt.get("choices"):
            desc += " Choices: " + ", ".join(f"`{c}`" for c in opt["choices"]) + "."
        rows.append(f"| `{name}` | {kind} | {default} | {_plain(desc)} |")
    return "\n".join(rows)


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
        new = render(readme, table(role))
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
