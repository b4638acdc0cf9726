use leptos::html::H1;
use leptos::prelude::*;

use crate::components::head::{PageMeta, PageTitle};

use super::not_found::NotFound;
use crate::api::{ApiError, Endpoint};
use crate::components::card::StoryCard;
use crate::components::error_panel::ErrorPanel;
use crate::components::skeleton::FrontSkeleton;
use crate::load::{load, Load};
use crate::messages::Msg;
use crate::model::{distinct_cards, newest_first, SectionFront};
use crate::navigation::use_arrival;

/// `/{section}`: the section front, newest first. Recreated (and the old request aborted)
/// when the section changes. The router only gives it slugs of the contract's pattern.
#[component]
pub fn SectionPage(slug: String) -> impl IntoView {
    let front = load::<SectionFront>(Endpoint::Section(slug));
    move || match front.state.get() {
        Load::Loading => view! { <FrontSkeleton /> }.into_any(),
        Load::Failed(ApiError::NotFound) => view! { <NotFound /> }.into_any(),
        Load::Failed(error) => {
            view! { <ErrorPanel error=error on_retry=move || front.retry() /> }.into_any()
        }
        Load::Ready(front) => view! { <SectionView front=front /> }.into_any(),
    }
}

#[component]
fn SectionView(front: SectionFront) -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    use_arrival(heading);
    let mut cards = distinct_cards(&front.articles, None);
    newest_first(&mut cards);
    let name = front.section.name;
    let config = crate::config::use_config();
    let description = config.fill(
        Msg::SectionDescription,
        &[("section", &name), ("site", &config.site_name)],
    );
    let empty = cards.is_empty();
    view! {
        <PageTitle text=name.clone() />
        <PageMeta name="description" content=description />
        <header class="section-head">
            <h1 tabindex="-1" node_ref=heading>{name}</h1>
        </header>
        {empty.then(|| view! { <p class="empty-note">{config.t(Msg::SectionEmpty).to_string()}</p> })}
        <ul class="card-grid card-grid--section">
            {cards.into_iter().map(|card| view! { <li><StoryCard card=card standfirst=true level=2 /></li> }).collect_view()}
        </ul>
    }
}
