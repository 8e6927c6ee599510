#!/usr/bin/env python3
"""Convert Natural Earth 1:110m admin-0 countries (public domain) to the display's base layer.

Run once; the output is committed at Sources/DeconflictServer/Web/static/data/countries.geojson.

    pip download --no-deps geopandas==0.14.4 -d /tmp/gp && (cd /tmp/gp && unzip -o -q geopandas-*.whl)
    pip install pyshp
    python3 scripts/make_countries_geojson.py \
        /tmp/gp/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp \
        Sources/DeconflictServer/Web/static/data/countries.geojson

Keeps only the `name` property, rounds coordinates to 3 decimals (about 110 m, far below what
1:110m resolves), drops consecutive duplicate points left by the rounding, and writes compact
JSON. Rings are classified as outer or hole by their signed area, as the shapefile format
defines (outer rings clockwise).
"""
import json
import sys

import shapefile  # pyshp


def signed_area(ring):
    a = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        a += x1 * y2 - x2 * y1
    return a / 2


def clean(ring):
    out = []
    for x, y in ring:
        p = [round(x, 3), round(y, 3)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def polygons(shape):
    """Shapefile parts → GeoJSON polygons (outer ring + the holes that follow it)."""
    pts = shape.points
    bounds = list(shape.parts) + [len(pts)]
    polys = []
    for a, b in zip(bounds, bounds[1:]):
        ring = clean(pts[a:b])
        if ring is None:
            continue
        if signed_area(ring) <= 0 or not polys:  # clockwise: an outer ring
            polys.append([ring])
        else:
            polys[-1].append(ring)
    return polys


def main(src, dst):
    reader = shapefile.Reader(src)  # text encoding from the .cpg (ISO 8859-1)
    fields = [f[0] for f in reader.fields[1:]]
    features = []
    for sr in reader.iterShapeRecords():
        rec = dict(zip(fields, sr.record))
        polys = polygons(sr.shape)
        if not polys:
            continue
        geom = {"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1 else \
               {"type": "MultiPolygon", "coordinates": polys}
        features.append({"type": "Feature", "properties": {"name": rec.get("name", "")}, "geometry": geom})
    features.sort(key=lambda f: f["properties"]["name"])
    with open(dst, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(f"{len(features)} countries → {dst}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_countries_geojson.py naturalearth_lowres.shp countries.geojson")
    main(sys.argv[1], sys.argv[2])
