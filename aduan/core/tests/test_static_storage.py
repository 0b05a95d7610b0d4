"""Production static files (aduan.core.staticfiles): each file is compressed once, and
again only when its bytes change."""

import gzip

import brotli

from aduan.core.staticfiles import StaticStorage

SCRIPT = b"function hello() { return 'halo warga'; }\n" * 200


def compressed(storage, *names) -> set[str]:
    return {packed for _name, packed in storage.compress_files(list(names))}


def test_a_file_is_compressed_once_and_again_only_when_it_changes(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    (tmp_path / "app.js").write_bytes(SCRIPT)
    (tmp_path / "site.css").write_bytes(b"body { color: #123; }\n" * 200)

    assert compressed(storage, "app.js", "site.css") == {
        "app.js.br",
        "app.js.gz",
        "site.css.br",
        "site.css.gz",
    }
    assert compressed(storage, "app.js", "site.css") == set()  # nothing changed
    (tmp_path / "app.js.map").write_bytes(SCRIPT)
    assert compressed(storage, "app.js.map") == set()  # for developer tools only

    (tmp_path / "app.js").write_bytes(SCRIPT + b"hello();\n")
    assert compressed(storage, "app.js", "site.css") == {"app.js.br", "app.js.gz"}
    assert brotli.decompress((tmp_path / "app.js.br").read_bytes()) == SCRIPT + b"hello();\n"
    assert gzip.decompress((tmp_path / "app.js.gz").read_bytes()) == SCRIPT + b"hello();\n"


def test_a_damaged_or_missing_copy_is_made_again(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    (tmp_path / "app.js").write_bytes(SCRIPT)
    compressed(storage, "app.js")

    (tmp_path / "app.js.br").write_bytes(b"not brotli")
    assert compressed(storage, "app.js") == {"app.js.br", "app.js.gz"}
    (tmp_path / "app.js.gz").unlink()
    assert compressed(storage, "app.js") == {"app.js.br", "app.js.gz"}
    assert gzip.decompress((tmp_path / "app.js.gz").read_bytes()) == SCRIPT
