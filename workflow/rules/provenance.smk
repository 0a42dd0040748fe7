# Provenance of each wave: raw data hash, configuration, software versions, commit, rules and inputs.


# Record what made this wave's results (for reviewers; `snakemake --report` gives the HTML view).
rule provenance:
    input:
        flow="results/{wave}/clean/flow.json",
        study=study_files,
        requirements="requirements.txt",
    output:
        json="results/{wave}/provenance.json",
    params:
        graph=rule_graph,
        config=config_slice,
    log:
        "results/logs/{wave}/provenance.log",
    benchmark:
        "results/benchmarks/{wave}/provenance.tsv"
    script:
        "../../scripts/provenance.py"
