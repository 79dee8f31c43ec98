"""Sessions: the saved grading work, its storage on disk, its edits and its checks."""
