//! The optional reactions service of the contract: counts, and this reader's own reaction,
//! keyed by an anonymous id kept in the browser.

use serde::Deserialize;

use super::client::{send, Request};
use super::ApiError;
use crate::model::{ContractError, Reactions, Validate};

/// What every reactions endpoint answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReactionAnswer {
    pub counts: Reactions,
    #[serde(default)]
    pub mine: Vec<String>,
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

/// What the reader wants done with their reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReactionCall {
    Read,
    Add,
    Remove,
}

const READER_KEY: &str = "broadsheet:reader-id";
const TIMEOUT_MS: u32 = 8_000;

/// The anonymous reader id: created once, kept in localStorage.
pub fn reader_id() -> String {
    if let Some(id) = crate::browser::storage_get(READER_KEY).filter(|id| !id.is_empty()) {
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

/// Performs one call against the service and reads its answer.
pub async fn call_reactions(
    base: &str,
    article_id: &str,
    call: ReactionCall,
) -> Result<ReactionAnswer, ApiError> {
    use gloo_net::http::Request as Http;

    let url = reaction_url(base, article_id, call);
    let builder = match call {
        ReactionCall::Read => Http::get(&url),
        ReactionCall::Add => Http::put(&url),
        ReactionCall::Remove => Http::delete(&url),
    }
    .header("X-Reader-Id", &reader_id());
    let text = send(&Request::new(), builder, TIMEOUT_MS).await?;
    super::parse_json(&text)
}
