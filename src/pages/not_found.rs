use leptos::html::H1;
use leptos::prelude::*;

use crate::components::head::{PageMeta, PageTitle};

use crate::config::use_config;
use crate::messages::Msg;
use crate::navigation::use_arrival;

/// The page for any address that holds no story: says so and offers the way home.
#[component]
pub fn NotFound() -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    let config = use_config();
    let title = config.t(Msg::NotFound).to_string();
    view! {
        <PageTitle text=title.clone() />
        <PageMeta name="robots" content="noindex" />
        <section class="not-found" data-state="not-found">
            <h1 tabindex="-1" node_ref=heading>{title}</h1>
            <p>{config.t(Msg::NotFoundText).to_string()}</p>
            <p>
                <a href=config.href("/") class="button">{config.t(Msg::FrontPage).to_string()}</a>
            </p>
        </section>
    }
}
