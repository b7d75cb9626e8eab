"""A zaakgeometrie shapely cannot build is a validation error (400), never an exception that becomes a 500 —
found by schemathesis: a MultiLineString with an empty line in it."""

from __future__ import annotations

import pytest

from services.zaken.zaken.geometrie import OngeldigeGeometrie, vorm


@pytest.mark.parametrize("geojson", [
    {"type": "MultiLineString", "coordinates": [[[0.0, 0.0], [1.0, 1.0]], []]},
    {"type": "LineString", "coordinates": [[0.0, 0.0]]},
    {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 1.0]]]},
    {"type": "Point", "coordinates": []},
])
def test_a_geometry_shapely_cannot_build_is_ongeldig(geojson: dict[str, object]) -> None:
    with pytest.raises(OngeldigeGeometrie):
        vorm(geojson)


def test_a_good_geometry_is_read() -> None:
    assert vorm({"type": "LineString", "coordinates": [[5.11, 52.09], [5.13, 52.07]]}).length > 0
