//! The words the site shows, from a message catalogue in the site's language.
//!
//! Every message has an id ([`Msg`]) and a key in the catalogue files under `messages/`
//! (`en.json`, `de.json`, ...). A message is a text with `{name}` placeholders, or one text
//! per CLDR plural category (`zero one two few many other`) for counts. press picks the
//! catalogue for the site's language, lays the publisher's own wording from
//! `content/messages.yaml` over it, fills what is still missing from English, and puts the
//! whole catalogue into every page as JSON (`<script type="application/json"
//! id="broadsheet-messages">`); the app reads it from there at start, so one build serves
//! every language. Without one (the bare app build) the app speaks English.

use std::sync::{Arc, OnceLock};

use crate::model::json::{At, JsonValue};

macro_rules! messages {
    ($($id:ident = $key:literal,)*) => {
        /// One message of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($id,)* }

        impl Msg {
            /// Every message, in catalogue order.
            pub const ALL: &'static [Msg] = &[$(Msg::$id,)*];

            /// Its key in a catalogue file.
            pub fn key(self) -> &'static str {
                match self { $(Msg::$id => $key,)* }
            }
        }
    };
}

messages! {
    SkipLink = "skip_link",
    Sections = "sections",
    Breadcrumb = "breadcrumb",
    Home = "home",
    FrontPage = "front_page",
    Retry = "retry",
    LoadingStory = "loading_story",
    LoadingStories = "loading_stories",
    Byline = "byline",
    ListSeparator = "list_separator",
    ListLastSeparator = "list_last_separator",
    PersonRole = "person_role",
    Source = "source",
    Published = "published",
    Updated = "updated",
    DateTime = "date_time",
    Views = "views",
    ReadingTime = "reading_time",
    Topics = "topics",
    MoreStories = "more_stories",
    Related = "related",
    Ranking = "ranking",
    Recommendation = "recommendation",
    MostRead = "most_read",
    CarouselRole = "carousel_role",
    SlideRole = "slide_role",
    Slide = "slide",
    Previous = "previous",
    Next = "next",
    CarouselEmpty = "carousel_empty",
    Reaction = "reaction",
    ReactionCount = "reaction_count",
    ReactionFailed = "reaction_failed",
    NotFound = "not_found",
    NotFoundText = "not_found_text",
    SectionDescription = "section_description",
    SectionEmpty = "section_empty",
    ArticleDescription = "article_description",
    ErrorNotFound = "error_not_found",
    ErrorNotFoundText = "error_not_found_text",
    ErrorOffline = "error_offline",
    ErrorOfflineText = "error_offline_text",
    ErrorTimeout = "error_timeout",
    ErrorTimeoutText = "error_timeout_text",
    ErrorServer = "error_server",
    ErrorServerText = "error_server_text",
    ErrorRefusedText = "error_refused_text",
    ErrorBadData = "error_bad_data",
    ErrorBadDataText = "error_bad_data_text",
    Search = "search",
    SearchLabel = "search_label",
    SearchSection = "search_section",
    SearchAllSections = "search_all_sections",
    SearchSectionCount = "search_section_count",
    SearchSort = "search_sort",
    SearchRelevance = "search_relevance",
    SearchNewest = "search_newest",
    SearchPrompt = "search_prompt",
    Searching = "searching",
    SearchFound = "search_found",
    SearchNone = "search_none",
    SearchCorrected = "search_corrected",
    SearchResults = "search_results",
    SearchMore = "search_more",
    SearchUnavailable = "search_unavailable",
    SearchUnavailableText = "search_unavailable_text",
    SearchNoScript = "search_no_script",
    SearchFeed = "search_feed",
}

/// The CLDR plural categories, in the order a plural message lists them.
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The English catalogue, the fallback for every other.
pub const ENGLISH: &str = include_str!("../messages/en.json");

/// One message's wording.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    /// The same words whatever the number.
    Plain(String),
    /// Words per plural category (by the index of [`CATEGORIES`]); `other` is always there.
    Plural([Option<String>; 6]),
}

impl Text {
    /// The words for plural category `category` (`other` when it has none of its own, and
    /// the only words of a plain message).
    pub fn for_category(&self, category: &str) -> &str {
        match self {
            Text::Plain(text) => text,
            Text::Plural(forms) => {
                let at = |c: &str| CATEGORIES.iter().position(|k| *k == c);
                at(category)
                    .and_then(|i| forms[i].as_deref())
                    .or(forms[5].as_deref())
                    .unwrap_or_default()
            }
        }
    }

    /// Every wording it has (one for a plain message).
    pub fn forms(&self) -> Vec<&str> {
        match self {
            Text::Plain(text) => vec![text.as_str()],
            Text::Plural(forms) => forms.iter().flatten().map(String::as_str).collect(),
        }
    }

