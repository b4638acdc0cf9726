use serde::Serialize;

use super::json::{At, Decode, JsonValue, Object};
use super::ContractError;
use crate::decode_object;

/// A section of the site, e.g. `{ "slug": "news", "name": "News" }`. (Deserialize: press
/// reads the site's sections from `sections.yaml`.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub slug: String,
    pub name: String,
}

/// A picture with the dimensions the page reserves for it before it loads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// Extension: the same picture in other widths, a format each, best format first
    /// (`<picture>` sources). Without it the page shows `src`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renditions: Option<Vec<Rendition>>,
    /// Extension: a tiny `data:image/...;base64,` picture painted in its place until it loads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

/// One format of a picture in several widths: `{ "type": "image/webp", "src":
/// "images/x-{width}.webp", "widths": [320, 640] }`; `{width}` in `src` stands for each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendition {
    #[serde(rename = "type")]
    pub kind: String,
    pub src: String,
    pub widths: Vec<u32>,
}

/// A teaser for an article, as shown in lists and carousels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub slug: String,
    pub title: String,
    pub section: Section,
    pub published_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standfirst: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub views: Option<u64>,
}

impl Card {
    /// The reader-facing path of the article this card points to.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.section.slug, self.slug)
    }
}

/// A titled list of cards (`rankings.json`, `recommendations.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub items: Vec<Card>,
}

/// One section's block on the front page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HomeSection {
    pub section: Section,
    pub articles: Vec<Card>,
}

/// The front page (`home.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Home {
    pub lead: Card,
    pub sections: Vec<HomeSection>,
}

/// A section front (`sections/{section}.json`), newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionFront {
    pub section: Section,
    pub articles: Vec<Card>,
}

decode_object!(Section { slug, name });
decode_object!(Image {
    src,
    alt,
    width,
    height,
    caption,
    credit,
    renditions,
    placeholder
});

// By hand: its member `type` is a Rust keyword.
impl Decode for Rendition {
    // More formats than any picture has.
    const MOST_IN_A_LIST: usize = 8;

    fn decode<V: JsonValue>(value: &V, at: At) -> Result<Self, ContractError> {
        let o = Object::new(value, at)?;
        Ok(Rendition {
            kind: o.member("type")?,
            src: o.member("src")?,
            widths: o.member("widths")?,
        })
    }
}

// More cards than any list on a page shows (a section front has 60; a batch of counts, 100).
decode_object!(
    Card {
        slug,
        title,
        section,
        published_at,
        standfirst,
        image,
        views
    },
    most_in_a_list = 100
);
decode_object!(CardList { title, items });
decode_object!(HomeSection { section, articles });
decode_object!(Home { lead, sections });
decode_object!(SectionFront { section, articles });

/// The cards worth showing from a list: each article once (first occurrence wins), never
/// the article the reader is on. Keeps keyed lists stable when the data repeats itself.
pub fn distinct_cards(cards: &[Card], except_slug: Option<&str>) -> Vec<Card> {
    let mut seen = std::collections::HashSet::new();
    cards
        .iter()
        .filter(|c| Some(c.slug.as_str()) != except_slug)
        .filter(|c| seen.insert(c.slug.as_str()))
        .cloned()
        .collect()
}

/// Sorts cards newest first by their publication time; unreadable times go last.
pub fn newest_first(cards: &mut [Card]) {
    cards.sort_by_key(|c| std::cmp::Reverse(super::parse_rfc3339(&c.published_at)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(slug: &str, at: &str) -> Card {
        Card {
            slug: slug.into(),
            title: slug.to_uppercase(),
            section: Section {
                slug: "news".into(),
                name: "News".into(),
            },
            published_at: at.into(),
            standfirst: None,
            image: None,
            views: None,
        }
    }

    #[test]
    fn repeated_cards_and_the_current_article_are_dropped_in_order() {
        let t = "2025-01-01T00:00:00Z";
        let list = [
            card("a", t),
            card("b", t),
            card("a", t),
            card("here", t),
            card("c", t),
            card("b", t),
        ];
        let slugs: Vec<_> = distinct_cards(&list, Some("here"))
            .into_iter()
            .map(|c| c.slug)
            .collect();
        assert_eq!(slugs, ["a", "b", "c"]);
    }

    #[test]
    fn newest_first_orders_by_instant_not_by_string() {
        let mut list = [
            card("old", "2025-01-01T10:00:00Z"),
            card("bad", "soon"),
            card("new", "2025-01-01T09:30:00-02:00"),
        ];
        newest_first(&mut list);
        let slugs: Vec<_> = list.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(slugs, ["new", "old", "bad"]);
    }
}
