"""Rule convert_chapter: the Markdown chapter to self-contained HTML and to Word, with pandoc.

Kept apart from the rendering step so that this job imports only pypandoc: it is the last job of the
chapter chain, and its start-up time is paid on every cold run."""
from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Pinned document date for reproducible DOCX/HTML (pandoc honours SOURCE_DATE_EPOCH): 1980-01-01,
# the earliest date a ZIP archive can store.
SOURCE_DATE_EPOCH = "315532800"


def pandoc_jobs(markdown: str, html: str, docx: str, css: str) -> list[tuple]:
    """(target format, output file, pandoc arguments) of the HTML and the Word version."""
    common = [f"--resource-path={Path(markdown).parent}", "--metadata=lang:fr-FR"]
    return [("html5", html, [*common, "--standalone", "--embed-resources", "--css", css]), ("docx", docx, common)]


def convert_chapter(markdown: str, html: str, docx: str, css: str) -> None:
    """Run both pandoc conversions at once (two independent processes; the second core is otherwise idle)."""
    import pypandoc

    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    jobs = pandoc_jobs(markdown, html, docx, css)
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(pypandoc.convert_file, markdown, target, outputfile=output, extra_args=args)
                   for target, output, args in jobs]
        for future in futures:
            future.result()


def run(inputs, outputs, params, logger: logging.Logger) -> None:
    convert_chapter(inputs.markdown, outputs.html, outputs.docx, inputs.css)
    logger.info("wrote %s and %s", outputs.html, outputs.docx)
