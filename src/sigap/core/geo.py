"""Points, distances and polygons on the earth (pure, no Django).

Distances use the haversine formula on a sphere of radius 6,371,008.8 m; within a
region (tens of km) the error is well under a metre, far below GPS accuracy.
Polygons are closed rings of (latitude, longitude) pairs: the first point repeats
as the last.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

EARTH_RADIUS_M = 6_371_008.8


class GeoError(ValueError):
    """A geometry that cannot be used (bad coordinates, an open polygon...)."""


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        validate_coordinates(self.latitude, self.longitude)


def validate_coordinates(latitude: float, longitude: float) -> None:
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise GeoError("coordinates must be finite numbers")
    if not -90.0 <= latitude <= 90.0:
        raise GeoError("latitude must be between -90 and 90")
    if not -180.0 <= longitude <= 180.0:
        raise GeoError("longitude must be between -180 and 180")


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlmb = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def validate_polygon(ring: Sequence[Sequence[float]]) -> tuple[Point, ...]:
    """A closed ring of at least three distinct corners -> its points (closing point kept)."""
    if len(ring) < 4:
        raise GeoError("a polygon needs at least 3 corners plus the closing point")
    points = []
    for pair in ring:
        if len(pair) != 2:
            raise GeoError("each polygon point is a [latitude, longitude] pair")
        points.append(Point(float(pair[0]), float(pair[1])))
    if points[0] != points[-1]:
        raise GeoError("the polygon does not close: its last point must equal its first")
    if len(set(points)) < 3:
        raise GeoError("a polygon needs at least 3 distinct corners")
    return tuple(points)


def _local_xy(origin: Point, p: Point) -> tuple[float, float]:
    """Equirectangular projection around `origin`, in metres (fine at city scale)."""
    x = math.radians(p.longitude - origin.longitude) * math.cos(math.radians(origin.latitude))
    y = math.radians(p.latitude - origin.latitude)
    return x * EARTH_RADIUS_M, y * EARTH_RADIUS_M


def point_in_polygon(point: Point, ring: Sequence[Point]) -> bool:
    """Ray casting; a point on an edge counts as inside."""
    px, py = 0.0, 0.0
    xy = [_local_xy(point, p) for p in ring]
    inside = False
    for (x1, y1), (x2, y2) in pairwise(xy):
        if _segment_distance(px, py, x1, y1, x2, y2) < 1e-6:
            return True
        if (y1 > py) != (y2 > py):
            x_cross = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
            if x_cross > px:
                inside = not inside
    return inside


def _segment_distance(px: float, py: float, x1: float, y1: float, x2: float, y2: float) -> float:
    dx, dy = x2 - x1, y2 - y1
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length2))
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def distance_to_polygon_m(point: Point, ring: Sequence[Point]) -> float:
    """0 inside (or on the edge), else the distance to the nearest edge in metres."""
    if point_in_polygon(point, ring):
        return 0.0
    xy = [_local_xy(point, p) for p in ring]
    return min(_segment_distance(0.0, 0.0, x1, y1, x2, y2) for (x1, y1), (x2, y2) in pairwise(xy))


def polygon_centroid(ring: Sequence[Point]) -> Point:
    corners = ring[:-1]
    return Point(
        sum(p.latitude for p in corners) / len(corners),
        sum(p.longitude for p in corners) / len(corners),
    )
