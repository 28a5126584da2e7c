"""Settings in one place: paths and limits, overridable by EVIDENCE_* environment variables."""

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


settings = Settings()
