//! Reading YAML files, and finding the line a key is on, for problems that name their line.

use std::collections::HashMap;
use std::path::Path;

use crate::report::{Problem, Problems};

/// The text of `file`, or a problem saying it cannot be read.
pub(super) fn read_text(file: &Path, problems: &mut Problems) -> Option<String> {
    match std::fs::read_to_string(file) {
        Ok(text) => Some(text),
        Err(e) => {
            problems.push(Problem::new(
                file,
                0,
                "file",
                format!("cannot be read: {e}"),
            ));
            None
        }
    }
}

pub(super) fn read_yaml<T: serde::de::DeserializeOwned>(
    file: &Path,
    problems: &mut Problems,
) -> Option<T> {
    let text = read_text(file, problems)?;
    match serde_yaml::from_str(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            problems.push(Problem::new(file, line, "yaml", yaml_message(&e)));
            None
        }
    }
}

pub(super) fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    // serde_yaml appends " at line L column C"; the line is reported separately.
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The 1-based file line of a (possibly nested) key in YAML text that starts on file line
/// `first_line`; the first line when the key is not written.
pub(super) fn line_of(text: &str, first_line: usize, keys: &[&str]) -> usize {
    let mut from = 0;
    let mut line = 0;
    let lines: Vec<&str> = text.lines().collect();
    for key in keys {
        let found = lines.iter().enumerate().skip(from).find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            l.strip_prefix(key)
                .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
        match found {
            Some((i, _)) => {
                line = i;
                from = i + 1;
            }
            None => break,
        }
    }
    first_line + line
}

/// The 1-based line of each top-level `- ` item of a YAML list, in order, found in one pass
/// (a problem per item must not rescan the file: 40,000 picks took 22 s that way).
pub(super) fn item_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("- ") || *l == "-")
        .map(|(n, _)| n + 1)
        .collect()
}

/// The 1-based line of each top-level key of a YAML mapping (`key:` or `"key":` at the start
/// of a line), found in one pass.
pub(super) fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with(|c: char| c.is_whitespace() || c == '#' || c == '-') {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim();
            let key = key
                .strip_prefix('"')
                .and_then(|k| k.strip_suffix('"'))
                .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
                .unwrap_or(key);
            lines.entry(key.to_string()).or_insert(n + 1);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{item_lines, key_lines, line_of};

    #[test]
    fn items_and_top_level_keys_are_found_on_their_lines() {
        let list = "# picks\n- a\n- \"b\"\n  # note\n-\n  c\n";
        assert_eq!(item_lines(list), [2, 3, 5]);
        let map = "a:\n  views: 1\n\"b-c\": {views: 2}\n# d:\n'e': 3\n";
        let lines = key_lines(map);
        assert_eq!(lines.get("a"), Some(&1));
        assert_eq!(lines.get("b-c"), Some(&3));
        assert_eq!(lines.get("e"), Some(&5));
        assert_eq!(lines.get("views"), None, "nested keys are not top-level");
        assert_eq!(lines.get("d"), None, "comments are not keys");
    }

    #[test]
    fn keys_are_found_on_their_lines_even_when_nested() {
        let yaml = "title: x\nimage:\n  src: a\n  alt: b\nsection: news\n";
        assert_eq!(line_of(yaml, 2, &["title"]), 2);
        assert_eq!(line_of(yaml, 2, &["image", "alt"]), 5);
        assert_eq!(line_of(yaml, 2, &["section"]), 6);
        assert_eq!(line_of(yaml, 2, &["missing"]), 2);
    }
}
