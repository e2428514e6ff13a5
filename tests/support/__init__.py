"""What the tests share: the sample and its fixed day, the command line run as a user runs it,
tree digests, the multi-branch maker, site readers, the browser and the print helpers.

Tests import from here (`from support import REPO, AS_OF, run_cli`), never from another test file.
"""

from .branches import make_multi
from .cli import clean_env, cli_command, inherited_env, run_cli
from .pages import FEED_LINK, PageScan, broken_links, head_feeds
from .sample import AS_OF, AS_OF_DATE, MONTH_END, MONTH_END_DATE, REPO, copy_sample
from .trees import debris, tree_digest

__all__ = [
    "AS_OF", "AS_OF_DATE", "FEED_LINK", "MONTH_END", "MONTH_END_DATE", "REPO",
    "PageScan", "broken_links", "clean_env", "cli_command", "copy_sample", "debris", "head_feeds", "inherited_env",
    "make_multi", "run_cli", "tree_digest",
]
