"""Zaakgeometrie: a zaak's place as GeoJSON in WGS84 (the only CRS the suite accepts, see sds.runtime.crs), and
``POST /zaken/_zoek`` with ``zaakgeometrie.within``.

A zaak keeps its geometry in its gegevens and its bounding box in four columns. A search narrows in SQL to the
zaken whose box lies inside the box of the search geometry, then tests ``within`` exactly (shapely, as PostGIS's
ST_Within does it for Open Zaak) on those only. No I/O here.
"""

from __future__ import annotations

from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

KADER = ("geo_xmin", "geo_ymin", "geo_xmax", "geo_ymax")


class OngeldigeGeometrie(ValueError):
    """Not a GeoJSON geometry shapely can read (coordinates missing, of the wrong depth, not numbers)."""


def vorm(geojson: dict[str, Any]) -> BaseGeometry:
    try:
        geometry = shape(geojson)
    # ShapelyError: GEOS's own errors and shapely's, e.g. a MultiLineString with an empty line in it.
    except (ShapelyError, TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise OngeldigeGeometrie(f"Geen geldige GeoJSON-geometrie ({exc}).") from None
    if geometry.is_empty:
        raise OngeldigeGeometrie("De geometrie heeft geen coördinaten.")
    return geometry


def kader(geojson: dict[str, Any] | None) -> dict[str, float | None]:
    """The bounding-box columns of a zaak with this geometry (all None without one)."""
    if geojson is None:
        return dict.fromkeys(KADER)
    return dict(zip(KADER, vorm(geojson).bounds, strict=True))


def ligt_binnen(geojson: dict[str, Any] | None, zoekvorm: BaseGeometry) -> bool:
    return geojson is not None and vorm(geojson).within(zoekvorm)
