"""A reader for JSON-stat 2.0 datasets, as Statistics Norway's PxWebApi v2 returns them.

A dataset has ``id`` (the dimension names in order), ``size`` (categories per
dimension), ``dimension`` (each with ``category.index`` — a list, or an object
code → position — and ``category.label``), ``value`` (a flat list in row-major order
over ``id``, or an object position → value for sparse data) and an optional
``status`` (a string for every cell, a list, or an object position → symbol).
Anything else is refused with a message saying what is wrong.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Iterator


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset this reader can use."""


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    codes: tuple[str, ...]  # in index order
    labels: dict[str, str]


@dataclass(frozen=True)
class Dataset:
    label: str
    source: str
    updated: str
    dimensions: tuple[Dimension, ...]
    values: tuple[float | None, ...]
    statuses: tuple[str | None, ...]
    roles: dict[str, list[str]]

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise JsonStatError(f"the dataset has no dimension {dimension_id!r}")

    def role(self, role: str, fallback: str) -> str:
        """The dimension with ``role`` (time, geo, metric), else the one named ``fallback``."""
        ids = self.roles.get(role) or []
        if ids:
            return ids[0]
        self.dimension(fallback)
        return fallback

    def cells(self) -> Iterator[tuple[dict[str, str], float | None, str | None]]:
        """Every cell as ({dimension id: category code}, value, status)."""
        sizes = [len(d.codes) for d in self.dimensions]
        for position, value in enumerate(self.values):
            coordinates, rest = {}, position
            for dimension, size in zip(reversed(self.dimensions), reversed(sizes)):
                coordinates[dimension.id] = dimension.codes[rest % size]
                rest //= size
            yield coordinates, value, self.statuses[position]


def loads(text: str | bytes) -> Dataset:
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise JsonStatError(f"not JSON: {error}") from None
    return parse(document)


def parse(document: Any) -> Dataset:
    if not isinstance(document, dict):
        raise JsonStatError("a JSON-stat dataset is a JSON object")
    if document.get("class") != "dataset":
        raise JsonStatError(f"class is {document.get('class')!r}, not 'dataset'")
    if str(document.get("version", "")) != "2.0":
        raise JsonStatError(f"version is {document.get('version')!r}; this reader needs JSON-stat 2.0")
    ids, sizes, dims = document.get("id"), document.get("size"), document.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or not ids:
        raise JsonStatError("'id' must be a list of dimension names")
    if not isinstance(sizes, list) or len(sizes) != len(ids) or not all(isinstance(s, int) and s > 0 for s in sizes):
        raise JsonStatError("'size' must give a positive whole number for each dimension in 'id'")
    if not isinstance(dims, dict):
        raise JsonStatError("'dimension' must be an object")
    dimensions = tuple(_dimension(name, dims.get(name), size) for name, size in zip(ids, sizes))
    total = math.prod(sizes)
    values = _values(document.get("value"), total)
    statuses = _statuses(document.get("status"), total)
    roles = document.get("role") or {}
    if not isinstance(roles, dict):
        raise JsonStatError("'role' must be an object")
    return Dataset(str(document.get("label", "")), str(document.get("source", "")), str(document.get("updated", "")),
                   dimensions, values, statuses, {k: list(v) for k, v in roles.items() if isinstance(v, list)})


def _dimension(name: str, body: Any, size: int) -> Dimension:
    if not isinstance(body, dict) or not isinstance(body.get("category"), dict):
        raise JsonStatError(f"dimension {name!r} is missing or has no 'category'")
    category = body["category"]
    index, labels = category.get("index"), category.get("label") or {}
    if not isinstance(labels, dict):
        raise JsonStatError(f"dimension {name!r}: 'category.label' must be an object")
    if index is None:
        if len(labels) != 1:
            raise JsonStatError(f"dimension {name!r}: 'category.index' may be left out only for a single category")
        codes = tuple(labels)
    elif isinstance(index, list):
        codes = tuple(str(code) for code in index)
    elif isinstance(index, dict):
        if sorted(index.values()) != list(range(len(index))):
            raise JsonStatError(f"dimension {name!r}: 'category.index' positions must run 0, 1, 2 …")
        codes = tuple(code for code, _ in sorted(index.items(), key=lambda item: item[1]))
    else:
        raise JsonStatError(f"dimension {name!r}: 'category.index' must be a list or an object")
    if len(codes) != size:
        raise JsonStatError(f"dimension {name!r} has {len(codes)} categories but 'size' says {size}")
    return Dimension(name, str(body.get("label", name)), codes, {c: str(labels.get(c, c)) for c in codes})


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JsonStatError(f"value {where} is {value!r}, not a number or null")
    return float(value)


def _values(value: Any, total: int) -> tuple[float | None, ...]:
    if isinstance(value, list):
        if len(value) != total:
            raise JsonStatError(f"'value' has {len(value)} numbers but the dimensions make {total} cells")
        return tuple(_number(v, f"at {i}") for i, v in enumerate(value))
    if isinstance(value, dict):
        out: list[float | None] = [None] * total
        for key, v in value.items():
            if not str(key).isdigit() or int(key) >= total:
                raise JsonStatError(f"'value' has position {key!r} outside the {total} cells")
            out[int(key)] = _number(v, f"at {key}")
        return tuple(out)
    raise JsonStatError("'value' must be a list or an object")


def _statuses(status: Any, total: int) -> tuple[str | None, ...]:
    if status is None:
        return (None,) * total
    if isinstance(status, str):
        return (status,) * total
    if isinstance(status, list):
        if len(status) == 1:
            return (status[0],) * total
        if len(status) != total:
            raise JsonStatError(f"'status' has {len(status)} entries but the dimensions make {total} cells")
        return tuple(status)
    if isinstance(status, dict):
        out: list[str | None] = [None] * total
        for key, symbol in status.items():
            if not str(key).isdigit() or int(key) >= total:
                raise JsonStatError(f"'status' has position {key!r} outside the {total} cells")
            out[int(key)] = str(symbol)
        return tuple(out)
    raise JsonStatError("'status' must be a string, a list or an object")
