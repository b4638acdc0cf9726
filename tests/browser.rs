//! Component tests in headless Chromium: the real components mounted into the page, fed by
//! fixture files that the test runner serves same-origin under /tests/fixtures/api.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/support.rs"]
mod support;

#[path = "browser/article_page.rs"]
mod article_page;
#[path = "browser/carousel.rs"]
mod carousel;
#[path = "browser/config.rs"]
mod config;
#[path = "browser/hostile.rs"]
mod hostile;
#[path = "browser/json.rs"]
mod json;
#[path = "browser/reaction.rs"]
mod reaction;
#[path = "browser/router.rs"]
mod router;
#[path = "browser/states.rs"]
mod states;
