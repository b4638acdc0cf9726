use std::fmt;

use super::{parse_rfc3339, Article, Block, Card, CardList, Home, Image, Section, SectionFront};

/// A value that is well-formed JSON of the right shape but still breaks the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    /// Where in the document, e.g. `related[2].published_at`.
    pub field: String,
    pub problem: String,
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.problem)
        } else {
            write!(f, "{}: {}", self.field, self.problem)
        }
    }
}

/// Checks the rules of the contract that the serde types cannot express.
pub trait Validate {
    fn validate(&self) -> Result<(), ContractError>;
}

/// The search page's address, `/search`: no section may be called this.
pub const SEARCH_SLUG: &str = "search";

/// Names a section cannot have: the site's own folders and pages at the top level.
pub const RESERVED_SLUGS: &[&str] = &["api", "assets", "images", "pagefind", SEARCH_SLUG];

/// `[a-z0-9]+(-[a-z0-9]+)*`: the only section and article slugs the app requests.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

fn fail(field: impl Into<String>, problem: &str) -> Result<(), ContractError> {
    Err(ContractError {
        field: field.into(),
        problem: problem.to_string(),
    })
}

fn check_slug(field: String, value: &str) -> Result<(), ContractError> {
    if is_valid_slug(value) {
        Ok(())
    } else {
        fail(field, "is not a valid slug")
    }
}

fn check_time(field: String, value: &str) -> Result<(), ContractError> {
    if parse_rfc3339(value).is_some() {
        Ok(())
    } else {
        fail(field, "is not an RFC 3339 time with an offset")
    }
}

fn check_section(at: &str, section: &Section) -> Result<(), ContractError> {
    check_slug(format!("{at}section.slug"), &section.slug)
}

fn check_image(at: &str, image: &Image) -> Result<(), ContractError> {
    if image.width == 0 || image.height == 0 {
        return fail(format!("{at}width"), "width and height must be positive");
    }
    Ok(())
}

fn check_cards(at: &str, cards: &[Card]) -> Result<(), ContractError> {
    for (i, card) in cards.iter().enumerate() {
        check_card(&format!("{at}[{i}]."), card)?;
    }
    Ok(())
}

fn check_card(at: &str, card: &Card) -> Result<(), ContractError> {
    check_slug(format!("{at}slug"), &card.slug)?;
    check_section(at, &card.section)?;
    check_time(format!("{at}published_at"), &card.published_at)?;
    if let Some(image) = &card.image {
        check_image(&format!("{at}image."), image)?;
    }
    Ok(())
}

impl Validate for Card {
    fn validate(&self) -> Result<(), ContractError> {
        check_card("", self)
    }
}

impl Validate for CardList {
    fn validate(&self) -> Result<(), ContractError> {
        check_cards("items", &self.items)
    }
}

impl Validate for Home {
    fn validate(&self) -> Result<(), ContractError> {
        check_card("lead.", &self.lead)?;
        for (i, block) in self.sections.iter().enumerate() {
            check_section(&format!("sections[{i}]."), &block.section)?;
            check_cards(&format!("sections[{i}].articles"), &block.articles)?;
        }
        Ok(())
    }
}

impl Validate for SectionFront {
    fn validate(&self) -> Result<(), ContractError> {
        check_section("", &self.section)?;
        check_cards("articles", &self.articles)
    }
}

impl Validate for Vec<Section> {
    fn validate(&self) -> Result<(), ContractError> {
        for (i, section) in self.iter().enumerate() {
            check_section(&format!("[{i}]."), section)?;
        }
        Ok(())
    }
}

impl Validate for Article {
    fn validate(&self) -> Result<(), ContractError> {
        if self.id.trim().is_empty() {
            return fail("id", "must not be empty");
        }
        check_slug("slug".into(), &self.slug)?;
        check_section("", &self.section)?;
        check_time("published_at".into(), &self.published_at)?;
        if let Some(updated) = &self.updated_at {
            check_time("updated_at".into(), updated)?;
        }
        if let Some(image) = &self.image {
            check_image("image.", image)?;
        }
        for (i, block) in self.body.iter().enumerate() {
            if let Block::Image(image) = block {
                check_image(&format!("body[{i}]."), image)?;
            }
        }
        check_cards("related", &self.related)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_pattern_matches_the_contract() {
        for good in ["news", "a", "2025", "cost-of-living", "a1-b2-c3"] {
            assert!(is_valid_slug(good), "{good}");
        }
        for bad in [
            "", "-a", "a-", "a--b", "News", "a_b", "a b", "a/b", "..", "é", "a.json",
        ] {
            assert!(!is_valid_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_bad_related_time_names_its_field() {
        let json = include_str!("../../tests/fixtures/api/articles/harbour-lights.json");
        let mut article: Article = super::super::json::from_str(json).expect("fixture parses");
        assert_eq!(article.validate(), Ok(()));
        article.related[1].published_at = "last Tuesday".into();
        let err = article.validate().expect_err("bad time is caught");
        assert_eq!(err.field, "related[1].published_at");
    }
}
