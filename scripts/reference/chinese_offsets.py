"""Independent Python implementation of the GCJ-02 and BD-09 offsets.

This is the widely published algorithm (the same formulas circulate in many
open-source projects, e.g. wandergis/coordTransform, MIT): Krasovsky 1940
ellipsoid a = 6378245.0, ee = 0.00669342162296594323, the fixed polynomial +
sine offset in degrees, and the BD-09 rotation/scale on top of GCJ-02.
It is used only to make reference fixtures for the Swift tests; it is written
from the published formulas, not translated from the Swift sources.

Forward directions (WGS84 -> GCJ-02 -> BD-09) are the published closed forms.
gcj02_to_wgs84_exact is an iterative inverse (fixed-point, to ~1e-12 degree);
gcj02_to_wgs84_approx is the published one-step inverse (error up to ~1-2 m).
"""

import math

A = 6378245.0
EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0


def out_of_china(lon, lat):
    return lon < 72.004 or lon > 137.8347 or lat < 0.8293 or lat > 55.8271


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _delta(lon, lat):
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _delta(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84_approx(lon, lat):
    """Published one-step inverse: subtract the offset evaluated at the GCJ point."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _delta(lon, lat)
    return lon - dlon, lat - dlat


def _invert(forward, lon, lat, start, tol, max_iter):
    """Solve forward(w) == (lon, lat) by w <- w - (forward(w) - target), from `start`."""
    wlon, wlat = start
    for _ in range(max_iter):
        flon, flat = forward(wlon, wlat)
        elon, elat = flon - lon, flat - lat
        wlon -= elon
        wlat -= elat
        if abs(elon) < tol and abs(elat) < tol:
            break
    return wlon, wlat


def gcj02_to_wgs84_exact(lon, lat, tol=1e-12, max_iter=50):
    """Fixed-point inverse: find w with wgs84_to_gcj02(w) == (lon, lat)."""
    if out_of_china(lon, lat):
        return lon, lat
    return _invert(wgs84_to_gcj02, lon, lat, gcj02_to_wgs84_approx(lon, lat), tol, max_iter)


def gcj02_to_bd09(lon, lat):
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    """Published (approximate) inverse of gcj02_to_bd09."""
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_gcj02_exact(lon, lat, tol=1e-12, max_iter=50):
    """Fixed-point inverse: find g with gcj02_to_bd09(g) == (lon, lat).

    No offset outside China (as for GCJ-02), so BD-09 outside China is taken as WGS84.
    """
    if out_of_china(lon, lat):
        return lon, lat
    return _invert(gcj02_to_bd09, lon, lat, bd09_to_gcj02(lon, lat), tol, max_iter)


def bd09_to_wgs84_exact(lon, lat):
    return gcj02_to_wgs84_exact(*bd09_to_gcj02_exact(lon, lat))


# --- Vectorised (numpy) versions of the same formulas, for whole columns of points. ---
# They mirror the scalar functions above line by line. The inverses iterate from the target
# itself until the forward image is within tol (default 1e-12 degree, ~0.1 um), as the scalar ones.

def _np():
    import numpy
    return numpy


def _delta_array(lon, lat):
    np = _np()
    x, y = lon - 105.0, lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1 - EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def _out_of_china_array(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def wgs84_to_gcj02_array(lon, lat):
    np = _np()
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    dlon, dlat = _delta_array(lon, lat)
    out = _out_of_china_array(lon, lat)
    return np.where(out, lon, lon + dlon), np.where(out, lat, lat + dlat)


def gcj02_to_bd09_array(lon, lat):
    np = _np()
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _invert_array(forward, lon, lat, tol, max_iter):
    """Solve forward(w) == (lon, lat) by w <- w - (forward(w) - target), outside China w = target."""
    np = _np()
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    out = _out_of_china_array(lon, lat)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(max_iter):
        flon, flat = forward(wlon, wlat)
        elon, elat = flon - lon, flat - lat
        todo = ~out & ((np.abs(elon) >= tol) | (np.abs(elat) >= tol))
        if not todo.any():
            break
        wlon = np.where(todo, wlon - elon, wlon)
        wlat = np.where(todo, wlat - elat, wlat)
    return wlon, wlat


def gcj02_to_wgs84_exact_array(lon, lat, tol=1e-12, max_iter=50):
    return _invert_array(wgs84_to_gcj02_array, lon, lat, tol, max_iter)


def bd09_to_wgs84_exact_array(lon, lat, tol=1e-12, max_iter=50):
    glon, glat = _invert_array(gcj02_to_bd09_array, lon, lat, tol, max_iter)
    return gcj02_to_wgs84_exact_array(glon, glat, tol, max_iter)
