# Stage 1: cleaning and validation of each wave's raw export.


# The codebook as this wave's form has it: questions and options outside their `since`/`until` removed.
rule codebook_edition:
    input:
        codebook=study_codebook_file,
        code=script_code("codebook_edition.py"),
    output:
        codebook="results/waves/{wave}.codebook.yaml",
    params:
        wave="{wave}",
        waves=study_wave_names,
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["light"],
    group:
        GROUP_DATA
    log:
        "results/logs/{wave}/codebook_edition.log",
    benchmark:
        "results/benchmarks/{wave}/codebook_edition.tsv"
    script:
        "../../scripts/codebook_edition.py"


# Read the raw export, check it against the codebook, sort rows into analysed / excluded / quarantined.
rule clean_wave:
    input:
        unpack(privacy_names),
        export=wave_export,
        codebook=rules.codebook_edition.output.codebook,
        code=script_code("clean_wave.py"),
    output:
        responses="results/{wave}/clean/responses.csv",
        excluded="results/{wave}/clean/excluded.csv",
        flow="results/{wave}/clean/flow.json",
        pii_report="results/{wave}/clean/pii_report.csv",
    params:
        wave=wave_config,
        on_invalid=config["cleaning"]["on_invalid"],
        max_quarantined_share=config["cleaning"]["max_quarantined_share"],
        limits=config["limits"],
    priority: CHAPTER_CHAIN
    resources:
        **CLUSTER_RESOURCES["clean_wave"],
    group:
        GROUP_DATA
    log:
        "results/logs/{wave}/clean_wave.log",
    benchmark:
        "results/benchmarks/{wave}/clean_wave.tsv"
    script:
        "../../scripts/clean_wave.py"
