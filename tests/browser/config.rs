//! Configuration read from a hand-edited page: a value the browser's `Intl` refuses falls
//! back with a warning, and never stops the app.

use broadsheet::config::Config;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::document;

/// Sets `<html lang>` and the time-zone meta tag for the length of `check`.
fn with_page(lang: &str, zone: &str, check: impl FnOnce(Config)) {
    let html = document().document_element().expect("html");
    let old_lang = html.get_attribute("lang");
    html.set_attribute("lang", lang).expect("lang");
    let meta = document().create_element("meta").expect("meta");
    meta.set_attribute("name", "broadsheet:time-zone")
        .expect("name");
    meta.set_attribute("content", zone).expect("content");
    document()
        .head()
        .expect("head")
        .append_child(&meta)
        .expect("append");
    let config = Config::from_document();
    meta.remove();
    match old_lang {
        Some(lang) => html.set_attribute("lang", &lang).expect("lang"),
        None => html.remove_attribute("lang").expect("lang"),
    }
    check(config);
}

#[wasm_bindgen_test]
fn a_zone_or_language_the_browser_refuses_falls_back_instead_of_throwing() {
    // Regression: a mistyped time_zone made Intl.DateTimeFormat throw, which stopped the app.
    with_page("de-DE", "Asia/Tokyo", |c| {
        assert_eq!(
            (c.locale.as_str(), c.time_zone.as_str()),
            ("de-DE", "Asia/Tokyo")
        );
    });
    with_page("de-DE", "Europe/Lodnon", |c| {
        assert_eq!((c.locale.as_str(), c.time_zone.as_str()), ("de-DE", "UTC"));
    });
    with_page("en-x", "Asia/Tokyo", |c| {
        assert_eq!(
            (c.locale.as_str(), c.time_zone.as_str()),
            ("en-GB", "Asia/Tokyo")
        );
    });
    // What the app then does with the fallback: format a date without throwing.
    with_page("ja", "Mars/Olympus_Mons", |c| {
        assert!(!broadsheet::format::date_time(&c, 0).is_empty());
    });
}