    /// Reads one message: a string, or an object of plural categories with at least `other`.
    pub fn decode<V: JsonValue>(value: &V) -> Result<Self, String> {
        if let Some(text) = value.string() {
            return Ok(Text::Plain(text));
        }
        if !value.is_object() {
            return Err(format!(
                "expected a string or an object of plural forms, found {}",
                value.kind()
            ));
        }
        let mut forms: [Option<String>; 6] = Default::default();
        for (slot, category) in forms.iter_mut().zip(CATEGORIES) {
            if let Some(member) = value.member(category) {
                *slot = Some(member.string().ok_or_else(|| {
                    format!("{category}: expected a string, found {}", member.kind())
                })?);
            }
        }
        if forms[5].is_none() {
            return Err("a plural message needs an \"other\" form".into());
        }
        Ok(Text::Plural(forms))
    }
}

/// A whole catalogue: one [`Text`] for every [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    texts: Vec<Text>,
}

/// What reading a catalogue found wrong, message by message (key, problem).
pub type Gaps = Vec<(&'static str, String)>;

impl Catalogue {
    /// The English catalogue (made once).
    pub fn english() -> Arc<Catalogue> {
        static ENGLISH_CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
        ENGLISH_CATALOGUE
            .get_or_init(|| {
                let texts = Msg::ALL
                    .iter()
                    .map(|_| Text::Plain(String::new()))
                    .collect();
                let empty = Catalogue { texts };
                let (english, _) = Catalogue::from_json(ENGLISH, &empty);
                Arc::new(english)
            })
            .clone()
    }

    /// Reads a catalogue from JSON text; a message that is missing or unreadable is taken
    /// from `fallback`, and reported.
    pub fn from_json(text: &str, fallback: &Catalogue) -> (Catalogue, Gaps) {
        match crate::model::json::parse_value(text) {
            Ok(value) => {
                #[cfg(not(target_arch = "wasm32"))]
                let value = &value;
                Catalogue::decode(&value, fallback)
            }
            Err(problem) => (fallback.clone(), vec![("", problem)]),
        }
    }

    /// Reads a catalogue from a parsed JSON object; see [`Catalogue::from_json`].
    pub fn decode<V: JsonValue>(value: &V, fallback: &Catalogue) -> (Catalogue, Gaps) {
        let mut gaps = Vec::new();
        if !value.is_object() {
            let problem = At::Root
                .error(format!("expected an object, found {}", value.kind()))
                .to_string();
            return (fallback.clone(), vec![("", problem)]);
        }
        let texts = Msg::ALL
            .iter()
            .map(|msg| {
                let read = match value.member(msg.key()) {
                    Some(member) => Text::decode(&member),
                    None => Err("is missing".into()),
                };
                read.unwrap_or_else(|problem| {
                    gaps.push((msg.key(), problem));
                    fallback.get(*msg).clone()
                })
            })
            .collect();
        (Catalogue { texts }, gaps)
    }

    /// The wording of `msg`.
    pub fn get(&self, msg: Msg) -> &Text {
        &self.texts[msg as usize]
    }

    /// A plain message's text (a plural message's `other` form).
    pub fn text(&self, msg: Msg) -> &str {
        self.get(msg).for_category("other")
    }

    /// A message with its placeholders filled: `fill(Msg::Slide, &[("position", "2"), ...])`.
    pub fn fill(&self, msg: Msg, values: &[(&str, &str)]) -> String {
        fill(self.text(msg), values)
    }

    /// The catalogue as JSON, for a page to carry (press).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        let entries = Msg::ALL.iter().map(|msg| {
            let value = match self.get(*msg) {
                Text::Plain(text) => serde_json::Value::from(text.as_str()),
                Text::Plural(forms) => CATEGORIES
                    .iter()
                    .zip(forms)
                    .filter_map(|(c, f)| Some((c.to_string(), f.as_deref()?.into())))
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            };
            (msg.key().to_string(), value)
        });
        serde_json::Value::Object(entries.collect()).to_string()
    }

    /// Replaces the wording of `msg` (a publisher's override).
    pub fn set(&mut self, msg: Msg, text: Text) {
        self.texts[msg as usize] = text;
    }
}

/// One piece of a message: words, or the name of a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    Words(&'a str),
    Slot(&'a str),
}

/// A message's pieces in order: `"By {names}"` is `[Words("By "), Slot("names")]`. A `{`
/// without a closing `}` is words.
pub fn parts(text: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            // Not a placeholder: keep the brace as words.
            out.push(Part::Words(&rest[..open + 1]));
            rest = &rest[open + 1..];
            continue;
        }
        if open > 0 {
            out.push(Part::Words(&rest[..open]));
        }
        out.push(Part::Slot(name));
        rest = &rest[open + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Words(rest));
    }
    out
}

