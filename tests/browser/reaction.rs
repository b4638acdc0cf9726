//! The veryGood! reaction button, in static mode and against a reactions service.

use broadsheet::components::reaction::{storage_key, ReactionButton};
use broadsheet::config::Config;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{HtmlButtonElement, MouseEvent, MouseEventInit};

use crate::support::*;

fn mount_button(config: Config, id: &'static str, count: u64) -> Mounted {
    mount_view(
        config,
        move || view! { <ReactionButton article_id=id.to_string() count=count /> },
    )
}

fn button(page: &Mounted) -> HtmlButtonElement {
    page.get("button.reaction__button").unchecked_into()
}

fn pressed(page: &Mounted) -> String {
    button(page).get_attribute("aria-pressed").unwrap()
}

fn shown(page: &Mounted) -> String {
    page.text(".reaction__number")
}

fn click_with_detail(page: &Mounted, detail: i32) {
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_detail(detail);
    let ev = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    button(page).dispatch_event(&ev).unwrap();
}

fn storage_item(key: &str) -> Option<String> {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

#[wasm_bindgen_test]
async fn pressing_toggles_one_reaction_and_pressing_again_takes_it_back() {
    clear_storage();
    let page = mount_button(config(), "t-toggle", 41);
    assert_eq!(
        (pressed(&page), shown(&page)),
        ("false".into(), "41".into())
    );
    let label = button(&page).text_content();
    button(&page).click();
    leptos::task::tick().await;
    assert_eq!((pressed(&page), shown(&page)), ("true".into(), "42".into()));
    assert_eq!(
        button(&page).text_content(),
        label,
        "the label does not change"
    );
    assert_eq!(storage_item(&storage_key("t-toggle")).as_deref(), Some("1"));
    button(&page).click();
    leptos::task::tick().await;
    assert_eq!(
        (pressed(&page), shown(&page)),
        ("false".into(), "41".into())
    );
    assert_eq!(storage_item(&storage_key("t-toggle")), None);
}

#[wasm_bindgen_test]
async fn a_double_click_counts_once() {
    clear_storage();
    let page = mount_button(config(), "t-double", 7);
    click_with_detail(&page, 1);
    click_with_detail(&page, 2);
    leptos::task::tick().await;
    assert_eq!((pressed(&page), shown(&page)), ("true".into(), "8".into()));
}

#[wasm_bindgen_test]
async fn the_reaction_is_remembered_across_reloads() {
    clear_storage();
    {
        let page = mount_button(config(), "t-persist", 3);
        button(&page).click();
        leptos::task::tick().await;
    }
    let reloaded = mount_button(config(), "t-persist", 3);
    assert_eq!(
        (pressed(&reloaded), shown(&reloaded)),
        ("true".into(), "4".into())
    );
    let other = mount_button(config(), "t-other", 3);
    assert_eq!(
        pressed(&other),
        "false",
        "one article's reaction is not another's"
    );
}

#[wasm_bindgen_test]
async fn the_count_is_a_polite_live_region_and_the_button_is_big_enough() {
    clear_storage();
    let page = mount_button(config(), "t-a11y", 1200);
    let count = page.get(".reaction__count");
    assert_eq!(count.get_attribute("aria-live").as_deref(), Some("polite"));
    assert!(
        !button(&page)
            .text_content()
            .unwrap_or_default()
            .contains("1"),
        "the count is not part of the button's name"
    );
    assert_eq!(button(&page).type_(), "button");
    let rect = button(&page).get_bounding_client_rect();
    assert!(
        rect.width() >= 24.0 && rect.height() >= 24.0,
        "{}x{}",
        rect.width(),
        rect.height()
    );
    let expected = eval_string("new Intl.NumberFormat().format(1200)");
    assert_eq!(shown(&page), expected);
}

fn service() -> Config {
    Config {
        reactions_url: Some("https://reactions.test/v1".into()),
        ..config()
    }
}

#[wasm_bindgen_test]
async fn with_a_service_the_count_comes_from_it_and_changes_are_sent() {
    clear_storage();
    let _fetch = fake_fetch(
        "const json = (body) => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
         window.__ids = (window.__ids || []).concat([request.method + ' ' + !!request.headers.get('X-Reader-Id')]);
         if (request.method === 'GET') return json({ counts: { very_good: 90 }, mine: [] });
         if (!request.headers.get('X-Reader-Id')) return Promise.resolve(new Response('', { status: 400 }));
         if (request.method === 'PUT') return json({ counts: { very_good: 91 }, mine: ['very_good'] });
         return json({ counts: { very_good: 90 }, mine: [] });",
    );
    js_sys::eval("window.__ids = []").unwrap();
    let page = mount_button(service(), "t-service", 5);
    page.wait_until("the service's count shows", || shown(&page) == "90")
        .await;
    assert_eq!(
        storage_item("broadsheet:reader-id"),
        None,
        "reading the counts creates nothing in the browser"
    );
    button(&page).click();
    page.wait_until("the PUT answer applied", || {
        fetched().len() == 2 && shown(&page) == "91"
    })
    .await;
    assert_eq!(pressed(&page), "true");
    assert_eq!(
        fetched()[1],
        "https://reactions.test/v1/articles/t-service/reactions/very_good"
    );
    assert_eq!(
        storage_item(&storage_key("t-service")),
        None,
        "service mode keeps no reaction locally"
    );
    assert!(
        storage_item("broadsheet:reader-id").is_some(),
        "the first reaction makes the reader's id"
    );
    assert_eq!(eval_string("window.__ids.join(',')"), "GET false,PUT true");
}

#[wasm_bindgen_test]
async fn a_failing_service_rolls_the_count_back_and_says_so() {
    clear_storage();
    let _fetch = fake_fetch(
        "if (request.method === 'GET') return Promise.resolve(new Response(JSON.stringify({ counts: { very_good: 12 }, mine: [] })));
         return Promise.resolve(new Response('{\"counts\": \"garbage', { status: 200 }));",
    );
    let page = mount_button(service(), "t-rollback", 0);
    page.wait_until("the service's count shows", || shown(&page) == "12")
        .await;
    button(&page).click();
    leptos::task::tick().await;
    assert_eq!(shown(&page), "13", "optimistic");
    page.wait_until("rolled back", || shown(&page) == "12")
        .await;
    assert_eq!(pressed(&page), "false");
    assert!(page
        .text(".reaction__message")
        .contains("could not be saved"));
}

#[wasm_bindgen_test]
async fn requests_go_one_at_a_time_and_the_page_ends_as_the_service_says() {
    clear_storage();
    // PUT succeeds slowly; DELETE fails. The second press waits for the first answer.
    let _fetch = fake_fetch(
        "window.__methods = (window.__methods || []).concat([request.method]);
         const json = (body) => new Response(JSON.stringify(body), { status: 200 });
         if (request.method === 'GET') return Promise.resolve(json({ counts: { very_good: 12 }, mine: [] }));
         if (request.method === 'PUT') return new Promise((ok) => setTimeout(() => ok(json({ counts: { very_good: 13 }, mine: ['very_good'] })), 150));
         return Promise.resolve(new Response('down', { status: 503 }));",
    );
    let page = mount_button(service(), "t-serial", 0);
    page.wait_until("the service's count shows", || shown(&page) == "12")
        .await;
    button(&page).click();
    leptos::task::tick().await;
    button(&page).click();
    leptos::task::tick().await;
    assert_eq!(
        (pressed(&page), shown(&page)),
        ("false".into(), "12".into())
    );
    page.wait_until("the failed DELETE is reported", || {
        page.text(".reaction__message")
            .contains("could not be saved")
    })
    .await;
    assert_eq!(
        (pressed(&page), shown(&page)),
        ("true".into(), "13".into()),
        "the PUT was saved, so the page shows it"
    );
    assert_eq!(
        eval_string("window.__methods.join(',')"),
        "GET,PUT,DELETE",
        "DELETE only after PUT answered"
    );
}

#[wasm_bindgen_test]
async fn a_press_while_the_counts_load_is_kept_and_sent() {
    clear_storage();
    let _fetch = fake_fetch(
        "const json = (body) => new Response(JSON.stringify(body), { status: 200 });
         if (request.method === 'GET') return new Promise((ok) => setTimeout(() => ok(json({ counts: { very_good: 30 }, mine: [] })), 150));
         return Promise.resolve(json({ counts: { very_good: 31 }, mine: ['very_good'] }));",
    );
    let page = mount_button(service(), "t-early", 30);
    button(&page).click();
    leptos::task::tick().await;
    assert_eq!(pressed(&page), "true");
    page.wait_until("the press was sent and saved", || {
        fetched().len() == 2 && shown(&page) == "31"
    })
    .await;
    assert_eq!(pressed(&page), "true");
}

#[wasm_bindgen_test]
async fn opening_a_story_counts_one_read_with_a_service_and_none_without() {
    clear_storage();
    let _fetch = fake_fetch(
        "if (url.startsWith('https://reactions.test/')) {
           window.__reads = (window.__reads || []).concat([request.method + ' ' + url + ' ' + !!request.headers.get('X-Reader-Id') + ' ' + (request.headers.get('Content-Type') || 'none')]);
           if (request.method === 'POST') return Promise.resolve(new Response(null, { status: 204 }));
           return Promise.resolve(new Response(JSON.stringify({ counts: { very_good: 3 }, mine: [] })));
         }
         return real(url);",
    );
    js_sys::eval("window.__reads = []").unwrap();
    let page = mount_app("/news/harbour-lights", service());
    page.wait_for("article.story[data-state=ready]").await;
    page.wait_until("the read is counted", || {
        eval_string("String(window.__reads.filter((r) => r.startsWith('POST')).length)") == "1"
    })
    .await;
    for _ in 0..20 {
        leptos::task::tick().await;
        broadsheet::browser::sleep(5).await;
    }
    assert_eq!(
        eval_string("window.__reads.filter((r) => r.startsWith('POST'))[0]"),
        "POST https://reactions.test/v1/articles/fx-harbour/views false none",
        "one POST to the views endpoint: no header (no preflight), no id made"
    );
    assert_eq!(storage_item("broadsheet:reader-id"), None);
    drop(page);

    js_sys::eval("window.__reads = []; window.__fetched = []").unwrap();
    let page = mount_app("/news/harbour-lights", config());
    page.wait_for("article.story[data-state=ready]").await;
    for _ in 0..10 {
        leptos::task::tick().await;
    }
    assert_eq!(
        eval_string("String(window.__reads.length)"),
        "0",
        "static mode sends nothing"
    );
    assert!(
        !fetched().iter().any(|url| url.ends_with("/views")),
        "no read counted anywhere in static mode: {:?}",
        fetched()
    );
    drop(page);
}

