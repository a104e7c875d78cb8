//! Locating problems in the text of a TOML data file (vehicle, site, zone, wind, dispersion and
//! published-payload files share these): the TOML reader reports byte offsets and serde names keys
//! in backticks. A misspelt key or id gets the nearest valid ones as a suggestion.

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The name between the first pair of backticks of a serde message (`unknown field `foo``).
pub(crate) fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// Parse a data file's TOML into its raw form; a syntax error or an unknown or missing key
/// becomes a [`FileError`](crate::error::FileError) with the line and the key serde names (none
/// for a syntax error), and a misspelt key the key meant ([`with_suggestion`]).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T, crate::error::FileError> {
    toml::from_str(text).map_err(|e| {
        let message = with_suggestion(e.message().trim());
        let line = e.span().map(|s| line_of(text, s.start));
        let key = if is_syntax_error(text) { "" } else { backticked(&message).unwrap_or_default() };
        crate::error::FileError::new(file, line, key.to_owned(), message)
    })
}

/// Whether the TOML reader refused `text` for its syntax (it is no TOML document: a broken table
/// header, a value missing, a key given twice), not for the shape of its data. Such an error names
/// no key: what it quotes in backticks is the syntax expected (`expected `.`, `]]``), so the
/// error's key is left empty (`null` in a `--json` failure report), the line still given. Called
/// on an error only: it reads the text again.
pub(crate) fn is_syntax_error(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_err()
}

/// Refuse a `format` other than `expected` (absent is accepted: the caller decides whether the
/// key is required).
pub(crate) fn check_format(
    text: &str,
    file: &str,
    format: Option<&toml::Spanned<i64>>,
    expected: i64,
) -> Result<(), crate::error::FileError> {
    match format {
        Some(f) if *f.get_ref() != expected => Err(crate::error::FileError::new(
            file,
            Some(line_of(text, f.span().start)),
            "format",
            format!("unsupported format {}; this version reads format {expected}", f.get_ref()),
        )),
        _ => Ok(()),
    }
}

/// Longest input compared by edit distance: a longer one is no misspelling of a short id, and the
/// comparison costs its length times the candidate's.
const MAX_SUGGESTED_INPUT_CHARS: usize = 100;
/// Most suggestions given at once.
const MAX_SUGGESTIONS: usize = 4;

/// The candidates a misspelt `input` most likely meant, best first: those at the smallest
/// Damerau–Levenshtein distance (case-insensitive, so another case alone is distance 0) when it is at most 2, or a third of the input's
/// length for longer inputs; failing that, those that contain the input or that the input contains
/// (at least three characters: `soyuz` → `soyuz-2.1a`, `soyuz-2.1b`, `soyuz-2.1v`). Empty when
/// nothing is close.
pub(crate) fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let input = input.trim().to_lowercase();
    let length = input.chars().count();
    if length == 0 || length > MAX_SUGGESTED_INPUT_CHARS {
        return Vec::new();
    }
    let threshold = (length / 3).max(2);
    let mut scored: Vec<(usize, &str)> = Vec::new();
    let mut containing: Vec<&str> = Vec::new();
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if scored.iter().any(|(_, c)| *c == candidate) || containing.contains(&candidate) {
            continue;
        }
        if lower.chars().count().abs_diff(length) <= threshold {
            let distance = strsim::damerau_levenshtein(&input, &lower);
            if distance <= threshold {
                scored.push((distance, candidate));
                continue;
            }
        }
        if length >= 3 && (lower.contains(&input) || (lower.chars().count() >= 3 && input.contains(&lower))) {
            containing.push(candidate);
        }
    }
    let best = scored.iter().map(|(d, _)| *d).min();
    let mut out: Vec<&str> = match best {
        Some(best) => scored.into_iter().filter(|(d, _)| *d == best).map(|(_, c)| c).collect(),
        None => containing,
    };
    out.truncate(MAX_SUGGESTIONS);
    out
}

