"""Double coding: two independent codings, their agreement, the reconciliation, the final coding.

Systematic reviewers code twice and reconcile. `data/curation/coding/` keeps every step:

- `claims_coder_a.csv`, `claims_coder_b.csv`: (claim_id, concept_id, ref) → stance, one row per
  study a claim cites, each coder's own reason. Coder A is the first wave's coding; coder B coded
  with only docs/coding-manual.md and the review.
- `findings_coder_a.csv`, `findings_coder_b.csv`: (finding_id, concept_id) → stance for the 149
  Bilag 2 findings, two coders with only the manual and the review.
- `claims_reconciled.csv`, `findings_reconciled.csv`: every unit on which the coders differ (a
  stance, or a concept one coder did not assign: "not coded"), with the third reviewer's final
  value and reason.

`final_claims` / `final_findings` join them: agreed units as coded, disputed ones as reconciled.
`agreement` measures the codings *before* reconciliation: per unit whether the concept sets are
equal, their mean Jaccard overlap, Cohen's κ on concept presence (every unit × every concept),
and Cohen's κ on stance over the (unit, concept[, study]) pairs both coders coded.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evidence.read.stances import aggregate_stance

NOT_CODED = "not coded"
STANCES = ("supports", "contradicts", "mixed", "mentions")

Key = tuple  # (claim_id, concept_id, ref) or (finding_id, concept_id)


@dataclass(frozen=True)
class Coded:
    stance: str
    reason: str


@dataclass(frozen=True)
class Agreement:
    """Agreement of two codings before reconciliation (see the module's docstring)."""

    units: int
    sets_equal: float  # share of units whose concept sets are equal
    jaccard: float  # mean |A ∩ B| / |A ∪ B| of the units' concept sets
    kappa_concepts: float  # Cohen's κ on presence, every unit × every concept
    stance_pairs: int  # (unit, concept[, study]) coded by both
    stance_observed: float  # share of those pairs with the same stance
    kappa_stance: float  # Cohen's κ on those pairs
    disputed: int  # rows in the reconciliation file

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def read_coding(path: Path, unit: str) -> dict[Key, Coded]:
    """A coder's file: unit id, concept_id[, ref], stance, reason → {key: Coded}."""
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            out[_key(r, unit)] = Coded(r["stance"], r.get("reason", ""))
    return out


def read_reconciled(path: Path, unit: str) -> dict[Key, Coded]:
    """The third reviewer's decisions: {key: Coded(final, reason)}; final may be NOT_CODED."""
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            out[_key(r, unit)] = Coded(r["final"], r["reason"])
    return out


def _key(row: dict, unit: str) -> Key:
    if "ref" in row and row["ref"] not in (None, ""):
        return (row[unit], row["concept_id"], int(row["ref"]))
    return (row[unit], row["concept_id"])


def kappa(pairs: Sequence[tuple[object, object]]) -> float:
    """Cohen's κ of paired labels: (observed − chance) / (1 − chance); 1.0 when chance is 1."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(ca[k] * cb[k] for k in ca.keys() | cb.keys()) / (n * n)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def agreement(
    a: dict[Key, Coded], b: dict[Key, Coded], concepts: list[str], disputed: int = 0
) -> Agreement:
    """How far two codings of the same units agree (before reconciliation)."""
    sets_a, sets_b = _concept_sets(a), _concept_sets(b)
    units = sorted(sets_a.keys() | sets_b.keys())
    jaccard = [len(sets_a[u] & sets_b[u]) / len(sets_a[u] | sets_b[u]) for u in units]
    presence = [(c in sets_a[u], c in sets_b[u]) for u in units for c in concepts]
    both = [(a[k].stance, b[k].stance) for k in a.keys() & b.keys()]
    return Agreement(
        units=len(units),
        sets_equal=round(sum(sets_a[u] == sets_b[u] for u in units) / len(units), 3),
        jaccard=round(sum(jaccard) / len(units), 3),
        kappa_concepts=round(kappa(presence), 3),
        stance_pairs=len(both),
        stance_observed=round(sum(x == y for x, y in both) / len(both), 3),
        kappa_stance=round(kappa(both), 3),
        disputed=disputed,
    )


def _concept_sets(coding: dict[Key, Coded]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for key in coding:
        out[key[0]].add(key[1])
    return out


def final_coding(
    a: dict[Key, Coded], b: dict[Key, Coded], reconciled: dict[Key, Coded]
) -> dict[Key, Coded]:
    """Agreed units as coded (coder A's reason), disputed ones as the third reviewer decided.

    Raises ValueError naming the first disputed key that has no reconciliation row."""
    out = {}
    for key in sorted(a.keys() | b.keys(), key=str):
        x, y = a.get(key), b.get(key)
        if x and y and x.stance == y.stance:
            out[key] = Coded(x.stance, x.reason or y.reason)
            continue
        if key not in reconciled:
            raise ValueError(
                f"{key}: the coders differ and no reconciliation row decides it; add the row to "
                "data/curation/coding/*_reconciled.csv (coder_a, coder_b, final, reason)"
            )
        if reconciled[key].stance != NOT_CODED:
            out[key] = reconciled[key]
    return out


def claim_rows(final: dict[Key, Coded], included: set[int]) -> tuple[list[dict], list[dict]]:
    """The final claim coding as data/curation/claim_concepts.csv rows (the claim's stance: its
    studies' stances aggregated, evidence.read.stances.aggregate_stance) and
    citation_stances.csv rows (each included study whose stance differs from its claim's)."""
    per_pair: dict[tuple[str, str], dict[int, Coded]] = defaultdict(dict)
    for (claim_id, concept_id, ref), coded in final.items():
        if ref in included:
            per_pair[(claim_id, concept_id)][ref] = coded
    concepts, overrides = [], []
    for (claim_id, concept_id), by_ref in sorted(
        per_pair.items(), key=lambda kv: _claim_order(kv[0])
    ):
        stance = aggregate_stance(c.stance for c in by_ref.values())
        reasons = Counter(c.reason for c in by_ref.values() if c.stance == stance)
        note = reasons.most_common(1)[0][0] if reasons else ""
        concepts.append(
            {"claim_id": claim_id, "concept_id": concept_id, "stance": stance, "note": note}
        )
        for ref, c in sorted(by_ref.items()):
            if c.stance != stance:
                overrides.append(
                    {
                        "claim_id": claim_id,
                        "ref": ref,
                        "concept_id": concept_id,
                        "stance": c.stance,
                        "reason": c.reason,
                    }
                )
    return concepts, overrides


def finding_rows(final: dict[Key, Coded]) -> list[dict]:
    """The final Bilag 2 coding as data/curation/finding_concepts.csv rows."""
    return [
        {"finding_id": f, "concept_id": c, "stance": coded.stance, "note": coded.reason}
        for (f, c), coded in sorted(
            final.items(), key=lambda kv: (_finding_order(kv[0][0]), kv[0][1])
        )
    ]


def _claim_order(pair: tuple[str, str]) -> tuple:
    section, n = pair[0].rsplit("-", 1)
    return (tuple(int(x) for x in section.split(".")), int(n), pair[1])


def _finding_order(finding_id: str) -> tuple[int, int]:
    ref, seq = finding_id.split("-")
    return (int(ref), int(seq))


CODING_FILES = {
    "claims": ("claim_id", "claims_coder_a.csv", "claims_coder_b.csv", "claims_reconciled.csv"),
    "findings": (
        "finding_id",
        "findings_coder_a.csv",
        "findings_coder_b.csv",
        "findings_reconciled.csv",
    ),
}


def read_codings(data_dir: Path, units: str) -> tuple[dict, dict, dict]:
    """(coder A, coder B, reconciled) for "claims" or "findings" from data/curation/coding/."""
    unit, a, b, r = CODING_FILES[units]
    folder = Path(data_dir) / "curation" / "coding"
    return (
        read_coding(folder / a, unit),
        read_coding(folder / b, unit),
        read_reconciled(folder / r, unit),
    )


def coding_report(data_dir: Path, concepts: list[str] | None = None) -> dict[str, Agreement]:
    """Agreement before reconciliation, for the claims and for the Bilag 2 findings.
    `concepts`: every concept id (default: read from data/concepts.csv)."""
    if concepts is None:
        with open(Path(data_dir) / "concepts.csv", newline="", encoding="utf-8-sig") as f:
            concepts = [r["id"] for r in csv.DictReader(f)]
    out = {}
    for units in CODING_FILES:
        a, b, reconciled = read_codings(data_dir, units)
        out[units] = agreement(a, b, concepts, len(reconciled))
    return out


def write_final(data_dir: Path) -> dict[str, int]:
    """Write the final coding to data/curation/{claim_concepts,citation_stances,finding_concepts}.csv
    (then `evidence extract` carries it into data/); the row counts written."""
    data_dir = Path(data_dir)
    with open(data_dir / "studies.csv", newline="", encoding="utf-8-sig") as f:
        included = {int(r["ref"]) for r in csv.DictReader(f)}
    claims, overrides = claim_rows(final_coding(*read_codings(data_dir, "claims")), included)
    findings = finding_rows(final_coding(*read_codings(data_dir, "findings")))
    files = {
        "claim_concepts": (claims, ["claim_id", "concept_id", "stance", "note"]),
        "citation_stances": (overrides, ["claim_id", "ref", "concept_id", "stance", "reason"]),
        "finding_concepts": (findings, ["finding_id", "concept_id", "stance", "note"]),
    }
    for name, (rows, fields) in files.items():
        with open(data_dir / "curation" / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return {name: len(rows) for name, (rows, _) in files.items()}
