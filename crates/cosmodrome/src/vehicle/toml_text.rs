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
