"""Files to problems or model: YAML with lines, field checks, the branch cache."""
