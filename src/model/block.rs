use serde::{Deserialize, Serialize};

use super::Image;

/// A run of text inside a rich paragraph, optionally a link or emphasised.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Inline {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub em: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strong: Option<bool>,
}

/// One block of an article body, tagged by its `"type"`. Types this app does not know are
/// kept as [`Block::Unknown`] and skipped, so publishers can add types without breaking it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Paragraph {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content: Option<Vec<Inline>>,
    },
    Heading {
        text: String,
        level: u8,
    },
    Quote {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cite: Option<String>,
    },
    Image(Image),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Separator,
    #[serde(other)]
    Unknown,
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
