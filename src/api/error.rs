use std::fmt;

use crate::messages::Msg;

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

    /// The error panel's short heading, as a message of the catalogue.
    pub fn title(&self) -> Msg {
        match self {
            ApiError::NotFound => Msg::ErrorNotFound,
            ApiError::Network => Msg::ErrorOffline,
            ApiError::TimedOut => Msg::ErrorTimeout,
            ApiError::Server(_) | ApiError::Http(_) => Msg::ErrorServer,
            ApiError::BadData(_) => Msg::ErrorBadData,
        }
    }

    /// The sentence telling the reader what happened and what to do, and the HTTP status
    /// it names (`{code}`), if any.
    pub fn message(&self) -> (Msg, Option<u16>) {
        match self {
            ApiError::NotFound => (Msg::ErrorNotFoundText, None),
            ApiError::Network => (Msg::ErrorOfflineText, None),
            ApiError::TimedOut => (Msg::ErrorTimeoutText, None),
            ApiError::Server(code) => (Msg::ErrorServerText, Some(*code)),
            ApiError::Http(code) => (Msg::ErrorRefusedText, Some(*code)),
            ApiError::BadData(_) => (Msg::ErrorBadDataText, None),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // For the console (the publisher), in English.
            ApiError::BadData(detail) => write!(f, "bad data: {detail}"),
            ApiError::NotFound => f.write_str("not found"),
            ApiError::Network => f.write_str("network error"),
            ApiError::TimedOut => f.write_str("timed out"),
            ApiError::Server(code) | ApiError::Http(code) => write!(f, "HTTP {code}"),
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
        assert_eq!(
            ApiError::Server(502).message(),
            (crate::messages::Msg::ErrorServerText, Some(502))
        );
    }
}
