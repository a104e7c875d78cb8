//! Locating problems in the text of a TOML data file (vehicle and site files share these): the
//! TOML reader reports byte offsets and serde names keys in backticks.

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
/// becomes a [`FileError`] with the line and the key serde names.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T, crate::error::FileError> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        let line = e.span().map(|s| line_of(text, s.start));
        crate::error::FileError::new(file, line, backticked(&message).unwrap_or_default().to_owned(), message)
    })
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
