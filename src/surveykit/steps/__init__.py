"""One function per pipeline rule: paths in, files out. The Snakemake scripts only call these."""
