//! Run-time configuration, read from `<meta>` tags in index.html so one build can be
//! deployed under any path and pointed at any API.

/// Where content and reactions come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Base URL of the JSON content API, e.g. `/api`.
    pub api_base: String,
    /// Base URL of the optional reactions service; `None` is static mode.
    pub reactions_url: Option<String>,
    /// How long a content request may take before the reader is told.
    pub timeout_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_base: "/api".into(),
            reactions_url: None,
            timeout_ms: 10_000,
        }
    }
}

impl Config {
    /// Builds the configuration from `name -> content` lookups of the page's meta tags.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let present = |name: &str| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let defaults = Self::default();
        Self {
            api_base: present("broadsheet:api").unwrap_or(defaults.api_base),
            reactions_url: present("broadsheet:reactions"),
            timeout_ms: present("broadsheet:timeout-ms")
                .and_then(|v| v.parse().ok())
                .filter(|ms| *ms > 0)
                .unwrap_or(defaults.timeout_ms),
        }
    }

    /// Reads the meta tags of the current document.
    pub fn from_document() -> Self {
        let document = web_sys::window().and_then(|w| w.document());
        Self::from_lookup(|name| {
            let selector = format!("meta[name=\"{name}\"]");
            document
                .as_ref()?
                .query_selector(&selector)
                .ok()
                .flatten()?
                .get_attribute("content")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn missing_or_blank_meta_tags_fall_back_to_static_mode_under_api() {
        let config =
            Config::from_lookup(|name| (name == "broadsheet:reactions").then(|| "  ".into()));
        assert_eq!(config, Config::default());
        assert_eq!(config.api_base, "/api");
        assert_eq!(config.reactions_url, None);
    }

    #[test]
    fn meta_tags_set_api_reactions_and_timeout() {
        let config = Config::from_lookup(|name| match name {
            "broadsheet:api" => Some("https://cdn.example/news/api".into()),
            "broadsheet:reactions" => Some("https://react.example".into()),
            "broadsheet:timeout-ms" => Some("2500".into()),
            _ => None,
        });
        assert_eq!(config.api_base, "https://cdn.example/news/api");
        assert_eq!(
            config.reactions_url.as_deref(),
            Some("https://react.example")
        );
        assert_eq!(config.timeout_ms, 2500);
    }
}
