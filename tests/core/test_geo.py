import math

import pytest

from sigap.core.geo import (
    GeoError,
    Point,
    distance_m,
    distance_to_polygon_m,
    point_in_polygon,
    validate_polygon,
)

MAMUJU = Point(-2.68, 118.89)
SQUARE = [
    [-2.681, 118.889],
    [-2.681, 118.891],
    [-2.679, 118.891],
    [-2.679, 118.889],
    [-2.681, 118.889],
]


def test_distance_of_one_thousandth_degree_latitude_is_about_111_m():
    assert distance_m(MAMUJU, Point(-2.681, 118.89)) == pytest.approx(111.2, abs=0.5)


def test_distance_is_symmetric_and_zero_on_itself():
    other = Point(-2.70, 118.91)
    assert distance_m(MAMUJU, other) == pytest.approx(distance_m(other, MAMUJU))
    assert distance_m(MAMUJU, MAMUJU) == 0


def test_distance_across_the_antimeridian():
    assert distance_m(Point(0, 179.999), Point(0, -179.999)) == pytest.approx(222.4, abs=1)


@pytest.mark.parametrize(
    ("lat", "lon"), [(91, 0), (-90.0001, 0), (0, 180.5), (0, -181), (math.nan, 0), (0, math.inf)]
)
def test_bad_coordinates_are_refused(lat, lon):
    with pytest.raises(GeoError):
        Point(lat, lon)


def test_polygon_must_close():
    with pytest.raises(GeoError, match="does not close"):
        validate_polygon(SQUARE[:-1] + [[-2.6805, 118.8895]])


@pytest.mark.parametrize(
    "ring",
    [
        [[0, 0], [0, 1], [0, 0]],
        [[0, 0], [0, 1], [0, 1], [0, 0]],
        [[0, 0, 1], [0, 1], [1, 1], [0, 0]],
        [[0, 0], [0, 1], [95, 1], [0, 0]],
    ],
)
def test_degenerate_polygons_are_refused(ring):
    with pytest.raises(GeoError):
        validate_polygon(ring)


def test_point_in_polygon_inside_outside_and_on_edge():
    ring = validate_polygon(SQUARE)
    assert point_in_polygon(MAMUJU, ring)
    assert not point_in_polygon(Point(-2.678, 118.89), ring)
    assert point_in_polygon(Point(-2.681, 118.89), ring)  # on the southern edge


def test_distance_to_polygon_is_zero_inside_and_metres_outside():
    ring = validate_polygon(SQUARE)
    assert distance_to_polygon_m(MAMUJU, ring) == 0
    # 0.001 degrees north of the northern edge: about 111 m
    assert distance_to_polygon_m(Point(-2.678, 118.89), ring) == pytest.approx(111.2, abs=1)
