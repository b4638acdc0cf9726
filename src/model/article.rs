use serde::{Deserialize, Serialize};

use super::json::{At, Decode, JsonValue, Object};
use super::{Block, Card, ContractError, Image, Section};

/// A person credited in the byline. (Deserialize: press reads bylines from front matter.)
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// Where the story comes from, e.g. a wire service. (Deserialize: press reads it from front
/// matter.)
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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

impl Decode for Person {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Person {
            name: o.required("name")?,
            role: o.optional("role")?,
        })
    }
}

impl Decode for Source {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Source {
            name: o.required("name")?,
            url: o.optional("url")?,
        })
    }
}

impl Decode for Tag {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Tag {
            slug: o.required("slug")?,
            name: o.required("name")?,
        })
    }
}

impl Decode for Reactions {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Reactions {
            very_good: o.required("very_good")?,
        })
    }
}

impl Decode for Article {
    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Article {
            id: o.required("id")?,
            slug: o.required("slug")?,
            section: o.required("section")?,
            title: o.required("title")?,
            standfirst: o.optional("standfirst")?,
            published_at: o.required("published_at")?,
            updated_at: o.optional("updated_at")?,
            dateline: o.optional("dateline")?,
            byline: o.optional("byline")?,
            source: o.optional("source")?,
            image: o.optional("image")?,
            body: o.required("body")?,
            contributors: o.optional("contributors")?,
            tags: o.optional("tags")?,
            views: o.required("views")?,
            reactions: o.required("reactions")?,
            related: o.required("related")?,
        })
    }
}

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
