//! The API's errors: one JSON object `{error, kind, field, file, line, key, known}` with a 4xx
//! status (5xx only for the server's own limits), so the page can put a vehicle-file error at its
//! line. `kind` is the `kind` of the command line's `--json` failure report
//! ([`cosmodrome::mission::ErrorKind`]), so a client can branch on it as a script does.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cosmodrome::mission::ErrorKind;
use serde::Serialize;

/// An error answer.
#[derive(Debug, Serialize)]
pub struct ApiError {
    /// HTTP status.
    #[serde(skip)]
    pub status: StatusCode,
    /// What is wrong, as the CLI would print it.
    pub error: String,
    /// What kind of failure it is, as the command line's `--json` failure report names it: the
    /// core error's kind, `usage` for request members that do not go together or one missing,
    /// `invalid_input` for a member's value out of its domain, `interrupted` for a computation
    /// past its time budget, `io` for a run's files that cannot be written, `other` for the
    /// server's own refusals (no such path, busy, body too large).
    pub kind: ErrorKind,
    /// The request-body member at fault (`vehicle`, `inclination_deg`), when known.
    pub field: Option<String>,
    /// The file the problem sits in (`vehicle_toml` for vehicle-file text sent in the request).
    pub file: Option<String>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// Dotted key path in that file (`stage[1].dry_mass_kg`).
    pub key: Option<String>,
    /// The valid choices, for an unknown vehicle or site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<Vec<String>>,
}

impl ApiError {
    /// An error of `status` about request member `field`, of the kind its status tells: 400
    /// `invalid_input`, 408 `interrupted`, any other `other` ([`ApiError::with_kind`] changes it).
    pub fn new(status: StatusCode, field: Option<&str>, error: impl Into<String>) -> Self {
        let kind = match status {
            StatusCode::BAD_REQUEST => ErrorKind::InvalidInput,
            StatusCode::REQUEST_TIMEOUT => ErrorKind::Interrupted,
            _ => ErrorKind::Other,
        };
        ApiError { status, error: error.into(), kind, field: field.map(str::to_owned), file: None, line: None, key: None, known: None }
    }

    /// The same error, of `kind`.
    #[must_use]
    pub fn with_kind(self, kind: ErrorKind) -> Self {
        ApiError { kind, ..self }
    }

    /// A 400 about request member `field`: its value is out of its domain (`invalid_input`).
    pub fn bad(field: &str, error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(field), error)
    }

    /// A 400 about request member `field`: it does not go with another, or it is missing
    /// (`usage`, as flags that do not go together on the command line).
    pub fn usage(field: &str, error: impl Into<String>) -> Self {
        Self::bad(field, error).with_kind(ErrorKind::Usage)
    }

    /// A core error, with its status: unknown ids 404, bad input and bad files 400, a mission the
    /// vehicle cannot fly 422, an interrupted run 408.
    pub fn core(e: cosmodrome::Error) -> Self {
        use cosmodrome::Error as E;
        let text = cosmodrome::error::request_text(&e);
        // The command line's mapping, so the two name a failure alike.
        let kind = ErrorKind::of(&e);
        let answer = match e {
            E::File(f) => ApiError {
                status: StatusCode::BAD_REQUEST,
                error: text,
                kind,
                field: Some(field_of_file(&f.location.file)),
                file: Some(f.location.file),
                line: f.location.line,
                key: Some(f.location.key).filter(|k| !k.is_empty()),
                known: None,
            },
            E::UnknownVehicle { valid, .. } => ApiError {
                known: Some(valid.split(", ").map(str::to_owned).collect()),
                ..Self::new(StatusCode::NOT_FOUND, Some("vehicle"), text)
            },
            E::UnknownSite { valid, .. } => ApiError {
                known: Some(valid.split(", ").map(str::to_owned).collect()),
                ..Self::new(StatusCode::NOT_FOUND, Some("site"), text)
            },
            E::InvalidInput { name, message } => {
                Self::new(StatusCode::BAD_REQUEST, Some(cosmodrome::error::input_argument(&name, &message).as_str()), text)
            }
            E::Interrupted => Self::new(StatusCode::REQUEST_TIMEOUT, None, text),
            _ => Self::new(StatusCode::UNPROCESSABLE_ENTITY, None, text),
        };
        answer.with_kind(kind)
    }
}

/// The request member a file error belongs to: the text members are named after themselves; a
/// catalog file (`soyuz-2.1b.toml`) came from `vehicle`.
fn field_of_file(file: &str) -> String {
    if file.ends_with("_toml") {
        file.to_owned()
    } else {
        "vehicle".to_owned()
    }
}

impl From<cosmodrome::Error> for ApiError {
    fn from(e: cosmodrome::Error) -> Self {
        Self::core(e)
    }
}

impl From<cosmodrome::error::FileError> for ApiError {
    fn from(e: cosmodrome::error::FileError) -> Self {
        Self::core(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(&self)).into_response()
    }
}
