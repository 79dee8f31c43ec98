"""The only package that imports litellm, and only lazily (see `loader.load_litellm`)."""
