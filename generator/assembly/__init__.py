"""A 党委 site built in parts: in parallel, reused when unchanged, or shared out across CI runners.

A part is one run of the site engine (`build_part(root, result, folder, part, stamp)`, passed in,
so that this package knows nothing of mkdocs):

- the overview (`OVERVIEW`): the 党委 pages, content/ and the theme's files, its search
  index, sitemap and 404 page; it shows the branches' summaries only, no person;
- a branch (its id): the branch's folder with its own search index, and its charts.

Parts never write the same file, except charts, which are named by their content. The
site is the union of its parts plus `screen/version.json`, written last from the parts' keys.

The modules, by role:
- `planning`: every input file's digest, each part's key, and which parts the cache holds;
- `parts`: rendering the missing parts in a pool of processes (generator/pool.py), and the
  work folder they are rendered in;
- `kept`: the cache of built parts (generator/seal.py's store, kind "sites");
- `publishing`: a whole site at its output folder, anew or only its changed parts in place;
- `shards`: a fixed share of the parts per CI runner, and merging the shares;
- `output`: writing a folder all at once, or exchanging its entries one at a time;
- `files`: listing, fingerprinting and linking the parts' files.

What the command line uses is named here.
"""

from generator.assembly.files import AssembleError
from generator.assembly.kept import locked
from generator.assembly.output import update_in_place, write_atomically
from generator.assembly.parts import BuildPart, Places, Stats, build_parts
from generator.assembly.planning import Plan, part_names, part_stamps, plan
from generator.assembly.publishing import finish, publish
from generator.assembly.shards import MANIFEST, merge, parse_shard, shard_of, write_manifest
from generator.pipeline import OVERVIEW

__all__ = [
    "MANIFEST", "OVERVIEW", "AssembleError", "BuildPart", "Places", "Plan", "Stats", "build_parts", "finish", "locked",
    "merge", "parse_shard", "part_names", "part_stamps", "plan", "publish", "shard_of", "update_in_place",
    "write_atomically", "write_manifest",
]
