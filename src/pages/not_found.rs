use leptos::html::H1;
use leptos::prelude::*;

use crate::components::head::{PageMeta, PageTitle};

use crate::config::site;
use crate::navigation::use_arrival;

/// The page for any address that holds no story: says so and offers the way home.
#[component]
pub fn NotFound() -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    view! {
        <PageTitle text="Page not found" />
        <PageMeta name="robots" content="noindex" />
        <section class="not-found" data-state="not-found">
            <h1 tabindex="-1" node_ref=heading>"Page not found"</h1>
            <p>"There is no story at this address. It may have moved, or the link may be mistyped."</p>
            <p>
                <a href=site("/") class="button">"Go to the front page"</a>
            </p>
        </section>
    }
}
