"""Static files for production: WhiteNoise's hashed names and compressed copies, made once.

`collectstatic` runs on every `make run` and every deploy, and WhiteNoise compresses every
file again each time: Brotli at its best level took about 20 s a run here, nearly all of
it on the API documentation's bundles (django-ninja's Swagger UI and ReDoc). Django
writes some files again on every run (the scripts whose source-map comments it rewrites),
so the files' times tell nothing: a compressed copy is kept when it unpacks to exactly the
file's bytes, which takes milliseconds where packing it takes seconds. Source maps (.map:
the API-docs bundles carry 5 MB of them) are fetched only by a browser's developer tools
and are not compressed: that halves the first run.
"""

import gzip
from pathlib import Path

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

try:
    import brotli
except ImportError:  # WhiteNoise then writes .gz only
    brotli = None

# What reading or unpacking a missing or damaged copy raises (gzip's BadGzipFile is an
# OSError).
_DAMAGED = (OSError, EOFError, ValueError) + ((brotli.error,) if brotli else ())


def _unpacked(suffix: str, packed: bytes) -> bytes:
    return brotli.decompress(packed) if suffix == ".br" else gzip.decompress(packed)


class StaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        if kwargs.get("extensions") is None:  # no WHITENOISE_SKIP_COMPRESS_EXTENSIONS set
            kwargs["extensions"] = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
        return super().create_compressor(**kwargs)

    def compress_files(self, paths):
        return super().compress_files([p for p in paths if not self._compressed_already(p)])

    def _compressed_already(self, path: str) -> bool:
        full = Path(self.path(path))
        try:
            data = full.read_bytes()
            return all(
                _unpacked(suffix, full.with_name(full.name + suffix).read_bytes()) == data
                for suffix in ((".br", ".gz") if brotli else (".gz",))
            )
        except _DAMAGED:
            return False
