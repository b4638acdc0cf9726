//! Content is text, never HTML; links and images only with the schemes the contract allows.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::*;

const SCRIPT: &str = "<script>window.__pwned=1</script>";

#[wasm_bindgen_test]
async fn hostile_strings_render_as_text_and_unsafe_urls_never_become_links() {
    let page = mount_app("/news/hostile", config());
    page.wait_for("article.story[data-state=ready]").await;
    assert!(page.text("h1").starts_with(SCRIPT), "markup shows as text");
    assert!(
        page.text(".story__standfirst").contains("&amp; &lt;b&gt;"),
        "entities are not decoded"
    );
    assert!(page
        .all("article script, article img[onerror], article [onerror]")
        .is_empty());
    assert_eq!(eval_string("String(window.__pwned)"), "undefined");

    assert!(page
        .all("a[href^='javascript'], a[href^='data'], img[src^='javascript'], img[src^='data']")
        .is_empty());
    let rich = page.all(".story__body p")[1].text_content().unwrap();
    assert!(
        rich.starts_with("js link data link"),
        "unsafe links keep their words: {rich}"
    );
    assert!(
        page.find(".story__lead img").is_none(),
        "a javascript: lead image is not loaded"
    );
    assert!(
        page.all("article source").is_empty(),
        "no hostile rendition becomes a source"
    );
    assert!(
        page.find(".picture__placeholder").is_none(),
        "an SVG placeholder is not shown"
    );
    assert!(
        page.find(".story-meta__source a").is_none(),
        "a javascript: source is plain text"
    );
    assert_eq!(
        page.all(".story__body h3").len(),
        1,
        "an out-of-range heading level becomes h3"
    );
    assert!(
        page.text(".story__body").contains("نص من اليمين"),
        "right-to-left text kept"
    );
}
