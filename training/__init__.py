"""Scripts that build the shipped models from the corpora in ``../shared/data`` (paths passed as arguments)."""
