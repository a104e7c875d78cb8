//! Serde DTOs of the vehicle file. PLACEHOLDER.
