# The package code each step script runs, fingerprinted once per script (not once per job).


# Hash every surveykit module scripts/<script>.py imports (read from the imports) into one file, the `code` input
# of the rules running that script: editing a module rewrites the fingerprints of the scripts importing it, which
# reruns exactly their rules. A shell command of ≈ 0.1 s of CPU (Python without the libraries; Snakemake would
# run a `run:` block in a new Snakemake process, which reads the whole workflow again).
rule code_fingerprint:
    input:
        code=script_modules,
    output:
        fingerprint=f"{CODE_FINGERPRINTS}/{{script}}.sha256",
    wildcard_constraints:
        script=r"[A-Za-z0-9_]+",
    localrule: True
    log:
        f"{CODE_FINGERPRINTS}/{{script}}.log",  # (not under results/logs/, whose folders are named by wave)
    benchmark:
        "results/benchmarks/.code/{script}.tsv"  # (a dot folder: no wave has that name; timings stay apart)
    shell:
        f'"{sys.executable}" -m surveykit.core.codedeps {{output.fingerprint}} {{input.code}} > {{log}}'
