# Provenance of each wave: raw data hash, configuration, software versions, commit, rules and inputs.


# Record what made this wave's results (for reviewers; `snakemake --report` gives the HTML view).
rule provenance:
    input:
        flow=rules.clean_wave.output.flow,
        study=study_files,
        requirements="requirements.txt",
        code=script_code("provenance.py"),
    output:
        json="results/{wave}/provenance.json",
    params:
        graph=rule_graph,
        config=config_slice,
    localrule: True
    log:
        "results/logs/{wave}/provenance.log",
    benchmark:
        "results/benchmarks/{wave}/provenance.tsv"
    script:
        "../../scripts/provenance.py"
