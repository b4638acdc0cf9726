use serde::Serialize;

use super::json::{At, Decode, JsonValue, Object};
use super::{ContractError, Image};
use crate::decode_object;

/// A run of text inside a rich paragraph, optionally a link or emphasised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inline {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub em: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strong: Option<bool>,
}

/// One block of an article body, tagged by its `"type"`. Types this app does not know are
/// kept as [`Block::Unknown`] and skipped, so publishers can add types without breaking it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        content: Option<Vec<Inline>>,
    },
    Heading {
        text: String,
        level: u8,
    },
    Quote {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        cite: Option<String>,
    },
    Image(Image),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Separator,
    /// A type this app does not know (never written by `Serialize`: press makes none).
    #[serde(skip)]
    Unknown,
}

decode_object!(Inline {
    text,
    href,
    em,
    strong
});

impl Decode for Block {
    // A long read has a few hundred blocks (a 5 MB story, 2,600); press refuses longer bodies.
    const MOST_IN_A_LIST: usize = 5_000;

    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        let kind: String = o.member("type")?;
        Ok(match kind.as_str() {
            "paragraph" => Block::Paragraph {
                text: o.member("text")?,
                content: o.member("content")?,
            },
            "heading" => Block::Heading {
                text: o.member("text")?,
                level: o.member("level")?,
            },
            "quote" => Block::Quote {
                text: o.member("text")?,
                cite: o.member("cite")?,
            },
            "image" => Block::Image(Image::decode(value, at)?),
            "list" => Block::List {
                ordered: o.member("ordered")?,
                items: o.member("items")?,
            },
            "separator" => Block::Separator,
            _ => Block::Unknown,
        })
    }
}

impl Block {
    /// Words of reader-visible text in this block.
    pub fn word_count(&self) -> usize {
        let words = |s: &str| s.split_whitespace().count();
        match self {
            Block::Paragraph { text, content } => {
                text.as_deref().map_or(0, words)
                    + content
                        .iter()
                        .flatten()
                        .map(|run| words(&run.text))
                        .sum::<usize>()
            }
            Block::Heading { text, .. } | Block::Quote { text, .. } => words(text),
            Block::List { items, .. } => items.iter().map(|i| words(i)).sum(),
            Block::Image(_) | Block::Separator | Block::Unknown => 0,
        }
    }
}
