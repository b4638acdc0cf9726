//! Serde types that mirror the JSON content contract (`../shared/api.md`), and the checks
//! that serde alone cannot express (slug patterns, RFC 3339 times).

mod article;
mod block;
mod card;
mod time;
mod validate;

pub use article::{Article, Person, Reactions, Source, Tag};
pub use block::{Block, Inline};
pub use card::{
    distinct_cards, newest_first, Card, CardList, Home, HomeSection, Image, Section, SectionFront,
};
pub use time::parse_rfc3339;
pub use validate::{is_valid_slug, ContractError, Validate};
