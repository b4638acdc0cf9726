use leptos::prelude::*;

use super::message::message;
use super::time::Time;
use crate::config::{use_config, Config};
use crate::format;
use crate::links::{is_external, safe_href};
use crate::messages::Msg;
use crate::model::{Article, Person, Source};

/// Who wrote the story, where and when it was filed, how often it was read and how long it
/// takes to read. The words around the names and times are the catalogue's.
#[component]
pub fn StoryMeta(article: Article) -> impl IntoView {
    let config = use_config();
    let minutes = article.reading_minutes();
    let Article {
        byline,
        source,
        dateline,
        published_at,
        updated_at,
        views,
        ..
    } = article;
    let byline = byline.filter(|people| !people.is_empty());
    // The live count when a reactions service has given one; the published one until then.
    let live = use_context::<super::reaction::LiveViews>();
    let views = {
        let config = config.clone();
        move || {
            let n = live.and_then(|l| l.0.get()).unwrap_or(views);
            format::counted(&config, Msg::Views, n)
        }
    };
    let reading = format::counted(&config, Msg::ReadingTime, minutes as u64);
    view! {
        <div class="story-meta">
            {byline.map(|people| {
                let names = people_view(&config, people);
                view! { <p class="story-meta__byline">{message(&config, Msg::Byline, vec![("names", names)])}</p> }
            })}
            {source.map(|s| source_view(&config, s))}
            <p class="story-meta__dateline">
                {dateline.map(|d| view! { <bdi class="story-meta__place">{d}</bdi> })}
                <span>{message(&config, Msg::Published, vec![("time", view! { <Time at=published_at full=true /> }.into_any())])}</span>
                {updated_at.map(|u| view! { <span>{message(&config, Msg::Updated, vec![("time", view! { <Time at=u /> }.into_any())])}</span> })}
            </p>
            <p class="story-meta__stats">
                <span class="story-meta__views">{views}</span>
                <span>{reading}</span>
            </p>
        </div>
    }
}

fn people_view(config: &Config, people: Vec<Person>) -> AnyView {
    let count = people.len();
    people
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let joiner = if i + 1 == count {
                None
            } else if i + 2 == count {
                Some(config.t(Msg::ListLastSeparator).to_string())
            } else {
                Some(config.t(Msg::ListSeparator).to_string())
            };
            let name = view! { <bdi class="person__name">{p.name}</bdi> }.into_any();
            let person = match p.role {
                Some(role) => message(
                    config,
                    Msg::PersonRole,
                    vec![
                        ("name", name),
                        (
                            "role",
                            view! { <bdi class="person__role">{role}</bdi> }.into_any(),
                        ),
                    ],
                ),
                None => vec![name],
            };
            view! {
                <span class="person">{person}</span>
                {joiner}
            }
            .into_any()
        })
        .collect_view()
        .into_any()
}

fn source_view(config: &Config, source: Source) -> impl IntoView {
    let href = source.url.as_deref().and_then(safe_href).map(|href| {
        if is_external(href) {
            (href.to_string(), Some("noopener noreferrer"))
        } else {
            (config.href(href), None)
        }
    });
    let name = match href {
        Some((href, rel)) => view! { <a href=href rel=rel><bdi>{source.name}</bdi></a> }.into_any(),
        None => view! { <bdi>{source.name}</bdi> }.into_any(),
    };
    view! { <p class="story-meta__source">{message(config, Msg::Source, vec![("source", name)])}</p> }
}
