"""Statistics across sessions: graders' agreement, models and strategies, a whole class."""
