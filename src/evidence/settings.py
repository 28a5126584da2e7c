"""Settings in one place: paths, limits and the public URL, overridable by EVIDENCE_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVIDENCE_")

    data_dir: Path = ROOT / "data"
    source: Path = ROOT.parent / "shared" / "seeds" / "004_7e719362a3f1c73d.txt"
    # Cabi's practitioner handbook, quoted by data/handbook_advice.csv (needed only by the tests)
    handbook: Path = ROOT.parent / "shared" / "seeds" / "000_4607ac82d6a3b145.txt"
    db_path: Path = ROOT / "build" / "evidence.db"
    metadata: Path = ROOT / "datasette_metadata.yml"
    max_query_length: int = 500
    # Where the public reaches the API (the site is at …/browse/): the one base of every absolute
    # URL written into content (brief links, export Link headers and "about" sheets, Datasette's
    # next and toggle links). Never the request's Host header, which anyone can set.
    public_url: str = "http://127.0.0.1:8000"


def public_url(path: str, query: str = "") -> str:
    """`path` (and `query`) under the configured public base URL."""
    base = settings.public_url.rstrip("/")
    return base + "/" + path.lstrip("/") + (f"?{query}" if query else "")


settings = Settings()
