//! A search as an address: `/search?q=tides&section=news&sort=newest`. The address is the
//! one source of truth, so a search can be shared, and back and forward restore it.

/// The longest query kept, in characters: longer ones are cut (no headline is this long).
pub const MAX_QUERY: usize = 200;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first; newer stories win ties.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// One search: the words, a section (or all) and the order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchQuery {
    pub q: String,
    /// A section's slug, or empty for every section.
    pub section: String,
    pub sort: Sort,
}

impl SearchQuery {
    /// Reads the query part of an address (`?q=a+b&section=news`). Unknown parameters,
    /// malformed escapes and a section that is not a slug are ignored, never an error.
    pub fn from_search(search: &str) -> Self {
        let mut query = SearchQuery::default();
        for pair in search.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "q" => query.q = clean(&value),
                "section" if crate::model::is_valid_slug(&value) => query.section = value,
                "sort" if value == "newest" => query.sort = Sort::Newest,
                _ => {}
            }
        }
        query
    }

    /// The query part of this search's address, starting with `?`.
    pub fn to_search(&self) -> String {
        let mut out = format!("?q={}", encode(&self.q));
        if !self.section.is_empty() {
            out.push_str(&format!("&section={}", encode(&self.section)));
        }
        if self.sort == Sort::Newest {
            out.push_str("&sort=newest");
        }
        out
    }

    /// Whether there is anything to search for.
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
    }

    /// Whether the query is only a letter or two (of a script written with spaces): a word
    /// still being typed, or a short one such as "EU".
    pub fn is_short(&self) -> bool {
        let q = self.q.trim();
        q.chars().count() < 3 && !q.chars().any(crate::search::marks::unspaced)
    }
}

/// The query as searched: control characters gone, at most [`MAX_QUERY`] characters.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_QUERY)
        .collect()
}

/// Form encoding: `+` and `%XX` (UTF-8) back to text; a broken escape stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match text
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(|h| u8::from_str_radix(h, 16))
            {
                Some(Ok(byte)) => {
                    out.push(byte);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes all but the unreserved characters of RFC 3986.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_round_trips() {
        let query = SearchQuery {
            q: "harbour & tides <b>\"100%\" ñandú 港 🌊".into(),
            section: "news".into(),
            sort: Sort::Newest,
        };
        assert_eq!(SearchQuery::from_search(&query.to_search()), query);
        assert_eq!(
            SearchQuery::from_search("?q=a+b%20c"),
            SearchQuery {
                q: "a b c".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn one_or_two_letters_are_short_except_in_scripts_without_spaces() {
        let short = |q: &str| {
            SearchQuery {
                q: q.into(),
                ..Default::default()
            }
            .is_short()
        };
        assert!(short("k") && short("EU") && short(" a "));
        assert!(!short("kar") && !short("港") && !short("東京"));
    }

    #[test]
    fn bad_addresses_are_read_without_failing() {
        for search in [
            "?q=%",
            "?q=%zz",
            "?q=%E6%B8",
            "?q=%%%",
            "?section=../x",
            "?sort=drop",
            "?=&&=",
            "?q=%C3",
            "?q=%+5",
        ] {
            let query = SearchQuery::from_search(search);
            assert!(query.section.is_empty(), "{search}");
            assert_eq!(query.sort, Sort::Relevance, "{search}");
        }
        assert_eq!(SearchQuery::from_search("?q=%zz").q, "%zz");
        assert_eq!(SearchQuery::from_search("?q=%+5").q, "% 5");
        let long = format!("?q={}", "a".repeat(10_000));
        assert_eq!(SearchQuery::from_search(&long).q.len(), MAX_QUERY);
        assert_eq!(SearchQuery::from_search("?q=a%0Ab").q, "a b");
    }
}
