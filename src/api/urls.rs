use crate::model::is_valid_slug;

/// An endpoint of the content contract. Slugs are checked before a URL is built, so a
/// hostile slug can never reach the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Home,
    Sections,
    Section(String),
    Article(String),
    Rankings,
    Recommendations,
    /// The engagement service's live most-read list (a `CardList`), under the reactions URL.
    MostRead,
}

impl Endpoint {
    /// The URL of this endpoint under `base` (`/api`, `https://cdn.example/api/`, ...), or
    /// `None` when a slug does not match the contract's pattern.
    pub fn url(&self, base: &str) -> Option<String> {
        let base = base.trim_end_matches('/');
        let path = match self {
            Endpoint::Home => "home.json".to_string(),
            Endpoint::Sections => "sections.json".to_string(),
            Endpoint::Rankings => "rankings.json".to_string(),
            Endpoint::Recommendations => "recommendations.json".to_string(),
            Endpoint::Section(slug) if is_valid_slug(slug) => format!("sections/{slug}.json"),
            Endpoint::Article(slug) if is_valid_slug(slug) => format!("articles/{slug}.json"),
            Endpoint::MostRead => "most-read".to_string(),
            Endpoint::Section(_) | Endpoint::Article(_) => return None,
        };
        Some(format!("{base}/{path}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Endpoint;

    #[test]
    fn builds_contract_paths_under_any_base() {
        let e = Endpoint::Article("tide-turns".into());
        assert_eq!(
            e.url("/api").as_deref(),
            Some("/api/articles/tide-turns.json")
        );
        assert_eq!(
            e.url("https://cdn.example/x/api/").as_deref(),
            Some("https://cdn.example/x/api/articles/tide-turns.json")
        );
        assert_eq!(
            Endpoint::Section("world".into()).url("").as_deref(),
            Some("/sections/world.json")
        );
        assert_eq!(
            Endpoint::Home.url("/api").as_deref(),
            Some("/api/home.json")
        );
    }

    #[test]
    fn never_builds_a_url_from_a_slug_outside_the_pattern() {
        for slug in ["../home", "a/b", "A", "x?y=1", "%2e%2e", ""] {
            assert_eq!(Endpoint::Article(slug.into()).url("/api"), None, "{slug}");
            assert_eq!(Endpoint::Section(slug.into()).url("/api"), None, "{slug}");
        }
    }
}
