"""Deterministic writers: same content, same bytes (sorted keys where order is not meaningful, \n endings)."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# csvsafe (and pandas) are imported by the functions that need them: pin_office_file is used by steps
# that never load pandas, whose start-up time counts on every cold run.


def sha256_of(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB blocks (exports can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """A temporary path in `path`'s folder, moved onto `path` only once written completely.

    `with atomic_path(p) as tmp: write(tmp)`: the writer writes `tmp`; on success the file is flushed to
    disk (fsync) and renamed onto `p` in one step (os.replace), so `p` holds either its old bytes or the
    new ones, never a part of them (a kill, a full disk, a size limit or an error while writing leaves the
    old file byte-identical). On failure the temporary file is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        if path.exists():  # keep the old file's permissions (mkstemp creates 0600)
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:  # named after the file the user knows, not the temporary one (removed here)
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.filename is None or Path(exc.filename) == tmp:
            raise type(exc)(exc.errno, exc.strerror, str(path)) from None
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Replace `path` by `data` atomically (see `atomic_path`)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Replace `path` by `text` (UTF-8, line ends as given) atomically (see `atomic_path`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """UTF-8 CSV, text cells neutralised against formula evaluation in spreadsheets (see surveykit.core.csvsafe)."""
    from . import csvsafe

    csvsafe.write_csv(frame, path)


def write_excel_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """CSV for French Excel (`;`, UTF-8 with BOM, CRLF), text cells neutralised (see surveykit.core.csvsafe)."""
    from . import csvsafe

    csvsafe.write_excel_csv(frame, path)


def read_csv(path: str | Path, **options) -> pd.DataFrame:
    """pandas.read_csv of a CSV written by `write_csv` (the neutralising quotes removed)."""
    from . import csvsafe

    return csvsafe.read_csv(path, **options)


def write_json(data: object, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> object:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_tidy(path: str | Path) -> pd.DataFrame:
    """Read stats/descriptives.csv: numbers as floats, `level` and `group` as text ("" when empty)."""
    frame = read_csv(path, keep_default_na=False, na_values=[""], dtype={"level": str, "group": str})
    frame[["level", "group"]] = frame[["level", "group"]].fillna("")
    return frame


INTEGER_TEXT = re.compile(r"-?\d+")


def read_responses(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a clean responses.csv: text stays text (empty = missing), whole-number columns become nullable ints.

    A column is numeric when every distinct non-empty text is a whole number: answers repeat, so the test
    looks at the distinct texts only, and stops at the first that is not a number (open answers).
    With `columns`, only those columns are read (a large wave's open answers stay on disk)."""
    import pandas as pd  # imported when used: pin_office_file is called by steps that never load pandas

    frame = read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", usecols=columns)
    for column in frame.columns:
        values = frame[column]
        distinct = [v for v in pd.unique(values) if v != ""]
        if distinct and all(INTEGER_TEXT.fullmatch(v) for v in distinct):
            frame[column] = values.map({v: int(v) for v in distinct}).astype("Int64")
    return frame


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can hold
FIXED_ISO_TIME = "1980-01-01T00:00:00Z"


def pin_office_file(path: str | Path) -> None:
    """Make an .xlsx/.docx byte-identical across runs: fixed entry dates, fixed document dates.

    Office files are ZIP archives whose entries carry the time of writing, and whose
    docProps/core.xml records creation and modification times; both are pinned here."""
    import re
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in sorted(entries, key=lambda e: e[0].filename):
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                              rb"\g<1>" + FIXED_ISO_TIME.encode() + rb"\g<2>", data)
            pinned = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o644 << 16
            archive.writestr(pinned, data)
