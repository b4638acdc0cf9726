//! Run-time configuration, read from `<meta>` tags in index.html so one build can be
//! deployed under any path and pointed at any API. Components read it from the context
//! ([`use_config`]); nothing else holds a copy.

use std::sync::Arc;

use crate::messages::{Catalogue, Msg};

/// Where content and reactions come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Path the site lives under, without a trailing slash: `""` at the root of its host,
    /// `"/paper"` under a path. Taken from the document's `<base href>`.
    pub base_path: String,
    /// Base URL of the JSON content API, e.g. `api` (relative to `<base href>`) or `/api`.
    pub api_base: String,
    /// Base URL of the optional reactions service; `None` is static mode.
    pub reactions_url: Option<String>,
    /// How long a content request may take before the reader is told.
    pub timeout_ms: u32,
    /// The language dates and numbers are written in: the page's `<html lang>`.
    pub locale: String,
    /// The IANA time zone times are shown in (`broadsheet:time-zone`, default `UTC`). One
    /// zone for every reader, so a pre-rendered page and the app show the same time.
    pub time_zone: String,
    /// The publication's name (`broadsheet:site-name`): masthead, footer and titles.
    pub site_name: String,
    /// One sentence about it (`broadsheet:site-description`): the footer and the front page's
    /// description. May be empty.
    pub site_description: String,
    /// How a page's title is written (`broadsheet:title-pattern`): `{headline}` is the page's
    /// own title, `{site}` the site's name, e.g. `{headline} — {site}`.
    pub title_pattern: String,
    /// The masthead as a picture instead of the name in type (`broadsheet:logo`,
    /// `images/logo.svg 240x48`); the name is its text alternative.
    pub logo: Option<Logo>,
    /// The words the site shows, in its language (`<script id="broadsheet-messages">`,
    /// English when the page has none).
    pub messages: Arc<Catalogue>,
}

/// A masthead picture, with the size the page reserves for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

impl Logo {
    /// Reads `src WIDTHxHEIGHT`; `None` for anything else, or a source the contract would
    /// not load.
    pub fn parse(text: &str) -> Option<Self> {
        let (src, size) = text.trim().split_once(' ')?;
        let (width, height) = size.trim().split_once('x')?;
        let (width, height) = (width.parse().ok()?, height.parse().ok()?);
        crate::links::safe_image_src(src)?;
        (width > 0 && height > 0).then(|| Logo {
            src: src.to_string(),
            width,
            height,
        })
    }

    /// What `broadsheet:logo` says for this logo.
    pub fn meta_content(&self) -> String {
        format!("{} {}x{}", self.src, self.width, self.height)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_path: String::new(),
            api_base: "api".into(),
            reactions_url: None,
            timeout_ms: 10_000,
            locale: "en-GB".into(),
            time_zone: "UTC".into(),
            site_name: "Broadsheet".into(),
            site_description: String::new(),
            title_pattern: DEFAULT_TITLE_PATTERN.into(),
            logo: None,
            messages: Catalogue::english(),
        }
    }
}

/// The site's configuration, as the app was started with it (shared, not copied).
pub fn use_config() -> Arc<Config> {
    leptos::prelude::use_context::<Arc<Config>>().unwrap_or_default()
}