/// A serde message about an unknown key or value (`unknown field `residual_mas_kg`, expected one
/// of `name`, ...`) with the expected name it most likely meant in place of the whole list
/// (`unknown field `residual_mas_kg`; did you mean `residual_mass_kg`?`); other messages, and
/// unknown names close to nothing, unchanged.
pub(crate) fn with_suggestion(message: &str) -> String {
    let message = &crate::error::plain_value_kinds(message);
    for kind in ["unknown field `", "unknown variant `"] {
        let Some(rest) = message.strip_prefix(kind) else { continue };
        let Some((name, expected)) = rest.split_once('`') else { continue };
        let Some(expected) = expected.strip_prefix(", expected ") else { continue };
        let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        if let Some(hint) = crate::error::did_you_mean(&nearest(name, names)) {
            return format!("{kind}{name}`; {hint}");
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A syntax error has its line and no key, whatever the reader quotes; a key serde names is
    /// kept.
    #[test]
    fn a_syntax_error_names_no_key() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Raw {
            format: i64,
        }
        let e = parse::<Raw>("format = 1\n[[zone\n", "z.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(2), ""), "{e}");
        assert!(e.to_string().starts_with("z.toml:2: invalid table header"), "{e}");
        let e = parse::<Raw>("format = = 1\n", "z.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(1), ""), "{e}");
        let e = parse::<Raw>("format = 1\nzone = 2\n", "z.toml").unwrap_err();
        assert_eq!(e.location.key, "zone", "{e}");
        assert!(!is_syntax_error("format = 1\nzone = 2\n"));
    }

    #[test]
    fn nearest_finds_misspellings_prefixes_and_nothing_for_strangers() {
        let ids = ["angara-1.2", "angara-a5", "soyuz-2.1a", "soyuz-2.1b", "soyuz-2.1v"];
        assert_eq!(nearest("angara-a7", ids), ["angara-a5"]);
        assert_eq!(nearest("Soyuz-2.1B", ids), ["soyuz-2.1b"], "the same letters in another case first");
        assert_eq!(nearest("soyuz-2.1", ids), ["soyuz-2.1a", "soyuz-2.1b", "soyuz-2.1v"]);
        assert_eq!(nearest("angara", ids), ["angara-1.2", "angara-a5"]);
        assert!(nearest("proton-m", ids).is_empty());
        assert!(nearest("", ids).is_empty());
        assert!(nearest(&"x".repeat(5_000_000), ids).is_empty(), "a huge input is compared with nothing");
        assert_eq!(nearest("residual_mas_kg", ["dry_mass_kg", "residual_mass_kg", "propellant_mass_kg"]), ["residual_mass_kg"]);
    }

    #[test]
    fn suggestion_replaces_the_list_of_expected_keys() {
        let message = "unknown field `residual_mas_kg`, expected one of `name`, `units`, `residual_mass_kg`, `diameter_m`";
        assert_eq!(with_suggestion(message), "unknown field `residual_mas_kg`; did you mean `residual_mass_kg`?");
        let variant = "unknown variant `liftof`, expected `liftoff` or `sequential`";
        assert_eq!(with_suggestion(variant), "unknown variant `liftof`; did you mean `liftoff`?");
        let far = "unknown field `colour`, expected one of `name`, `units`";
        assert_eq!(with_suggestion(far), far, "nothing close: the list stays");
        assert_eq!(with_suggestion("invalid type: string, expected f64"), "invalid type: string, expected a number");
        assert_eq!(crate::error::did_you_mean(&["a", "b", "c"]).unwrap(), "did you mean `a`, `b` or `c`?");
    }

    #[test]
    fn parse_names_line_key_and_the_key_meant() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Zone {
            radius_km: f64,
            latitude_deg: f64,
        }
        let e = parse::<Zone>("latitude_deg = 1.0\nradius_kn = 5.0\n", "z.toml").unwrap_err();
        assert_eq!((e.location.file.as_str(), e.location.line, e.location.key.as_str()), ("z.toml", Some(2), "radius_kn"), "{e}");
        assert!(e.message.contains("did you mean `radius_km`?"), "{e}");
    }
}
