//! The JSON API of the content contract (`../shared/api.md`), generated from the content.

use std::collections::BTreeMap;

use broadsheet::model::{
    parse_rfc3339, Article, Card, CardList, Home, HomeSection, Section, SectionFront,
};

use crate::content::Content;
use crate::related::related;

/// Cards per section on the front page.
pub const HOME_PER_SECTION: usize = 4;
/// Stories in Ranking ("Most read").
pub const RANKING_SIZE: usize = 10;
/// Newest stories listed on a section front.
pub const SECTION_FRONT_SIZE: usize = 60;

/// Every file of the API, by path under the API folder (`articles/x.json`), as JSON text.
pub type Files = BTreeMap<String, String>;

pub fn card(article: &Article) -> Card {
    Card {
        slug: article.slug.clone(),
        title: article.title.clone(),
        section: article.section.clone(),
        published_at: article.published_at.clone(),
        standfirst: article.standfirst.clone(),
        image: article.image.clone(),
        views: Some(article.views),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    // Serialising the contract's own types cannot fail; an empty object is never written.
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

/// The articles with Related filled in, newest first (ties by slug).
pub fn finish(content: &Content) -> Vec<Article> {
    let lists = related(&content.articles, &content.texts);
    let mut articles: Vec<Article> = content
        .articles
        .iter()
        .zip(&lists)
        .map(|(article, list)| Article {
            related: list.iter().map(|&i| card(&content.articles[i])).collect(),
            ..article.clone()
        })
        .collect();
    articles.sort_by(|a, b| {
        let (ta, tb) = (
            parse_rfc3339(&a.published_at).unwrap_or_default(),
            parse_rfc3339(&b.published_at).unwrap_or_default(),
        );
        tb.cmp(&ta).then_with(|| a.slug.cmp(&b.slug))
    });
    articles
}

/// All API files for `articles` (newest first, as [`finish`] gives them).
pub fn files(content: &Content, articles: &[Article]) -> Files {
    let mut files = Files::new();
    files.insert("sections.json".into(), json(&content.sections));

    for section in &content.sections {
        let front = SectionFront {
            section: section.clone(),
            articles: in_section(articles, section)
                .take(SECTION_FRONT_SIZE)
                .map(card)
                .collect(),
        };
        files.insert(format!("sections/{}.json", section.slug), json(&front));
    }

    if let Some(lead) = articles
        .iter()
        .find(|a| a.image.is_some())
        .or(articles.first())
    {
        let home = Home {
            lead: card(lead),
            sections: content
                .sections
                .iter()
                .map(|section| HomeSection {
                    section: section.clone(),
                    articles: in_section(articles, section)
                        .filter(|a| a.slug != lead.slug)
                        .take(HOME_PER_SECTION)
                        .map(card)
                        .collect(),
                })
                .filter(|s| !s.articles.is_empty())
                .collect(),
        };
        files.insert("home.json".into(), json(&home));
    }

    let mut by_views: Vec<&Article> = articles.iter().collect();
    by_views.sort_by_key(|a| std::cmp::Reverse(a.views)); // stable: newest first among equals
    let ranking = CardList {
        title: Some("Most read".into()),
        items: by_views.into_iter().take(RANKING_SIZE).map(card).collect(),
    };
    files.insert("rankings.json".into(), json(&ranking));

    let picks = CardList {
        title: Some("Editors' picks".into()),
        items: content
            .picks
            .iter()
            .filter_map(|slug| articles.iter().find(|a| &a.slug == slug))
            .map(card)
            .collect(),
    };
    files.insert("recommendations.json".into(), json(&picks));

    for article in articles {
        files.insert(format!("articles/{}.json", article.slug), json(article));
    }
    files
}

fn in_section<'a>(
    articles: &'a [Article],
    section: &'a Section,
) -> impl Iterator<Item = &'a Article> + 'a {
    articles
        .iter()
        .filter(move |a| a.section.slug == section.slug)
}
