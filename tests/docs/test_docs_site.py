"""The docs site of ``make docs`` (build/docs/html) documents everything the tree ships.

``scripts/docs-site.sh`` renders the built collection with antsibull-docs and
Sphinx. What must be in the site is read from the tree, not from the site or
from ansible-doc:

- every module (``plugins/modules/*.py``): ``<name>_module.html``, linked from
  the index, with every option of its DOCUMENTATION;
- every filter of every ``plugins/filter/*.py`` (the names its
  ``FilterModule.filters()`` returns: a file may define several):
  ``<name>_filter.html``, linked from the index, with every option of its docs
  (the file's DOCUMENTATION or ``plugins/filter/<name>.yml``);
- every action plugin (``plugins/action/*.py``): the page of its module, which
  says that the module has an action plugin;
- every role (``roles/*/meta/argument_specs.yml``): ``<role>_role.html``,
  linked from the index, with a section for each entry point and every option
  (suboptions too) of each entry point;
- the extra links of ``docs/docsite/links.yml`` on the index;
- the build log: sphinx-build succeeded, with no warning.

Run ``make docs`` first; ``make lint`` runs both.
"""

from __future__ import annotations

import ast
import html
import importlib
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DOCS_SITE", REPO / "build" / "docs" / "html"))
BUILD_LOG = SITE.parent / "build.log"
COLLECTION = "webstack.nginx_uwsgi"
COLLECTIONS_ROOT = REPO / ".cache" / "collections"
COLLECTION_LINK = COLLECTIONS_ROOT / "ansible_collections" / "webstack" / "nginx_uwsgi"


def _plugin_files(kind: str) -> list[Path]:
    return sorted(p for p in (REPO / "plugins" / kind).glob("*.py") if p.name != "__init__.py")


def _documentation(path: Path) -> dict:
    """The DOCUMENTATION YAML of a plugin file ({} without one), read without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value)) or {}
    return {}


def _option_paths(options: dict | None, prefix: str = "") -> list[str]:
    """Every option and suboption as antsibull-docs names its anchor: ``a``, ``a/b``, ``a/b/c``."""
    paths = []
    for name, spec in (options or {}).items():
        path = f"{prefix}{name}"
        paths.append(path)
        paths.extend(_option_paths((spec or {}).get("suboptions") or (spec or {}).get("options"), f"{path}/"))
    return paths


def _filter_names(path: Path) -> list[str]:
    """The filters a file defines, as Ansible loads them: ``FilterModule().filters()``."""
    if not (COLLECTION_LINK.exists() or COLLECTION_LINK.is_symlink()):
        COLLECTION_LINK.parent.mkdir(parents=True, exist_ok=True)
        COLLECTION_LINK.symlink_to(REPO)
    if str(COLLECTIONS_ROOT) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS_ROOT))
    module = importlib.import_module(f"ansible_collections.webstack.nginx_uwsgi.plugins.filter.{path.stem}")
    return sorted(module.FilterModule().filters())


def _filter_docs(path: Path, name: str) -> dict:
    sidecar = path.with_name(f"{name}.yml")
    if sidecar.is_file():
        return yaml.safe_load(sidecar.read_text(encoding="utf-8")).get("DOCUMENTATION") or {}
    docs = _documentation(path)
    return docs if docs.get("name") == name else {}


def _filters() -> list[tuple[str, Path, str | None]]:
    """(filter, file, None) for each filter; (file's stem, file, error) for a file that does not import."""
    found = []
    for path in _plugin_files("filter"):
        try:
            found.extend((name, path, None) for name in _filter_names(path))
        except Exception as exc:  # pylint: disable=broad-exception-caught  # reported by its own test case
            found.append((path.stem, path, f"{type(exc).__name__}: {exc}"))
    return sorted(found)


def _role_specs(path: Path) -> dict | str:
    """The argument_specs of a role, or why they cannot be read (the page is expected all the same)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))["argument_specs"]
    except (yaml.YAMLError, KeyError, TypeError) as exc:
        return f"{path.relative_to(REPO)} cannot be read: {exc}"


MODULES = [p.stem for p in _plugin_files("modules")]
ACTIONS = [p.stem for p in _plugin_files("action")]
FILTERS = _filters()
ROLE_SPECS = {p.parent.parent.name: _role_specs(p) for p in sorted((REPO / "roles").glob("*/meta/argument_specs.yml"))}
ENTRY_POINTS = [(role, entry_point) for role, specs in ROLE_SPECS.items()
                for entry_point in (specs if isinstance(specs, dict) else [None])]


def _page(name: str) -> str:
    page = SITE / name
    assert page.is_file(), f"{page.relative_to(REPO) if page.is_relative_to(REPO) else page} is missing from the site"
    return page.read_text(encoding="utf-8")


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _ids(markup: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', markup))


def _docutils_id(label: str) -> str:
    """The HTML id docutils makes of an RST label."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


@pytest.fixture(scope="module")
def index_links() -> set[str]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no site in {SITE}: run `make docs` first")
    return set(re.findall(r'href="([^"#]+\.html)"', _page("index.html")))


def test_the_tree_has_content():
    assert MODULES and FILTERS and ROLE_SPECS and ENTRY_POINTS


def test_build_log_has_no_warning():
    log = BUILD_LOG.read_text(encoding="utf-8")
    problems = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]
    assert not problems, "the docs build warned:\n" + "\n".join(problems)
    assert "build succeeded" in log


