"""The pure half of the model features: prompts, records, checks and policies (no litellm)."""
