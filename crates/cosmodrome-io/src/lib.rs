//! Writers for cosmodrome results.
