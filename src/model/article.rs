use serde::{Deserialize, Serialize};

use super::{Block, Card, Image, Section};
use crate::decode_object;

/// A person credited in the byline. (Deserialize: press reads bylines from front matter.)
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Where the story comes from, e.g. a wire service. (Deserialize: press reads it from front
/// matter.)
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A topic tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    pub slug: String,
    pub name: String,
}

/// Reaction counts by kind; only "very_good" is shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reactions {
    pub very_good: u64,
}

/// A whole article (`articles/{slug}.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: String,
    pub slug: String,
    pub section: Section,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standfirst: Option<String>,
    pub published_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<Vec<Person>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    pub body: Vec<Block>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contributors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    pub views: u64,
    pub reactions: Reactions,
    pub related: Vec<Card>,
}

decode_object!(Person { name, role });
decode_object!(Source { name, url });
decode_object!(Tag { slug, name });
decode_object!(Reactions { very_good });
decode_object!(Article {
    id,
    slug,
    section,
    title,
    standfirst,
    published_at,
    updated_at,
    dateline,
    byline,
    source,
    image,
    body,
    contributors,
    tags,
    views,
    reactions,
    related,
});

impl Article {
    /// The article's canonical reader-facing path, under its own section.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.section.slug, self.slug)
    }

    /// Words in the headline, standfirst and body: what reading time is based on.
    pub fn word_count(&self) -> usize {
        let words = |s: &str| s.split_whitespace().count();
        let body: usize = self.body.iter().map(Block::word_count).sum();
        words(&self.title) + self.standfirst.as_deref().map_or(0, words) + body
    }

    /// Minutes to read at 230 words a minute, never less than one.
    pub fn reading_minutes(&self) -> usize {
        self.word_count().div_ceil(230).max(1)
    }
}
