"""Run machinery: the build pipeline, worker processes, the extraction cache, progress."""
