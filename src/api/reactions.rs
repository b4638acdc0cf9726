//! The optional reactions service of the contract: counts, and this reader's own reaction,
//! keyed by an anonymous id kept in the browser.

use super::client::{send, send_body, Request};
use super::ApiError;
use crate::model::json::{At, Decode, JsonValue, Object};
use crate::model::{ContractError, Reactions, Validate};

/// What every reactions endpoint answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ReactionAnswer {
    pub counts: Reactions,
    /// The kinds this reader has given; may be absent.
    pub mine: Vec<String>,
    /// The live read count, when the service gives one (Broadsheet's engagement service
    /// does; the contract's reactions answer need not).
    pub views: Option<u64>,
}

impl Decode for ReactionAnswer {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(ReactionAnswer {
            counts: o.member("counts")?,
            mine: o.member::<Option<_>>("mine")?.unwrap_or_default(),
            views: o.member("views")?,
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
/// The story whose read this page has counted (`<html data-read-counted>`).
const COUNTED: &str = "data-read-counted";
const TIMEOUT_MS: u32 = 8_000;

/// Whether a stored reader id is one this app could have made (and is safe in a header).
pub fn is_valid_reader_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// The reader id this browser already has, if the reader ever reacted.
pub fn stored_reader_id() -> Option<String> {
    crate::browser::storage_get(READER_KEY).filter(|id| is_valid_reader_id(id))
}

/// The anonymous reader id, created the first time the reader reacts (reading creates
/// nothing in the browser) and kept in localStorage. A stored value this app could not have
/// written is replaced.
pub fn reader_id() -> String {
    if let Some(id) = stored_reader_id() {
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

/// Counts one read of the article (`POST /articles/{id}/views`) in the background, once the
/// page is really shown: not while it is prerendered or in a hidden tab. The reader id, if
/// the reader has one, is the text body, so the request is a simple one (no CORS preflight)
/// and the browser creates nothing. Nothing waits for it and a failure is not the reader's
/// concern: the browser logs it.
pub fn count_read(base: &str, article_id: &str) {
    let Some(html) = crate::browser::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return; // pre-rendering counts nothing
    };
    // Once a page: the island counts the first story, and the app, taking the page over,
    // does not count it again.
    if html.get_attribute(COUNTED).as_deref() == Some(article_id) {
        return;
    }
    let _ = html.set_attribute(COUNTED, article_id);
    let url = views_url(base, article_id);
    crate::browser::when_shown(move || {
        let reader = stored_reader_id();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = send_body(&Request::new(), "POST", &url, reader.as_deref(), TIMEOUT_MS).await;
        });
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
    // Asking for the counts creates no id; reacting does.
    let reader = match call {
        ReactionCall::Read => stored_reader_id(),
        ReactionCall::Add | ReactionCall::Remove => Some(reader_id()),
    };
    let headers: Vec<(&str, &str)> = reader
        .as_deref()
        .map(|r| ("X-Reader-Id", r))
        .into_iter()
        .collect();
    let text = send(&Request::new(), method, &url, &headers, TIMEOUT_MS).await?;
    super::parse_json(&text)
}
