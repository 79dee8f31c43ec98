"""Reports: a graded session as Markdown, JSON or CSV, and the summary numbers behind them."""
