//! The world's coastlines for the ground-track map: Natural Earth 1:110m, shipped in
//! `data/coastline/` and compiled in, so that maps draw without a network or data files.

use std::sync::OnceLock;

const COASTLINE_TXT: &str = include_str!("../../../data/coastline/ne_110m_coastline.txt");

/// A polyline of (longitude, latitude) in degrees.
pub type Polyline = Vec<(f64, f64)>;

/// The coastline polylines, parsed once.
pub fn coastlines() -> &'static [Polyline] {
    static LINES: OnceLock<Vec<Polyline>> = OnceLock::new();
    // The data is compiled in and checked by a test, so a bad line can only be dropped, never reach a map.
    LINES.get_or_init(|| parse(COASTLINE_TXT).unwrap_or_default())
}

/// Parses the text format: `#` comments; one polyline per line of space-separated `lon,lat`.
pub fn parse(text: &str) -> Result<Vec<Polyline>, String> {
    let mut lines = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut points = Vec::new();
        for pair in line.split_whitespace() {
            let parsed = pair.split_once(',').and_then(|(lon, lat)| Some((lon.parse::<f64>().ok()?, lat.parse::<f64>().ok()?)));
            match parsed {
                Some((lon, lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => points.push((lon, lat)),
                _ => return Err(format!("coastline line {}: bad point {pair:?}", n + 1)),
            }
        }
        if points.len() >= 2 {
            lines.push(points);
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_coastline_parses_and_covers_the_world() {
        let lines = parse(COASTLINE_TXT).expect("shipped coastline");
        assert_eq!(lines.len(), coastlines().len());
        assert!(lines.len() > 100, "{}", lines.len());
        let points: usize = lines.iter().map(Vec::len).sum();
        assert!(points > 4000, "{points}");
        // The Sea of Okhotsk coast near Magadan (59.6° N, 150.8° E) is there.
        let near = lines.iter().flatten().any(|&(lon, lat)| (lon - 150.8).abs() < 1.0 && (lat - 59.6).abs() < 1.0);
        assert!(near);
        // No edge jumps across the map (an antimeridian crossing drawn as a line around the world).
        let widest = lines.iter().flat_map(|l| l.windows(2)).map(|w| (w[1].0 - w[0].0).abs()).fold(0.0, f64::max);
        assert!(widest < 20.0, "{widest}");
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        assert!(parse("# c\n1,2 3,x\n").unwrap_err().contains("line 2"));
        assert!(parse("200,0 1,1\n").is_err());
    }
}
