"""Every role's defaults and its meta/argument_specs.yml describe the same variables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROLES = sorted(p.parent.parent for p in (Path(__file__).resolve().parents[2] / "roles").glob("*/meta/argument_specs.yml"))


def _load(role: Path):
    defaults = yaml.safe_load((role / "defaults/main.yml").read_text()) or {}
    spec = {}
    for entry_point in yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"].values():
        spec.update(entry_point.get("options") or {})
    return defaults, spec


def test_there_are_roles():
    assert {r.name for r in ROLES} >= {"nginx"}


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_variables_are_prefixed_with_the_role_name(role):
    defaults, spec = _load(role)
    for name in list(defaults) + list(spec):
        assert name.startswith(role.name + "_"), name


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_every_default_is_declared_and_every_optional_option_has_a_default(role):
    defaults, spec = _load(role)
    assert sorted(set(defaults) - set(spec)) == [], "defaults missing from argument_specs"
    optional = {name for name, opt in spec.items() if not opt.get("required")}
    assert sorted(optional - set(defaults)) == [], "options without a value in defaults/main.yml"


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_spec_defaults_match_defaults_file(role):
    defaults, spec = _load(role)
    for name, value in defaults.items():
        if isinstance(value, str) and "{{" in value:
            continue  # templated from vars/; the spec shows the value it resolves to
        assert spec[name].get("default") == value, name


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_every_option_is_described(role):
    spec = _load(role)[1]
    for name, opt in spec.items():
        assert opt.get("description"), name
        assert opt.get("type"), name


def test_role_readmes_match_the_specs():
    script = Path(__file__).resolve().parents[2] / "scripts/role_docs.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def _option_paths(options, prefix=""):
    """Every option and nested option as the README names it (site_sites[].tls.mode)."""
    for name, opt in (options or {}).items():
        yield prefix + name, opt
        if opt.get("options"):
            yield from _option_paths(opt["options"], prefix + name + ("[]." if opt.get("type") == "list" else "."))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_readme_documents_every_entry_point_and_nested_option(role):
    specs = yaml.safe_load((role / "meta/argument_specs.yml").read_text())["argument_specs"]
    readme = (role / "README.md").read_text()
    section = readme[readme.index("<!-- BEGIN VARIABLES -->"):readme.index("<!-- END VARIABLES -->")]
    rows = {line.split("|")[1].strip().strip("`"): line for line in section.splitlines() if line.startswith("| `")}
    for name, entry in specs.items():
        assert f"### Entry point `{name}`" in section, name
        if name != "main" and entry.get("options") == specs["main"].get("options"):
            continue  # documented once, under main
        for path, opt in _option_paths(entry.get("options")):
            assert path in rows, f"{name}: {path} missing from {role.name}/README.md"
            cells = [c.strip() for c in rows[path].split("|")[1:-1]]
            assert cells[1].startswith(opt.get("type", "str")), path
            assert cells[3] == ("yes" if opt.get("required") else "no"), path
            for choice in opt.get("choices") or []:
                assert f"`{json.dumps(choice)}`" in cells[4], (path, choice)


def test_readmes_show_nested_options_of_the_known_entry_points():
    """The paths the roles' own docs refer to, at any depth and in every entry point."""
    repo = Path(__file__).resolve().parents[2]
    expected = {
        "site": ["site_sites[].locations[].kind", "site_sites[].tls.mode", "site_upstreams[].servers[].address",
                 "### Entry point `member`", "site_member_state"],
        "uwsgi_app": ["uwsgi_app_apps[].git.repo", "### Entry point `plan`"],
        "nginx": ["### Entry point `main`"],
    }
    for role, needles in expected.items():
        readme = (repo / "roles" / role / "README.md").read_text()
        for needle in needles:
            assert needle in readme, (role, needle)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name)
def test_platform_vars_files_are_those_of_the_platforms_in_meta_main(role):
    """meta/main.yml lists the platforms (the input check reads it); a role with per-platform values has a
    vars/<distribution>-<major>.yml for each of them and for nothing else."""
    from ansible_collections.webstack.nginx_uwsgi.plugins.plugin_utils import argument_specs, role_input

    files = sorted(p.stem for p in (role / "vars").glob("*-*.yml"))
    loads = (any("Load the values of the platform" in p.read_text() for p in (role / "tasks").glob("*.yml"))
             or "platform_values" in ((role / "vars" / "main.yml").read_text() if (role / "vars" / "main.yml").exists() else ""))
    expected = sorted(role_input.vars_file(*p) for p in argument_specs.platforms(str(role))) if loads else []
    assert files == expected
