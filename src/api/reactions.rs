//! The optional reactions service of the contract: counts, and this reader's own reaction,
//! keyed by an anonymous id kept in the browser.

use super::client::{send, Request};
use super::ApiError;
use crate::model::json::{At, Decode, JsonValue, Object};
use crate::model::{ContractError, Reactions, Validate};

/// What every reactions endpoint answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionAnswer {
    pub counts: Reactions,
    /// The kinds this reader has given; may be absent.
    pub mine: Vec<String>,
}

impl Decode for ReactionAnswer {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(ReactionAnswer {
            counts: o.member("counts")?,
            mine: o.member::<Option<_>>("mine")?.unwrap_or_default(),
        })
    }
}

impl ReactionAnswer {
    /// Whether this reader's "very_good" reaction is counted.
    pub fn is_mine(&self) -> bool {
        self.mine.iter().any(|kind| kind == "very_good")
    }
}

impl Validate for ReactionAnswer {
    fn validate(&self) -> Result<(), ContractError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_safe_for_a_header_are_kept() {
        assert!(is_valid_reader_id("0b6f7c1e-5a2d-4c1b-9e8f-1a2b3c4d5e6f"));
        for bad in ["", "a\nb", "ä", "x y", &"a".repeat(65)] {
            assert!(!is_valid_reader_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn an_answer_without_a_count_breaks_the_contract() {
        assert!(super::super::parse_json::<ReactionAnswer>(r#"{"counts":{},"mine":[]}"#).is_err());
        let ok: ReactionAnswer =
            super::super::parse_json(r#"{"counts":{"very_good":3},"mine":["very_good"]}"#).unwrap();
        assert!(ok.is_mine());
    }
}

/// What the reader wants done with their reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReactionCall {
    Read,
    Add,
    Remove,
}

const READER_KEY: &str = "broadsheet:reader-id";
const TIMEOUT_MS: u32 = 8_000;

/// Whether a stored reader id is one this app could have made (and is safe in a header).
pub fn is_valid_reader_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// The anonymous reader id: created once, kept in localStorage. A stored value this app
/// could not have written is replaced.
pub fn reader_id() -> String {
    if let Some(id) = crate::browser::storage_get(READER_KEY).filter(|id| is_valid_reader_id(id)) {
        return id;
    }
    let id = crate::browser::random_id();
    crate::browser::storage_set(READER_KEY, &id);
    id
}

/// The URL of a reactions call under the service's base URL.
pub fn reaction_url(base: &str, article_id: &str, call: ReactionCall) -> String {
    let base = base.trim_end_matches('/');
    let id = String::from(js_sys::encode_uri_component(article_id));
    match call {
        ReactionCall::Read => format!("{base}/articles/{id}/reactions"),
        ReactionCall::Add | ReactionCall::Remove => {
            format!("{base}/articles/{id}/reactions/very_good")
        }
    }
}

/// The URL that counts one read of an article under the service's base URL.
pub fn views_url(base: &str, article_id: &str) -> String {
    let id = String::from(js_sys::encode_uri_component(article_id));
    format!("{}/articles/{id}/views", base.trim_end_matches('/'))
}

/// Counts one read of the article (`POST /articles/{id}/views`) in the background. Nothing
/// waits for it and a failure is not the reader's concern: the browser logs it.
pub fn count_read(base: &str, article_id: &str) {
    if crate::browser::window().is_none() {
        return; // pre-rendering counts nothing
    }
    let url = views_url(base, article_id);
    let reader = reader_id();
    leptos::task::spawn_local(async move {
        let headers = [("X-Reader-Id", reader.as_str())];
        let _ = send(&Request::new(), "POST", &url, &headers, TIMEOUT_MS).await;
    });
}

/// Performs one call against the service and reads its answer.
pub async fn call_reactions(
    base: &str,
    article_id: &str,
    call: ReactionCall,
) -> Result<ReactionAnswer, ApiError> {
    let url = reaction_url(base, article_id, call);
    let method = match call {
        ReactionCall::Read => "GET",
        ReactionCall::Add => "PUT",
        ReactionCall::Remove => "DELETE",
    };
    let reader = reader_id();
    let headers = [("X-Reader-Id", reader.as_str())];
    let text = send(&Request::new(), method, &url, &headers, TIMEOUT_MS).await?;
    super::parse_json(&text)
}