/// Titles as "Headline — Site".
pub const DEFAULT_TITLE_PATTERN: &str = "{headline} — {site}";

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
            base_path: defaults.base_path,
            api_base: present("broadsheet:api").unwrap_or(defaults.api_base),
            reactions_url: present("broadsheet:reactions"),
            timeout_ms: present("broadsheet:timeout-ms")
                .and_then(|v| v.parse().ok())
                .filter(|ms| *ms > 0)
                .unwrap_or(defaults.timeout_ms),
            locale: defaults.locale,
            time_zone: present("broadsheet:time-zone")
                .filter(|zone| is_zone_name(zone))
                .unwrap_or(defaults.time_zone),
            site_name: present("broadsheet:site-name").unwrap_or(defaults.site_name),
            site_description: present("broadsheet:site-description").unwrap_or_default(),
            title_pattern: present("broadsheet:title-pattern")
                .filter(|p| p.contains("{headline}"))
                .unwrap_or(defaults.title_pattern),
            logo: present("broadsheet:logo").and_then(|v| Logo::parse(&v)),
            messages: defaults.messages,
        }
    }

    /// Reads the meta tags and the `<base href>` of the current document.
    pub fn from_document() -> Self {
        let document = crate::browser::window().and_then(|w| w.document());
        let base_path = document
            .as_ref()
            .and_then(|d| d.base_uri().ok().flatten())
            .and_then(|uri| web_sys::Url::new(&uri).ok())
            .map(|url| base_path_of(&url.pathname()))
            .unwrap_or_default();
        let config = Self::from_lookup(|name| {
            let selector = format!("meta[name=\"{name}\"]");
            document
                .as_ref()?
                .query_selector(&selector)
                .ok()
                .flatten()?
                .get_attribute("content")
        });
        let locale = document
            .as_ref()
            .and_then(|d| d.document_element())
            .and_then(|html| html.get_attribute("lang"))
            .map(|lang| lang.trim().to_string())
            .filter(|lang| is_language_tag(lang))
            .unwrap_or(config.locale.clone());
        let defaults = Self::default();
        // A language or zone the browser's Intl refuses would make every date throw: a
        // hand-edited page falls back, with a warning, rather than stopping the app. One
        // formatter is made on a good page; the two checks apart only on a bad one.
        let (locale, time_zone) = if intl_accepts(&locale, &config.time_zone) {
            (locale, config.time_zone.clone())
        } else {
            let locale = if intl_accepts(&locale, &defaults.time_zone) {
                locale
            } else {
                warn(&format!(
                    "broadsheet: <html lang={locale:?}> is not a language this browser knows; using {}",
                    defaults.locale
                ));
                defaults.locale
            };
            let time_zone = if intl_accepts(&locale, &config.time_zone) {
                config.time_zone.clone()
            } else {
                warn(&format!("broadsheet: broadsheet:time-zone {:?} is not a time zone this browser knows; using {}", config.time_zone, defaults.time_zone));
                defaults.time_zone
            };
            (locale, time_zone)
        };
        let messages = document
            .as_ref()
            .and_then(|d| d.get_element_by_id("broadsheet-messages"))
            .and_then(|script| script.text_content())
            .map(|text| {
                let (catalogue, gaps) = Catalogue::from_json(&text, &defaults.messages);
                if let Some((key, problem)) = gaps.first() {
                    warn(&format!(
                        "broadsheet: the page's messages have {} gaps, filled in English (first: {key} {problem})",
                        gaps.len()
                    ));
                }
                Arc::new(catalogue)
            })
            .unwrap_or(defaults.messages);
        Self {
            base_path,
            locale,
            time_zone,
            messages,
            ..config
        }
    }

    /// The default configuration speaking `language` in `time_zone`, with the catalogue
    /// Broadsheet ships for it (English when there is none). For tests and tools.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn for_language(language: &str, time_zone: &str) -> Self {
        let english = Catalogue::english();
        let messages = crate::messages::shipped(language)
            .map(|text| Arc::new(Catalogue::from_json(text, &english).0))
            .unwrap_or(english);
        Self {
            locale: language.into(),
            time_zone: time_zone.into(),
            messages,
            ..Self::default()
        }
    }

    /// The text of a plain message.
    pub fn t(&self, msg: Msg) -> &str {
        self.messages.text(msg)
    }

    /// A message with its placeholders filled.
    pub fn fill(&self, msg: Msg, values: &[(&str, &str)]) -> String {
        self.messages.fill(msg, values)
    }

    /// Whether the site's language is written right to left.
    pub fn is_right_to_left(&self) -> bool {
        crate::messages::is_right_to_left(&self.locale)
    }

    /// A page's whole title from its own (`text`), by the title pattern; the site's name
    /// alone stays as it is (the front page).
    pub fn title(&self, text: &str) -> String {
        if text == self.site_name {
            return text.to_string();
        }
        // Split first, so a headline that holds "{site}" is never substituted into.
        self.title_pattern
            .split("{headline}")
            .map(|part| part.replace("{site}", &self.site_name))
            .collect::<Vec<_>>()
            .join(text)
    }

    /// A site path (`/science/tides`) as a link under this site's base path.
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }
}

