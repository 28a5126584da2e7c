"""A synthetic review at N× the size of the real one, for the scale benchmarks.

Copy 0 is the real data, verbatim, so the real questions still find their answers. Copies
1..N-1 repeat its shape (as many studies, findings, claims, citations, concepts, references,
sections and outcomes, and the same citation graph) under new ids and with new text: Danish
and English sentences recombined from the real ones by a word-bigram chain, concept labels and
synonyms rebuilt from the real thesaurus's words, authors from the real surnames. The output is
a complete data/ directory (schema, vocabularies and curation copied) that `evidence validate`
accepts. Deterministic for a given seed.

    python -m bench.synthetic 10        # writes bench/synthetic/10x/data
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OUT = ROOT / "bench" / "synthetic"
OFFSET = 10_000  # copy k's study numbers are ref + k·OFFSET (the real ones are below 1,100)
CITATION = re.compile(r"\s*\([^)]*\d[^)]*\)")


class Chain:
    """A word-bigram chain over real sentences: new sentences made of the real ones' words."""

    def __init__(self, texts):
        self.starts: list[str] = []
        self.follow: dict[str, list[str]] = defaultdict(list)
        for text in texts:
            words = CITATION.sub("", text or "").split()
            if len(words) < 3:
                continue
            self.starts.append(words[0])
            for a, b in zip(words, words[1:], strict=False):
                self.follow[a].append(b)

    def sentence(self, rng: random.Random, max_words: int = 28) -> str:
        word = rng.choice(self.starts)
        words = [word]
        limit = rng.randint(6, max_words)
        while len(words) < limit and not word.endswith((".", "?", "!")) and self.follow.get(word):
            word = rng.choice(self.follow[word])
            words.append(word)
        text = " ".join(words).rstrip(",;:–-").replace("|", "/")
        return text if text.endswith((".", "?", "!")) else text + "."