/// The placeholders a message uses, in order.
pub fn slots(text: &str) -> Vec<&str> {
    parts(text)
        .into_iter()
        .filter_map(|p| match p {
            Part::Slot(name) => Some(name),
            Part::Words(_) => None,
        })
        .collect()
}

/// `text` with each `{name}` replaced by its value; a placeholder without a value is left
/// out. Values are never read for placeholders themselves.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for part in parts(text) {
        match part {
            Part::Words(words) => out.push_str(words),
            Part::Slot(name) => {
                if let Some((_, value)) = values.iter().find(|(k, _)| *k == name) {
                    out.push_str(value);
                }
            }
        }
    }
    out
}

/// Whether text in this language runs right to left (Arabic, Hebrew, Persian, Urdu, ...).
pub fn is_right_to_left(language: &str) -> bool {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    matches!(
        primary.to_ascii_lowercase().as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" | "ku"
    ) && !language.to_ascii_lowercase().contains("-latn")
}

/// The catalogues Broadsheet ships, by primary language subtag (for press).
#[cfg(not(target_arch = "wasm32"))]
pub const SHIPPED: &[(&str, &str)] = &[
    ("en", ENGLISH),
    ("de", include_str!("../messages/de.json")),
    ("es", include_str!("../messages/es.json")),
    ("ja", include_str!("../messages/ja.json")),
    ("ar", include_str!("../messages/ar.json")),
];

/// The shipped catalogue for a language tag (`de-AT` takes `de`), if there is one.
#[cfg(not(target_arch = "wasm32"))]
pub fn shipped(language: &str) -> Option<&'static str> {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    SHIPPED
        .iter()
        .find(|(tag, _)| *tag == primary)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_into_words_and_placeholders() {
        assert_eq!(
            parts("By {names}"),
            vec![Part::Words("By "), Part::Slot("names")]
        );
        assert_eq!(
            parts("{position} of {total}"),
            vec![
                Part::Slot("position"),
                Part::Words(" of "),
                Part::Slot("total")
            ]
        );
        // Braces that are not placeholders stay words.
        assert_eq!(fill("a {b c} {} {", &[]), "a {b c} {} {");
        assert_eq!(fill("{x}{y}", &[("x", "{y}"), ("y", "1")]), "{y}1");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn every_shipped_catalogue_is_complete_and_keeps_the_placeholders() {
        let english = Catalogue::english();
        for (language, text) in SHIPPED {
            let (catalogue, gaps) = Catalogue::from_json(text, &english);
            assert_eq!(gaps, vec![], "{language}");
            for msg in Msg::ALL {
                let mut allowed = english
                    .get(*msg)
                    .forms()
                    .into_iter()
                    .flat_map(slots)
                    .collect::<Vec<_>>();
                allowed.sort_unstable();
                for form in catalogue.get(*msg).forms() {
                    for slot in slots(form) {
                        assert!(
                            allowed.binary_search(&slot).is_ok(),
                            "{language} {}: {{{slot}}} is not one of {allowed:?}",
                            msg.key()
                        );
                    }
                }
                // A message that names something must still name it (a count may be
                // written out in words, as "one" or Arabic's dual).
                if !matches!(english.get(*msg), Text::Plural(_)) {
                    let mut used = slots(catalogue.text(*msg));
                    used.sort_unstable();
                    used.dedup();
                    assert_eq!(used, allowed, "{language} {}", msg.key());
                }
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_catalogue_round_trips_through_its_json() {
        let english = Catalogue::english();
        let (again, gaps) = Catalogue::from_json(&english.to_json(), &english);
        assert_eq!(gaps, vec![]);
        assert_eq!(&again, english.as_ref());
    }

    #[test]
    fn gaps_fall_back_and_are_named() {
        let english = Catalogue::english();
        let (cat, gaps) = Catalogue::from_json(
            r#"{"home": "Start", "views": {"one": "x"}, "retry": 3}"#,
            &english,
        );
        assert_eq!(cat.text(Msg::Home), "Start");
        assert_eq!(cat.text(Msg::Retry), "Retry");
        assert!(gaps.contains(&("views", "a plural message needs an \"other\" form".into())));
        assert!(gaps
            .iter()
            .any(|(k, p)| *k == "retry" && p.contains("found a number")));
        assert_eq!(gaps.len(), Msg::ALL.len() - 1);
        let (cat, gaps) = Catalogue::from_json("not json", &english);
        assert_eq!(&cat, english.as_ref());
        assert_eq!(gaps.len(), 1);
    }

    #[test]
    fn right_to_left_follows_the_language() {
        assert!(is_right_to_left("ar"));
        assert!(is_right_to_left("ar-EG"));
        assert!(is_right_to_left("he-IL"));
        assert!(!is_right_to_left("en-GB"));
        assert!(!is_right_to_left("ja"));
        assert!(!is_right_to_left("ku-Latn"));
    }
}
