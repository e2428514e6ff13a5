"""The `dangjian` command line: argument parsing and Chinese messages; no computation of its own."""
