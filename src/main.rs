use broadsheet::App;
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // The static skeleton in index.html is only for the first paint; the app replaces it.
    if let Some(el) = document().get_element_by_id("boot") {
        el.remove();
    }
    mount_to_body(|| view! { <App /> });
}