@pytest.mark.parametrize("name", MODULES)
def test_module_page(name, index_links):
    page = _page(f"{name}_module.html")
    assert f"<title>{COLLECTION}.{name} module" in page
    assert f"{name}_module.html" in index_links, f"index.html does not link to the {name} module"
    ids = _ids(page)
    missing = [o for o in _option_paths(_documentation(REPO / "plugins" / "modules" / f"{name}.py").get("options"))
               if f"parameter-{o}" not in ids]
    assert not missing, f"options of the {name} module missing from its page: {missing}"


@pytest.mark.parametrize("name", ACTIONS)
def test_action_plugin_is_on_its_module_page(name):
    assert name in MODULES, f"action plugin {name} has no module of its name, hence no page in the site"
    assert "This module has a corresponding action plugin" in _text(_page(f"{name}_module.html"))


@pytest.mark.parametrize("name,path,error", FILTERS, ids=[case[0] for case in FILTERS])
def test_filter_page(name, path, error, index_links):
    assert error is None, f"{path.relative_to(REPO)} does not import, its filters are unknown: {error}"
    page = _page(f"{name}_filter.html")
    assert f"<title>{COLLECTION}.{name} filter" in page
    assert f"{name}_filter.html" in index_links, f"index.html does not link to the {name} filter"
    ids = _ids(page)
    missing = [o for o in _option_paths(_filter_docs(path, name).get("options")) if f"parameter-{o}" not in ids]
    assert not missing, f"options of the {name} filter missing from its page: {missing}"


@pytest.mark.parametrize("role", sorted(ROLE_SPECS))
def test_role_page(role, index_links):
    assert f"<title>{COLLECTION}.{role} role" in _page(f"{role}_role.html")
    assert f"{role}_role.html" in index_links, f"index.html does not link to the {role} role"


@pytest.mark.parametrize("role,entry_point", ENTRY_POINTS, ids=[f"{r}:{e}" for r, e in ENTRY_POINTS])
def test_role_entry_point(role, entry_point):
    assert entry_point is not None, ROLE_SPECS[role]
    page = _page(f"{role}_role.html")
    ids = _ids(page)
    anchor = _docutils_id(f"ansible_collections.{COLLECTION}.{role}_role__entrypoint-{entry_point}")
    assert anchor in ids, f"entry point {entry_point} of the {role} role has no section"
    missing = [o for o in _option_paths(ROLE_SPECS[role][entry_point].get("options"))
               if f"parameter-{entry_point}--{o}" not in ids]
    assert not missing, f"options of {role}:{entry_point} missing from its page: {missing}"


def test_extra_links_on_index():
    links = yaml.safe_load((REPO / "docs" / "docsite" / "links.yml").read_text(encoding="utf-8"))
    index = _page("index.html")
    missing = [link["url"] for link in links.get("extra_links") or [] if f'href="{link["url"]}"' not in index]
    assert not missing, f"extra links of docs/docsite/links.yml missing from index.html: {missing}"
