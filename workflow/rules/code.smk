# The package code each step script runs, fingerprinted once per script (not once per job).


# Hash every surveykit module scripts/<script>.py imports (read from the imports) into one file, the `code` input
# of the rules running that script: editing a module rewrites the fingerprints of the scripts importing it, which
# reruns exactly their rules. Runs inside Snakemake (milliseconds of hashing, no Python start-up; no benchmark).
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
    run:
        atomic_write_text(output.fingerprint, fingerprint_lines(input.code))
        atomic_write_text(log[0], f"{len(input.code)} modules of scripts/{wildcards.script}.py fingerprinted\n")
