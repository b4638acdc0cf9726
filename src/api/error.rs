use std::fmt;

/// Everything that can go wrong while loading a page's content, in words a reader can act on.
/// A missing story ([`ApiError::NotFound`]) is never confused with a broken network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// HTTP 404, or a slug that cannot exist.
    NotFound,
    /// The request never got an answer (offline, DNS, connection reset, CORS).
    Network,
    /// No answer within the time-out.
    TimedOut,
    /// HTTP 5xx.
    Server(u16),
    /// Any other non-success status (403, 410, ...).
    Http(u16),
    /// The answer was not JSON of the contract's shape; says where.
    BadData(String),
}

impl ApiError {
    /// Maps a non-success HTTP status to its error.
    pub fn from_status(status: u16) -> Self {
        match status {
            404 | 410 => ApiError::NotFound,
            500..=599 => ApiError::Server(status),
            _ => ApiError::Http(status),
        }
    }

    /// Whether trying again could help (a Retry button makes sense).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network | ApiError::TimedOut | ApiError::Server(_) | ApiError::Http(_)
        )
    }

    /// A short heading for the error panel.
    pub fn title(&self) -> &'static str {
        match self {
            ApiError::NotFound => "Page not found",
            ApiError::Network => "You seem to be offline",
            ApiError::TimedOut => "This is taking too long",
            ApiError::Server(_) | ApiError::Http(_) => "Something went wrong on our side",
            ApiError::BadData(_) => "This story could not be read",
        }
    }

    /// A sentence telling the reader what happened and what to do.
    pub fn message(&self) -> String {
        match self {
            ApiError::NotFound => "We could not find that page. It may have moved.".into(),
            ApiError::Network => {
                "We could not reach the newsroom. Check your connection and try again.".into()
            }
            ApiError::TimedOut => "The newsroom did not answer in time. Please try again.".into(),
            ApiError::Server(code) => format!("The server had a problem (error {code}). Please try again."),
            ApiError::Http(code) => format!("The request was refused (error {code}). Please try again later."),
            ApiError::BadData(_) => {
                "It arrived damaged or in a form we do not understand. The rest of the site still works."
                    .into()
            }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::BadData(detail) => write!(f, "{}: {detail}", self.title()),
            other => write!(f, "{}", other.title()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApiError;

    #[test]
    fn statuses_map_to_what_the_reader_can_tell_apart() {
        assert_eq!(ApiError::from_status(404), ApiError::NotFound);
        assert_eq!(ApiError::from_status(500), ApiError::Server(500));
        assert_eq!(ApiError::from_status(503), ApiError::Server(503));
        assert_eq!(ApiError::from_status(403), ApiError::Http(403));
        assert!(!ApiError::NotFound.is_retryable());
        assert!(!ApiError::BadData("x".into()).is_retryable());
        assert!(ApiError::TimedOut.is_retryable());
        assert!(ApiError::Server(502).message().contains("502"));
    }
}
