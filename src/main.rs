use broadsheet::App;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    let document = document();
    let seeded = broadsheet::takeover::seed_from_page(&document);
    broadsheet::takeover::remove_head_tags(&document);
    match document.get_element_by_id("app") {
        // A pre-rendered page (press): the app renders the same page from the JSON the page
        // carries, then takes the pre-rendered copy's place in one step, with no flash.
        Some(prerendered) if seeded && broadsheet::takeover::rendered_for_here(&prerendered) => {
            // Once the browser is idle after showing the pre-rendered page. Replacing the
            // page's elements sooner, while Chromium is still recording its first paint,
            // makes the app's copies the Largest Contentful Paint instead (measured: LCP
            // moved from first paint to the app's start).
            broadsheet::browser::when_idle(move || {
                broadsheet::takeover::replace(&document, &prerendered);
                broadsheet::takeover::remove_seeds(&document);
            });
        }
        _ => {
            broadsheet::takeover::remove_seeds(&document);
            // The static skeleton in index.html is only for the first paint; so is a page
            // pre-rendered for another path (404.html, served for any unknown address).
            for id in ["boot", "app"] {
                if let Some(el) = document.get_element_by_id(id) {
                    el.remove();
                }
            }
            if let Some(body) = document.body() {
                leptos::mount::mount_to(body.unchecked_into(), || view! { <App /> }).forget();
            }
        }
    }
}
