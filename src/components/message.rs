//! Messages of the catalogue whose placeholders hold views (a linked name, a `<time>`),
//! so the words around them stay the catalogue's in every language.

use leptos::prelude::*;

use crate::config::Config;
use crate::messages::{parts, Msg, Part};

/// A message of the catalogue with views in its placeholders: the words are text, each
/// `{slot}` the view given for it (a placeholder without one is left out, and a view is used
/// once).
pub fn message(config: &Config, msg: Msg, slots: Vec<(&str, AnyView)>) -> Vec<AnyView> {
    let mut slots: Vec<(&str, Option<AnyView>)> =
        slots.into_iter().map(|(k, v)| (k, Some(v))).collect();
    parts(config.t(msg))
        .into_iter()
        .filter_map(|part| match part {
            Part::Words(words) => Some(words.to_string().into_any()),
            Part::Slot(name) => slots
                .iter_mut()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.take()),
        })
        .collect()
}
