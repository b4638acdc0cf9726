//! Talking to the content API: URL building, the typed error, and the fetch client with
//! time-outs, aborts and a small cache.

mod client;
mod error;
mod reactions;
mod urls;

#[cfg(not(target_arch = "wasm32"))]
pub use client::prerender;
pub use client::{cached_json, clear_cache, fetch_json, parse_json, prefetch, seed_cache, Request};
pub use error::ApiError;
pub use reactions::{call_reactions, count_read, ReactionAnswer, ReactionCall};
pub use urls::Endpoint;
