"""The frozen model: records, the field specs, problems, and the one audience-and-date scope."""
