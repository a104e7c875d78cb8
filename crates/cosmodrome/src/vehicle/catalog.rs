//! The built-in vehicle catalog. PLACEHOLDER.

/// Ids of the catalog vehicles.
pub fn catalog_ids() -> Vec<&'static str> {
    Vec::new()
}

/// Text of a catalog vehicle file.
pub fn catalog_vehicle(_id: &str) -> Option<&'static str> {
    None
}

/// Resolve a vehicle id or parse text. PLACEHOLDER.
pub fn resolve_vehicle() {}
