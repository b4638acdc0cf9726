//! Which words of a result to mark. Pagefind marks the words it matched in its excerpt
//! (`<mark>` in escaped text); those forms (e.g. "harbours" for "harbour") and the query's
//! own words as prefixes are marked in the headline and standfirst too. Everything here is
//! text: an excerpt is split at its `<mark>` tags and its entities decoded, never parsed as
//! HTML.

/// A piece of text and whether it is marked.
pub type Part = (String, bool);

/// `text` in lower case: in the browser by its own `toLowerCase` (Rust's case tables cost
/// 10 KB of compressed wasm), natively by Rust's. Both follow Unicode's default case mapping.
pub fn lower(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// `text` with its first letter in upper case (the same way as [`lower`]).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    #[cfg(target_arch = "wasm32")]
    let first = String::from(js_sys::JsString::from(first.to_string()).to_upper_case());
    #[cfg(not(target_arch = "wasm32"))]
    let first: String = first.to_uppercase().collect();
    first + chars.as_str()
}

/// The query's words, lower case (split at anything that is not a letter or digit).
pub fn query_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(lower)
        .collect()
}

/// Pagefind's excerpt (escaped text with `<mark>` and `</mark>`) as text parts.
pub fn excerpt_parts(excerpt: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = excerpt;
    while let Some(start) = rest.find("<mark>") {
        let after = &rest[start + "<mark>".len()..];
        let Some(end) = after.find("</mark>") else {
            break;
        };
        push(&mut parts, unescape(&rest[..start]), false);
        push(&mut parts, unescape(&after[..end]), true);
        rest = &after[end + "</mark>".len()..];
    }
    push(&mut parts, unescape(rest), false);
    parts
}

/// The words an excerpt marks, lower case.
pub fn matched_words(parts: &[Part]) -> Vec<String> {
    let mut words: Vec<String> = parts
        .iter()
        .filter(|(_, marked)| *marked)
        .map(|(text, _)| lower(text))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// `text` split into parts, each word starting with one of `words` (lower case) marked
/// whole. In scripts written without spaces (Chinese, Japanese) a match is marked where it
/// starts, whatever precedes it, and only as long as it is.
pub fn mark(text: &str, words: &[String]) -> Vec<Part> {
    if words.is_empty() {
        return vec![(text.to_string(), false)];
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // Each character in lower case (one may become two: "İ" is "i̇").
    let lowered: Vec<String> = chars
        .iter()
        .map(|(_, c)| lower(c.encode_utf8(&mut [0; 4])))
        .collect();
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let starts_word = unspaced(c) || i == 0 || !chars[i - 1].1.is_alphanumeric();
        let found = starts_word
            .then(|| {
                words
                    .iter()
                    .filter_map(|w| matches_at(&lowered[i..], w))
                    .max()
            })
            .flatten();
        let Some(len) = found else {
            i += 1;
            continue;
        };
        let mut end = i + len;
        if !unspaced(c) {
            while end < chars.len() && chars[end].1.is_alphanumeric() && !unspaced(chars[end].1) {
                end += 1;
            }
        }
        let end_at = chars.get(end).map_or(text.len(), |(at, _)| *at);
        push(&mut parts, text[plain_from..at].to_string(), false);
        push(&mut parts, text[at..end_at].to_string(), true);
        plain_from = end_at;
        i = end;
    }
    push(&mut parts, text[plain_from..].to_string(), false);
    parts
}

/// How many characters (each in lower case) spell `word`, if they do.
fn matches_at(lowered: &[String], word: &str) -> Option<usize> {
    let mut n = 0;
    let mut wanted = word;
    for c in lowered {
        if wanted.is_empty() {
            break;
        }
        wanted = wanted.strip_prefix(c.as_str())?;
        n += 1;
    }
    (wanted.is_empty() && n > 0).then_some(n)
}

/// Whether `c` is of a script written without spaces between words.
pub fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0xAC00..=0xD7AF | 0x0E00..=0x0E7F)
}

fn push(parts: &mut Vec<Part>, text: String, marked: bool) {
    if !text.is_empty() {
        parts.push((text, marked));
    }
}

/// The few entities an escaper writes (`&amp; &lt; &gt; &quot; &#39; &#x27;`), decoded once.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
            ("&#34;", '"'),
        ]
        .into_iter()
        .find(|(name, _)| rest.starts_with(name));
        match entity {
            Some((name, c)) => {
                out.push(c);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(parts: &[Part]) -> Vec<&str> {
        parts
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect()
    }

    #[test]
    fn words_are_marked_whole_from_a_prefix_ignoring_case() {
        let words = query_words("Harb TIDE");
        let parts = mark("The harbour's tides: Harbourmaster, rehab", &words);
        assert_eq!(marked(&parts), ["harbour", "tides", "Harbourmaster"]);
        let text: String = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(text, "The harbour's tides: Harbourmaster, rehab");
    }

    #[test]
    fn words_without_spaces_are_marked_where_they_match() {
        let parts = mark(
            "東京都の港で新しい船",
            &["港".to_string(), "新しい".to_string()],
        );
        assert_eq!(marked(&parts), ["港", "新しい"]);
        assert_eq!(
            mark("straße", &["STRASSE".to_lowercase()]),
            [("straße".to_string(), false)]
        );
    }

    #[test]
    fn an_excerpt_is_split_as_text_and_never_as_html() {
        let parts = excerpt_parts(
            "a &lt;script&gt; <mark>harbours</mark> &amp;amp; <b>x</b> <mark>unclosed",
        );
        assert_eq!(
            parts,
            [
                ("a <script> ".to_string(), false),
                ("harbours".to_string(), true),
                (" &amp; <b>x</b> <mark>unclosed".to_string(), false)
            ]
        );
        assert_eq!(matched_words(&parts), ["harbours"]);
    }

    #[test]
    fn hostile_text_and_words_neither_panic_nor_lose_text() {
        let texts = [
            "",
            "🌊🌊",
            "a\u{0301}b",
            "ﬃ ﬀ",
            "İstanbul",
            "مرحبا بالعالم",
            "((.*)+)$",
            "&&&;",
        ];
        let words = query_words("(.* 🌊 İ ﬃ مر a");
        for text in texts {
            let parts = mark(text, &words);
            assert_eq!(
                parts.iter().map(|(t, _)| t.as_str()).collect::<String>(),
                text
            );
        }
        assert_eq!(marked(&mark("مرحبا بالعالم", &words)), ["مرحبا"]);
    }
}
