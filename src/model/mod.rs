//! Types that mirror the JSON content contract (`../shared/api.md`), how they are read from
//! JSON (`json.rs` and a `Decode` impl beside each type), and the checks a type alone cannot
//! express (slug patterns, RFC 3339 times). `Serialize` is for press, which writes the JSON.

mod article;
mod block;
mod card;
pub mod json;
mod time;
mod validate;

pub use article::{Article, Person, Reactions, Source, Tag};
pub use block::{Block, Inline};
pub use card::{
    distinct_cards, newest_first, Card, CardList, Home, HomeSection, Image, Rendition, Section,
    SectionFront,
};
pub use time::parse_rfc3339;
pub use validate::{is_valid_slug, ContractError, Validate, RESERVED_SLUGS, SEARCH_SLUG};
