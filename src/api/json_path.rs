//! Where in a JSON answer a parse error is, as a field path (`items[0].title`), so a
//! publisher reading the console knows what to fix.
//!
//! serde_json reports a line and column; this walks the text up to that point and keeps
//! track of the keys and indices it is inside. Only the error path runs it, and it is
//! one small function rather than a path-tracking deserializer wrapped around every model
//! type (which cost about 50 KB of wasm).

/// One level of nesting: inside an object (the key whose value is being read, once seen) or
/// an array (the index of the element being read).
enum Level {
    Object(Option<String>),
    Array(usize),
}

/// The path of the value being read at `line`/`column` (1-based, as serde_json counts them:
/// the column is a byte count), or `"."` for the top level.
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let end = offset(text, line, column).min(text.len());
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Level> = Vec::new();
    // Whether the string just read is an object key (read before its colon).
    let mut expecting_key = false;
    let mut i = 0;
    while i < bytes.len() {
        let last = i + 1 == bytes.len();
        match bytes[i] {
            // An opening bracket read last is where serde_json reports that the whole
            // value has the wrong type: the path is the value's own, so nothing is entered.
            b'{' | b'[' if last => {}
            b'{' => {
                stack.push(Level::Object(None));
                expecting_key = true;
            }
            b'[' => {
                stack.push(Level::Array(0));
                expecting_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Level::Array(n)) => *n += 1,
                Some(Level::Object(key)) => {
                    *key = None;
                    expecting_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expecting_key {
                    if let Some(Level::Object(key)) = stack.last_mut() {
                        let raw = text.get(start..i.min(bytes.len())).unwrap_or_default();
                        let unescaped = serde_json::from_str(&format!("\"{raw}\""));
                        *key = Some(unescaped.unwrap_or_else(|_| raw.to_string()));
                    }
                    expecting_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for level in &stack {
        match level {
            Level::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Level::Object(None) => {}
            Level::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    if path.is_empty() {
        ".".to_string()
    } else {
        path
    }
}

/// The byte offset just after `column` bytes of line `line`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(n) => start += n + 1,
            None => return text.len(),
        }
    }
    start + column
}

#[cfg(test)]
mod tests {
    use super::path_at;

    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let err = serde_json::from_str::<T>(text).unwrap_err();
        path_at(text, err.line(), err.column())
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        slug: String,
        title: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct List {
        items: Vec<Item>,
    }

    #[test]
    fn names_a_field_of_the_wrong_type() {
        let text = r#"{"items":[{"slug":"a","title":"b"},{"slug":"c","title":7}]}"#;
        assert_eq!(path_of_error::<List>(text), "items[1].title");
    }

    #[test]
    fn names_the_object_a_field_is_missing_from() {
        let text = "{\n  \"items\": [\n    {\"slug\": \"a\"}\n  ]\n}";
        assert_eq!(path_of_error::<List>(text), "items[0]");
    }

    #[test]
    fn keys_with_escapes_and_brackets_in_strings_do_not_confuse_it() {
        let text = r#"{"items":[{"slug":"a]}\"{","title":"x"},{"slug":"b","title":[1]}]}"#;
        assert_eq!(path_of_error::<List>(text), "items[1].title");
    }

    #[test]
    fn the_top_level_is_a_dot() {
        assert_eq!(path_of_error::<List>("[]"), ".");
        assert_eq!(path_at("", 1, 0), ".");
        assert_eq!(path_at("{\"a\":", 9, 99), "a");
    }

    #[test]
    fn any_position_in_any_text_is_safe() {
        let texts = [
            "{\"é\\\"\":[\"ü\\",
            "\u{1F600}{\"a\n\":[{",
            "\"\\",
            "]]}}",
            "{\"k\":\"v\"\n,\n\"\u{e9}\"}",
        ];
        for text in texts {
            for line in 0..4 {
                for column in 0..text.len() + 3 {
                    let _ = path_at(text, line, column);
                }
            }
        }
    }
}
