use leptos::prelude::*;

use super::time::Time;
use crate::config::site;
use crate::format;
use crate::links::{is_external, safe_href};
use crate::model::{Article, Person, Source};

/// Who wrote the story, where and when it was filed, how often it was read and how long it
/// takes to read.
#[component]
pub fn StoryMeta(article: Article) -> impl IntoView {
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
    view! {
        <div class="story-meta">
            {byline.map(|people| view! { <p class="story-meta__byline">"By " {people_view(people)}</p> })}
            {source.map(source_view)}
            <p class="story-meta__dateline">
                {dateline.map(|d| view! { <bdi class="story-meta__place">{d}</bdi> })}
                <span>"Published " <Time at=published_at full=true /></span>
                {updated_at.map(|u| view! { <span>"Updated " <Time at=u /></span> })}
            </p>
            <p class="story-meta__stats">
                <span class="story-meta__views">{format::views_label(views, &format::number(views))}</span>
                <span>{format::reading_label(minutes)}</span>
            </p>
        </div>
    }
}

fn people_view(people: Vec<Person>) -> Vec<AnyView> {
    let count = people.len();
    people
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let joiner = match (i + 2).cmp(&count) {
                _ if i + 1 == count => "",
                std::cmp::Ordering::Equal => " and ",
                _ => ", ",
            };
            view! {
                <span class="person">
                    <bdi class="person__name">{p.name}</bdi>
                    {p.role.map(|r| view! { ", " <bdi class="person__role">{r}</bdi> })}
                </span>
                {(!joiner.is_empty()).then_some(joiner)}
            }
            .into_any()
        })
        .collect()
}

fn source_view(source: Source) -> impl IntoView {
    let href = source.url.as_deref().and_then(safe_href).map(|href| {
        if is_external(href) {
            (href.to_string(), Some("noopener noreferrer"))
        } else {
            (site(href), None)
        }
    });
    view! {
        <p class="story-meta__source">
            "Source: "
            {match href {
                Some((href, rel)) => view! { <a href=href rel=rel><bdi>{source.name}</bdi></a> }.into_any(),
                None => view! { <bdi>{source.name}</bdi> }.into_any(),
            }}
        </p>
    }
}