/// Whether `Intl.DateTimeFormat` takes this language and time zone (it throws a RangeError on
/// a malformed tag or an unknown zone).
fn intl_accepts(locale: &str, zone: &str) -> bool {
    use js_sys::{Array, Function, Object, Reflect};
    use wasm_bindgen::JsCast;
    let constructor = Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(constructor) = constructor else {
        return false;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"timeZone".into(), &zone.into());
    Reflect::construct(&constructor, &Array::of2(&locale.into(), &options)).is_ok()
}

fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

/// A plausible BCP 47 tag (`en`, `en-GB`, `pt-BR`): letters, digits and hyphens.
fn is_language_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len())
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// A plausible IANA zone name (`UTC`, `Europe/London`, `America/Port-au-Prince`).
fn is_zone_name(zone: &str) -> bool {
    (1..=64).contains(&zone.len())
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
}

/// The base path from the pathname of `<base href>`: `/paper/` gives `/paper`, `/` gives `""`.
/// Only the directory counts, as for relative URLs.
pub fn base_path_of(pathname: &str) -> String {
    let dir = pathname
        .get(..pathname.rfind('/').map_or(0, |i| i + 1))
        .unwrap_or_default();
    dir.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn missing_or_blank_meta_tags_fall_back_to_static_mode_under_api() {
        let config =
            Config::from_lookup(|name| (name == "broadsheet:reactions").then(|| "  ".into()));
        assert_eq!(config, Config::default());
        assert_eq!(config.api_base, "api");
        assert_eq!(config.reactions_url, None);
    }

    #[test]
    fn titles_follow_the_site_pattern_and_name() {
        let config = Config::from_lookup(|name| match name {
            "broadsheet:site-name" => Some("EverVision Finance".into()),
            "broadsheet:title-pattern" => Some("{headline} | {site}".into()),
            _ => None,
        });
        assert_eq!(
            config.title("Rates hold"),
            "Rates hold | EverVision Finance"
        );
        assert_eq!(config.title("EverVision Finance"), "EverVision Finance");
        // A headline is never substituted into.
        assert_eq!(
            config.title("{site} & {headline}"),
            "{site} & {headline} | EverVision Finance"
        );
        assert_eq!(Config::default().title("News"), "News — Broadsheet");
        // A pattern without the headline would give every page one title: the default instead.
        let bad = Config::from_lookup(|name| {
            (name == "broadsheet:title-pattern").then(|| "{site}".into())
        });
        assert_eq!(bad.title_pattern, super::DEFAULT_TITLE_PATTERN);
    }

    #[test]
    fn a_logo_is_a_safe_source_with_its_size() {
        let logo = super::Logo::parse("images/logo.svg 240x48").expect("a logo");
        assert_eq!(
            (logo.src.as_str(), logo.width, logo.height),
            ("images/logo.svg", 240, 48)
        );
        assert_eq!(super::Logo::parse(&logo.meta_content()), Some(logo));
        for bad in [
            "",
            "images/logo.svg",
            "images/logo.svg 0x48",
            "javascript:x 1x1",
            "a.svg 1x",
            "a.svg wxh",
        ] {
            assert_eq!(super::Logo::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn base_path_is_the_directory_of_base_href() {
        assert_eq!(super::base_path_of("/"), "");
        assert_eq!(super::base_path_of("/paper/"), "/paper");
        assert_eq!(super::base_path_of("/a/b/index.html"), "/a/b");
        assert_eq!(super::base_path_of(""), "");
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

    #[test]
    fn language_and_zone_names_are_checked() {
        assert!(super::is_language_tag("en-GB"));
        assert!(!super::is_language_tag("en GB"));
        assert!(!super::is_language_tag("x"));
        let config = Config::from_lookup(|name| {
            (name == "broadsheet:time-zone").then(|| "Europe/London".into())
        });
        assert_eq!(config.time_zone, "Europe/London");
        let config =
            Config::from_lookup(|name| (name == "broadsheet:time-zone").then(|| "<script>".into()));
        assert_eq!(config.time_zone, "UTC");
    }
}
