# Shared set-up: config validation and the input functions of every rule.
from pathlib import Path

from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")

WAVES = sorted(config["waves"])


wildcard_constraints:
    wave="|".join(WAVES),


def wave_export(wildcards):
    """Raw export of a wave, as declared in config.yaml."""
    return config["waves"][wildcards.wave]["export"]


def wave_config(wildcards):
    """Only this wave's slice of the config, so editing another wave reruns nothing here."""
    return config["waves"][wildcards.wave]


def all_outputs():
    """Final outputs of every configured wave."""
    return expand("results/{wave}/clean/responses.csv", wave=WAVES)