#[wasm_bindgen_test]
async fn a_read_the_first_view_counted_is_not_counted_again_by_the_app() {
    clear_storage();
    let _fetch = fake_fetch(
        "if (url.startsWith('https://reactions.test/')) {
           if (request.method === 'POST') window.__posts = (window.__posts || 0) + 1;
           if (request.method === 'POST') return Promise.resolve(new Response(null, { status: 204 }));
           return Promise.resolve(new Response(JSON.stringify({ counts: { very_good: 3 }, mine: [] })));
         }
         return real(url);",
    );
    js_sys::eval("window.__posts = 0").unwrap();
    let page = mount_app("/news/harbour-lights", service());
    // As the island (src/island.js) leaves the page when it has counted this story's read.
    crate::support::document()
        .document_element()
        .unwrap()
        .set_attribute("data-read-counted", "fx-harbour")
        .unwrap();
    page.wait_for("article.story[data-state=ready]").await;
    for _ in 0..20 {
        leptos::task::tick().await;
        broadsheet::browser::sleep(5).await;
    }
    assert_eq!(
        eval_string("String(window.__posts)"),
        "0",
        "counted once a page"
    );
    drop(page);
}

#[wasm_bindgen_test]
async fn the_story_shows_the_live_read_count_the_service_gives() {
    clear_storage();
    let _fetch = fake_fetch(
        "if (url.startsWith('https://reactions.test/')) {
           if (request.method === 'POST') return Promise.resolve(new Response(null, { status: 204 }));
           return Promise.resolve(new Response(JSON.stringify({ counts: { very_good: 3 }, views: 123456, mine: [] })));
         }
         return real(url);",
    );
    let page = mount_app("/news/harbour-lights", service());
    page.wait_for("article.story[data-state=ready]").await;
    page.wait_until("the live count shows", || {
        page.text(".story-meta__views") == "123,456 views"
    })
    .await;
    drop(page);
}