def read(data_dir: Path, name: str) -> tuple[list[str], list[dict]]:
    with open(data_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write(data_dir: Path, name: str, header: list[str], rows: list[dict]) -> None:
    with open(data_dir / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


class Copy:
    """The id mapping of copy k (k = 0 maps every id to itself)."""

    def __init__(self, k: int, included: set[int]):
        self.k, self.included = k, included

    def ref(self, raw: str) -> str:
        if not raw or int(raw) not in self.included:
            return raw  # background literature, or a number cited but not included (errata)
        return str(int(raw) + self.k * OFFSET)

    def refs(self, raw: str) -> str:
        return "|".join(self.ref(r) for r in raw.split("|")) if raw else raw

    def slug(self, raw: str) -> str:
        return f"{raw}-s{self.k}" if raw and self.k else raw

    def slugs(self, raw: str) -> str:
        return "|".join(self.slug(s) for s in raw.split("|")) if raw else raw

    def chapter(self, raw: str) -> str:
        return str(int(raw) + 10 * self.k) if raw else raw

    def section(self, raw: str) -> str:
        head, _, tail = raw.partition(".")
        return self.chapter(head) + (f".{tail}" if tail else "")

    def claim(self, raw: str) -> str:
        section, _, seq = raw.rpartition("-")
        return f"{self.section(section)}-{seq}"


class Writer:
    """Text for the synthetic copies, recombined from the real data's words."""

    def __init__(self, tables: dict[str, list[dict]], rng: random.Random):
        self.rng = rng
        t = tables
        self.da = Chain(
            [r["sentence_da"] for r in t["claims"]]
            + [r["text_da"] for r in t["findings"]]
            + [r["definition_da"] for r in t["concepts"]]
        )
        self.en = Chain(
            [r["text_en"] for r in t["claims"]]
            + [r["text_en"] for r in t["findings"]]
            + [r["definition_en"] for r in t["concepts"]]
        )
        self.titles = Chain(
            [r["title"] for r in t["references"]] + [r["title_da"] for r in t["sections"]]
        )
        self.surnames = sorted({r["first_author"] for r in t["references"]})
        self.words_da = sorted(
            {
                w
                for r in t["concepts"]
                for w in (r["label_da"] + " " + r["synonyms_da"].replace("|", " ")).split()
            }
        )
        self.words_en = sorted(
            {
                w
                for r in t["concepts"]
                for w in (r["label_en"] + " " + r["synonyms_en"].replace("|", " ")).split()
            }
        )
        self.years = [r["year"] for r in t["studies"]]

    def authors(self) -> str:
        names = self.rng.sample(self.surnames, self.rng.randint(1, 3))
        return ", ".join(f"{n}, {chr(65 + self.rng.randrange(26))}." for n in names)

    def phrase(self, words: list[str], like: str) -> str:
        """A phrase as long as `like`, its words swapped for others of the thesaurus."""
        n = max(1, len(like.split()))
        return " ".join(self.rng.choice(words) for _ in range(n))

    def phrases(self, words: list[str], like: str) -> str:
        return "|".join(self.phrase(words, s) for s in like.split("|")) if like else ""

    def title(self) -> str:
        return self.titles.sentence(self.rng, 14).rstrip(".")


def synth_studies(rows, c: Copy, w: Writer, findings_by_ref: dict[str, list[dict]]) -> list[dict]:
    out = []
    for row in rows:
        like = w.rng.choice(rows)  # countries, areas, methods and form of another real study
        authors, year = w.authors(), w.rng.choice(w.years)
        ref = c.ref(row["ref"])
        cell = " ".join(
            f"{f['dimension_label']}: {f['text_da']}" for f in findings_by_ref.get(ref, [])
        )
        out.append(
            {
                **row,
                "ref": ref,
                "authors": authors,
                "year": year,
                "title": w.title() if row["title"] else "",
                "title_en": w.title() if row["title_en"] else "",
                "publication_type": like["publication_type"],
                "language": like["language"],
                "countries": like["countries"],
                "service_areas": like["service_areas"],
                "methods": like["methods"],
                "is_danish": "true" if "DK" in like["countries"].split("|") else "false",
                "reference_id": c.slug(row["reference_id"]),
                "bilag2_authors_year": f"{authors} ({year})",
                "bilag2_country_area": like["bilag2_country_area"],
                "bilag2_method": like["bilag2_method"],
                "bilag2_findings": cell or w.da.sentence(w.rng),
                "link_note": "",
                "note": "",
            }
        )
    return out


def synth_copy(t: dict[str, list[dict]], c: Copy, w: Writer) -> dict[str, list[dict]]:
    """Copy k of every table: new ids, the same graph, recombined text."""
    s = w.da.sentence
    rng = w.rng
    findings = [
        {
            **r,
            "finding_id": f"{c.ref(r['ref'])}-{r['finding_id'].rpartition('-')[2]}",
            "ref": c.ref(r["ref"]),
            "text_da": s(rng),
            "text_en": w.en.sentence(rng),
        }
        for r in t["findings"]
    ]
    by_ref = defaultdict(list)
    for f in findings:
        by_ref[f["ref"]].append(f)
    claims = []
    for r in t["claims"]:
        refs = c.refs(r["cited_refs"])
        cite = f"({', '.join(refs.split('|'))})"
        claims.append(
            {
                **r,
                "claim_id": c.claim(r["claim_id"]),
                "section": c.section(r["section"]),
                "chapter": c.chapter(r["chapter"]),
                "sentence_da": f"{s(rng).rstrip('.')} {cite}.",
                "citation_text": cite,
                "cited_refs": refs,
                "text_en": f"{w.en.sentence(rng).rstrip('.')} {cite}.",
                "concept_ids": c.slugs(r["concept_ids"]),
            }
        )
    return {
        "studies": synth_studies(t["studies"], c, w, by_ref),
        "findings": findings,
        "claims": claims,
        "citations": [
            {**r, "claim_id": c.claim(r["claim_id"]), "ref": c.ref(r["ref"])}
            for r in t["citations"]
        ],
        "claim_concepts": [
            {**r, "claim_id": c.claim(r["claim_id"]), "concept_id": c.slug(r["concept_id"])}
            for r in t["claim_concepts"]
        ],
        "citation_stances": [
            {
                **r,
                "claim_id": c.claim(r["claim_id"]),
                "ref": c.ref(r["ref"]),
                "concept_id": c.slug(r["concept_id"]),
            }
            for r in t["citation_stances"]
        ],
        "claim_expansions": [
            {
                **r,
                "claim_id": c.claim(r["claim_id"]),
                # numbered: two random sentences of one claim may come out the same
                "text": f"{(s if r['lang'] == 'da' else w.en.sentence)(rng, 16)} {i}",
            }
            for i, r in enumerate(t["claim_expansions"])
        ],
        "finding_expansions": [
            {
                **r,
                "finding_id": f"{c.ref(r['finding_id'].rpartition('-')[0])}-"
                f"{r['finding_id'].rpartition('-')[2]}",
                "text": f"{(s if r['lang'] == 'da' else w.en.sentence)(rng, 16)} {i}",
            }
            for i, r in enumerate(t["finding_expansions"])
        ],
        "finding_concepts": [
            {
                **r,
                "finding_id": f"{c.ref(r['finding_id'].rpartition('-')[0])}-"
                f"{r['finding_id'].rpartition('-')[2]}",
                "concept_id": c.slug(r["concept_id"]),
            }
            for r in t["finding_concepts"]
        ],
        "concepts": [synth_concept(r, c, w) for r in t["concepts"]],
        "references": [synth_reference(r, c, w) for r in t["references"]],
        "sections": [
            {
                **r,
                "section": c.section(r["section"]),
                "chapter": c.chapter(r["chapter"]),
                "title_da": w.title(),
                "key_findings_da": s(rng) if r["key_findings_da"] else "",
                "stated_text": s(rng) if r["stated_text"] else "",
            }
            for r in t["sections"]
        ],
        "outcomes": [
            {
                **r,
                "outcome_id": f"{c.ref(r['ref'])}-{r['outcome_id'].partition('-')[2]}",
                "ref": c.ref(r["ref"]),
                "section": c.section(r["section"]),
                "measure_da": s(rng, 8).rstrip("."),
                "quote_da": s(rng),
            }
            for r in t["outcomes"]
        ],
    }


def synth_concept(r: dict, c: Copy, w: Writer) -> dict:
    return {
        **r,
        "id": c.slug(r["id"]),
        "broader": c.slug(r["broader"]),
        "label_da": w.phrase(w.words_da, r["label_da"]).capitalize(),
        "label_en": w.phrase(w.words_en, r["label_en"]).capitalize(),
        "synonyms_da": w.phrases(w.words_da, r["synonyms_da"]),
        "synonyms_en": w.phrases(w.words_en, r["synonyms_en"]),
        "definition_da": w.da.sentence(w.rng),
        "definition_en": w.en.sentence(w.rng),
    }


def synth_reference(r: dict, c: Copy, w: Writer) -> dict:
    authors, title = w.authors(), w.title()
    return {
        **r,
        "reference_id": c.slug(r["reference_id"]),
        "authors": authors,
        "first_author": authors.split(",")[0],
        "title": title,
        "ref": c.ref(r["ref"]),
        "link_note": "",
        "raw": f"{authors} ({r['year']}). *{title}*. {r['venue']}.",
    }


def generate_review(
    factor: int, dst: Path | None = None, src: Path = DATA, seed: int = 2024
) -> Path:
    """Write a data/ directory `factor` times the size of `src`; returns its path."""
    dst = Path(dst or OUT / f"{factor}x" / "data")
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.csv"), dirs_exist_ok=False)
    shutil.copytree(src / "curation", dst / "curation", dirs_exist_ok=True)
    names = [p.stem for p in sorted(src.glob("*.csv"))]
    headers, tables = {}, {}
    for name in names:
        headers[name], tables[name] = read(src, name)
    included = {int(r["ref"]) for r in tables["studies"]}
    writer = Writer(tables, random.Random(seed))
    out = {name: list(rows) for name, rows in tables.items()}
    for k in range(1, factor):
        for name, rows in synth_copy(tables, Copy(k, included), writer).items():
            out[name] += rows
    for name in names:
        write(dst, name, headers[name], out[name])
    return dst


def main(argv: list[str]) -> int:
    for factor in [int(a) for a in argv] or [10]:
        path = generate_review(factor)
        print(f"{path}: {sum(1 for _ in path.glob('*.csv'))} files, {factor}× the real review")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
