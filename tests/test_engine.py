"""The site engine can be changed (issue 35): the sample builds the same on ProperDocs as on MkDocs.

MkDocs 1.x is frozen and mkdocs-material reaches end of life on 2027-05-05. ProperDocs is the
maintained MkDocs 1.x fork: its `properdocs` command redirects every `mkdocs.*` import (ours,
mkdocs-material's) to itself. Both engines build a copy of the sample with our plugin; the sites
must be the same files with the same bytes, but for the `generator` meta tag each engine signs
every page with (and the big screen's version file, a digest of those pages).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import AS_OF, clean_env, copy_sample

pytestmark = pytest.mark.slow
_SIGNED = re.compile(rb'<meta name="generator" content="[^"]*">')


def _site(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel != "screen/version.json":
            out[rel] = hashlib.sha256(_SIGNED.sub(b"", path.read_bytes())).hexdigest()
    return out


def test_the_sample_builds_the_same_on_properdocs_as_on_mkdocs(tmp_path):
    if importlib.util.find_spec("properdocs") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("properdocs is not installed: it is in the [test] extra of pyproject.toml")
        pytest.skip("properdocs is not installed (pip install properdocs)")
    env = {**clean_env(), "DANGJIAN_AS_OF": AS_OF, "DANGJIAN_NO_CACHE": "1", "NO_MKDOCS_2_WARNING": "1"}
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        project = copy_sample(tmp_path / engine)
        done = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-q", "-d", str(tmp_path / f"{engine}-site")],
                              cwd=project, env=env, capture_output=True, encoding="utf-8", errors="replace", timeout=600)
        assert done.returncode == 0, (engine, done.stderr[-3000:])
        sites[engine] = _site(tmp_path / f"{engine}-site")
        signed = (tmp_path / f"{engine}-site" / "index.html").read_text(encoding="utf-8")
        assert ("ProperDocs" in signed) == (engine == "properdocs")  # each engine really built its own site
    assert len(sites["mkdocs"]) > 100
    assert sites["properdocs"] == sites["mkdocs"]
