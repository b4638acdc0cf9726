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

/// Puts a `<script id="broadsheet-messages">` holding `text` into the page for `check`.
fn with_messages(text: &str, check: impl FnOnce(Config)) {
    let script = document().create_element("script").expect("script");
    script
        .set_attribute("type", "application/json")
        .expect("type");
    script.set_id("broadsheet-messages");
    script.set_text_content(Some(text));
    document()
        .head()
        .expect("head")
        .append_child(&script)
        .expect("append");
    let config = Config::from_document();
    script.remove();
    check(config);
}

#[wasm_bindgen_test]
fn the_site_speaks_the_catalogue_its_page_carries() {
    use broadsheet::messages::Msg;
    with_messages(
        r#"{"home": "Startseite", "views": {"one": "{count} Aufruf", "other": "{count} Aufrufe"}}"#,
        |c| {
            assert_eq!(c.t(Msg::Home), "Startseite");
            // What the page lacks is English, not empty.
            assert_eq!(c.t(Msg::Related), "Related");
            let c = Config {
                locale: "de".into(),
                ..c
            };
            assert_eq!(
                broadsheet::format::counted(&c, Msg::Views, 4812),
                "4.812 Aufrufe"
            );
            assert_eq!(broadsheet::format::counted(&c, Msg::Views, 1), "1 Aufruf");
        },
    );
    // A broken catalogue in a hand-edited page: English, and the app goes on.
    for broken in ["{\"home\": ", "[1, 2]", "null", ""] {
        with_messages(broken, |c| {
            assert_eq!(c.t(Msg::Home), "Home", "{broken:?}");
        });
    }
}

#[wasm_bindgen_test]
async fn a_mounted_page_is_in_the_language_of_its_catalogue() {
    use crate::support::{config, mount_app};
    let (catalogue, _) = broadsheet::messages::Catalogue::from_json(
        include_str!("../../messages/ja.json"),
        &broadsheet::messages::Catalogue::english(),
    );
    let page = mount_app(
        "/news/harbour-lights",
        Config {
            locale: "ja".into(),
            time_zone: "Asia/Tokyo".into(),
            messages: std::sync::Arc::new(catalogue),
            ..config()
        },
    );
    page.wait_for("article.story[data-state=ready]").await;
    assert_eq!(page.text(".skip-link"), "本文へスキップ");
    assert_eq!(page.text(".breadcrumb a"), "ホーム");
    assert!(page.text(".story-meta__stats").contains("回閲覧"));
    assert!(page.text(".story-meta__dateline").contains("公開："));
    assert!(page.text(".reaction__button").contains("いいね！"));
}
