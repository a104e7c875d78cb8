"""Convert Natural Earth 1:110m land (TopoJSON of the world-atlas 2.0.2 npm package) to the
coastline polylines of ne_110m_coastline.txt. Run once; the output is committed.

    python3 convert.py path/to/world-atlas/land-110m.json > ne_110m_coastline.txt

Edges that are not coast are dropped: the seam along the ±180° meridian and the closing edges
of Antarctica at the map's southern limit; coast edges across the antimeridian are cut there.
The remaining runs of each ring are written as polylines, one per line, points `lon,lat` in
degrees with two decimals (~1 km, finer than the 1:110m generalisation).
"""
import json
import sys


def decode(topology):
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arcs, indices):
    points = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def is_coast(a, b, south):
    on_seam = abs(abs(a[0]) - 180) < 1e-6 and abs(abs(b[0]) - 180) < 1e-6
    at_south = a[1] <= south + 1e-6 and b[1] <= south + 1e-6
    return not (on_seam or at_south)


def main():
    topology = json.load(open(sys.argv[1]))
    arcs = decode(topology)
    south = topology["bbox"][1]
    lines = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = ring_points(arcs, ring)
                run = [points[0]]
                for a, b in zip(points, points[1:]):
                    if is_coast(a, b, south) and abs(b[0] - a[0]) > 180:
                        # A coast edge across the antimeridian: end the run on it, go on from the other side.
                        side = 180.0 if a[0] > 0 else -180.0
                        b_lon = b[0] + 2 * side
                        lat = a[1] + (b[1] - a[1]) * (side - a[0]) / (b_lon - a[0])
                        run.append((side, lat))
                        if len(run) > 1:
                            lines.append(run)
                        run = [(-side, lat), b]
                    elif is_coast(a, b, south):
                        run.append(b)
                    else:
                        if len(run) > 1:
                            lines.append(run)
                        run = [b]
                if len(run) > 1:
                    lines.append(run)
    print("# Natural Earth 1:110m coastline (land boundaries v4.1.0), public domain; see README.md.")
    print("# One polyline per line: space-separated lon,lat points in degrees.")
    for line in lines:
        print(" ".join(f"{lon:.2f},{lat:.2f}" for lon, lat in line))


main()
