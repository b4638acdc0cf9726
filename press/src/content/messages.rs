//! `content/messages.yaml`: the publisher's own wording, laid over the catalogue Broadsheet
//! ships for the site's language (`messages/*.json` in the app), with English for whatever
//! neither gives.
//!
//! ```yaml
//! reaction: "Great read!"
//! views:
//!   one: "{count} reader"
//!   other: "{count} readers"
//! ```
//!
//! A key that is not a message, a placeholder the message does not have, or a plural form
//! that is not a CLDR category is a problem at its line; a message still in English on a site
//! in another language is a warning.

use std::path::Path;

use broadsheet::messages::{slots, Catalogue, Msg, Text, CATEGORIES};

use super::yaml::{line_of, read_text, yaml_message};
use crate::report::{Problem, Problems};

/// The site's catalogue for `language`, with the overrides of `dir/messages.yaml` if there is
/// one. Problems go to `problems`, warnings to `warnings`.
pub fn load(
    dir: &Path,
    language: &str,
    problems: &mut Problems,
    warnings: &mut Vec<Problem>,
) -> Catalogue {
    let english = Catalogue::english();
    let shipped = broadsheet::messages::shipped(language);
    let mut catalogue = match shipped {
        Some(text) => Catalogue::from_json(text, &english).0,
        None => english.as_ref().clone(),
    };
    let mut given = vec![shipped.is_some(); Msg::ALL.len()];

    let file = dir.join("messages.yaml");
    if file.exists() {
        if let Some(text) = read_text(&file, problems) {
            read_overrides(&file, &text, &mut catalogue, &mut given, problems);
        }
    }

    let untranslated: Vec<&str> = Msg::ALL
        .iter()
        .zip(&given)
        .filter(|(_, given)| !**given)
        .map(|(msg, _)| msg.key())
        .collect();
    let primary = language.split('-').next().unwrap_or_default();
    if !untranslated.is_empty() && primary != "en" {
        let shown: Vec<&str> = untranslated.iter().take(6).copied().collect();
        warnings.push(Problem::new(
            &file,
            0,
            "messages",
            format!(
                "{} of {} messages have no {language:?} wording and are in English ({}{}); \
                 give them in this file",
                untranslated.len(),
                Msg::ALL.len(),
                shown.join(", "),
                if untranslated.len() > shown.len() {
                    ", ..."
                } else {
                    ""
                }
            ),
        ));
    }
    catalogue
}

fn read_overrides(
    file: &Path,
    text: &str,
    catalogue: &mut Catalogue,
    given: &mut [bool],
    problems: &mut Problems,
) {
    let map: serde_yaml::Mapping = match serde_yaml::from_str(text) {
        Ok(serde_yaml::Value::Null) => return,
        Ok(serde_yaml::Value::Mapping(map)) => map,
        Ok(_) => {
            problems.push(Problem::new(
                file,
                1,
                "messages",
                "expected message keys with their text, e.g. `reaction: \"Great read!\"`",
            ));
            return;
        }
        Err(e) => {
            let line = e.location().map_or(0, |l| l.line());
            problems.push(Problem::new(file, line, "yaml", yaml_message(&e)));
            return;
        }
    };
    let english = Catalogue::english();
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_string) else {
            problems.push(Problem::new(file, 0, "messages", "every key must be text"));
            continue;
        };
        let line = line_of(text, 1, &[&key]);
        let mut report = |message: String| {
            problems.push(Problem::new(file, line, &key, message));
        };
        let Some(msg) = Msg::ALL.iter().copied().find(|m| m.key() == key) else {
            let near = Msg::ALL
                .iter()
                .map(|m| m.key())
                .min_by_key(|k| distance(k, &key))
                .unwrap_or_default();
            report(format!("is not a message (did you mean {near:?}?)"));
            continue;
        };
        let parsed = match value {
            serde_yaml::Value::String(text) => Ok(Text::Plain(text)),
            serde_yaml::Value::Mapping(forms) => plural(forms),
            _ => Err("expected text, or plural forms (one: ..., other: ...)".to_string()),
        };
        let text = match parsed {
            Ok(text) => text,
            Err(message) => {
                report(message);
                continue;
            }
        };
        let allowed: Vec<&str> = english
            .get(msg)
            .forms()
            .into_iter()
            .flat_map(slots)
            .collect();
        let mut fine = true;
        for form in text.forms() {
            for slot in slots(form) {
                if !allowed.contains(&slot) {
                    fine = false;
                    report(format!(
                        "{{{slot}}} is not a placeholder of this message (it has {})",
                        if allowed.is_empty() {
                            "none".to_string()
                        } else {
                            allowed
                                .iter()
                                .map(|s| format!("{{{s}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    ));
                }
            }
            // The reaction's count is the number the reader sees: every form must show it.
            if msg == Msg::ReactionCount && !slots(form).contains(&"count") {
                fine = false;
                report(format!("{form:?} must hold {{count}}, the number shown"));
            }
        }
        if text.forms().iter().all(|f| f.trim().is_empty()) {
            fine = false;
            report("is empty".into());
        }
        if fine {
            catalogue.set(msg, text);
            given[msg as usize] = true;
        }
    }
}

/// Plural forms from YAML: CLDR categories only, `other` required.
fn plural(forms: serde_yaml::Mapping) -> Result<Text, String> {
    let mut out: [Option<String>; 6] = Default::default();
    for (category, text) in forms {
        let category = category.as_str().unwrap_or_default().to_string();
        let Some(i) = CATEGORIES.iter().position(|c| *c == category) else {
            return Err(format!(
                "{category:?} is not a plural category (use {})",
                CATEGORIES.join(", ")
            ));
        };
        let text = text
            .as_str()
            .ok_or_else(|| format!("{category}: expected text"))?;
        out[i] = Some(text.to_string());
    }
    if out[5].is_none() {
        return Err("plural forms need an `other` form".into());
    }
    Ok(Text::Plural(out))
}

/// Edit distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut last = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (last + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            last = here;
        }
    }
    row[b.len()]
}
