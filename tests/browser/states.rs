//! Every named state of a page: loading, not found, offline, server error, time-out, bad
//! data, canonical redirects and stale answers.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

#[wasm_bindgen_test]
async fn loading_shows_a_skeleton_then_times_out_into_a_retryable_error() {
    let _fetch = fake_fetch(
        "if (url.includes('/articles/')) return new Promise(() => {});
         return real(request);",
    );
    let page = mount_app(
        "/news/harbour-lights",
        broadsheet::config::Config {
            timeout_ms: 400,
            ..config()
        },
    );
    page.wait_for("[data-state=loading][aria-busy=true]").await;
    page.wait_for(".error-panel[data-state=timed-out]").await;
    assert!(page.find(".error-panel button").is_some(), "Retry offered");
}

#[wasm_bindgen_test]
async fn a_missing_story_is_the_not_found_page_with_a_link_home() {
    let page = mount_app("/news/no-such-story", config());
    page.wait_for(".not-found[data-state=not-found]").await;
    assert_eq!(page.text(".not-found h1"), "Page not found");
    assert!(page.find(".not-found a[href='/']").is_some());
}

#[wasm_bindgen_test]
async fn a_slug_outside_the_pattern_is_not_found_without_a_request() {
    let _fetch = fake_fetch("return real(request);");
    let page = mount_app("/news/Bad_Slug", config());
    page.wait_for(".not-found").await;
    assert!(
        !fetched().iter().any(|u| u.contains("Bad_Slug")),
        "{:?}",
        fetched()
    );
    let deep = mount_app("/news/a/b/c", config());
    deep.wait_for(".not-found").await;
}

#[wasm_bindgen_test]
async fn an_unknown_section_is_not_found() {
    let page = mount_app("/nowhere", config());
    page.wait_for(".not-found").await;
}

#[wasm_bindgen_test]
async fn a_section_front_lists_its_stories_newest_first() {
    let page = mount_app("/news", config());
    page.wait_for(".section-head h1").await;
    assert_eq!(page.text(".section-head h1"), "News");
    let times: Vec<String> = page
        .all(".card-grid time")
        .iter()
        .map(|t| t.get_attribute("datetime").unwrap())
        .collect();
    assert_eq!(times.len(), 5);
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(
        times, sorted,
        "fixture is oldest first; the page shows newest first"
    );
}

#[wasm_bindgen_test]
async fn the_front_page_shows_lead_sections_and_ranking() {
    let page = mount_app("/", config());
    page.wait_for(".lead-story").await;
    assert_eq!(page.text(".lead-story .card__title"), "Fixture story 6");
    assert_eq!(page.all(".front-section").len(), 2);
    page.wait_for("#ranking-track").await;
    assert_eq!(page.all("nav[aria-label=Sections] a").len(), 2);
}

#[wasm_bindgen_test]
async fn malformed_json_says_the_story_could_not_be_read_and_the_app_keeps_working() {
    let page = mount_app("/news/broken-json", config());
    let panel = page.wait_for(".error-panel[data-state=bad-data]").await;
    assert!(panel.text_content().unwrap().contains("could not be read"));
    assert!(
        page.find(".error-panel button").is_none(),
        "no Retry for bad data"
    );
    click_link_to("/news/harbour-lights");
    page.wait_for("article.story[data-state=ready]").await;
}

#[wasm_bindgen_test]
async fn wrong_types_are_bad_data_too() {
    let page = mount_app("/news/wrong-types", config());
    page.wait_for(".error-panel[data-state=bad-data]").await;
}

#[wasm_bindgen_test]
async fn a_server_error_offers_a_retry_that_works() {
    let fetch = fake_fetch(
        "if (url.includes('/articles/')) return Promise.resolve(new Response('down', { status: 503 }));
         return real(request);",
    );
    let page = mount_app("/news/fixture-story-4", config());
    let panel = page.wait_for(".error-panel[data-state=server]").await;
    assert!(panel.text_content().unwrap().contains("503"));
    drop(fetch);
    let retry: web_sys::HtmlElement = page.get(".error-panel button").unchecked_into();
    assert_eq!(retry.text_content().as_deref(), Some("Retry"));
    retry.click();
    page.wait_for("article.story[data-state=ready]").await;
    assert_eq!(page.text("h1"), "Fixture story 4");
}

#[wasm_bindgen_test]
async fn a_network_failure_is_the_offline_state() {
    let _fetch = fake_fetch(
        "if (url.includes('/articles/')) return Promise.reject(new TypeError('Failed to fetch'));
         return real(request);",
    );
    let page = mount_app("/news/fixture-story-6", config());
    page.wait_for(".error-panel[data-state=offline]").await;
}

#[wasm_bindgen_test]
async fn an_article_under_the_wrong_section_moves_to_its_canonical_url() {
    let page = mount_app("/news/moved-story", config());
    page.wait_until("the URL is canonical", || {
        web_sys::window().unwrap().location().pathname().unwrap() == "/science/moved-story"
    })
    .await;
    page.wait_for("article.story[data-state=ready]").await;
    assert_eq!(page.text(".breadcrumb a[aria-current=location]"), "Science");
}

#[wasm_bindgen_test]
async fn a_late_answer_for_a_page_the_reader_left_never_paints_and_is_aborted() {
    let _fetch = fake_fetch(
        "if (url.endsWith('/fixture-story-8.json')) {
           window.__slowSignal = request.signal;
           return new Promise((resolve) => { window.__releaseSlow = () => resolve(real(url)); });
         }
         return real(request);",
    );
    let page = mount_app("/news/fixture-story-8", config());
    page.wait_for("[data-state=loading]").await;
    click_link_to("/news/fixture-story-10");
    page.wait_until("story 10 shows", || {
        page.find("h1").and_then(|h| h.text_content()).as_deref() == Some("Fixture story 10")
    })
    .await;
    assert_eq!(
        eval_string("String(window.__slowSignal && window.__slowSignal.aborted)"),
        "true"
    );
    js_sys::eval("window.__releaseSlow()").unwrap();
    for _ in 0..20 {
        leptos::task::tick().await;
        broadsheet::browser::sleep(5).await;
    }
    assert_eq!(page.text("h1"), "Fixture story 10");
}
