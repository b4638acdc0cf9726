//! The JSON API of the content contract (`../shared/api.md`), generated from the content.

use std::collections::BTreeMap;
use std::path::PathBuf;

use broadsheet::messages::Msg;
use broadsheet::model::json::{from_str, Decode};
use broadsheet::model::{
    parse_rfc3339, Article, Card, CardList, Home, HomeSection, Section, SectionFront, Validate,
};

use crate::content::{Content, MAX_PICKS};
use crate::related::related;
use crate::report::Problem;

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
        title: Some(content.site.messages.text(Msg::MostRead).into()),
        items: by_views.into_iter().take(RANKING_SIZE).map(card).collect(),
    };
    files.insert("rankings.json".into(), json(&ranking));

    let picks = CardList {
        title: Some(content.site.messages.text(Msg::Recommendation).into()),
        items: content
            .picks
            .iter()
            .filter_map(|slug| articles.iter().find(|a| &a.slug == slug))
            .take(MAX_PICKS)
            .map(card)
            .collect(),
    };
    files.insert("recommendations.json".into(), json(&picks));

    for article in articles {
        files.insert(format!("articles/{}.json", article.slug), json(article));
    }

    // For the engagement service: which articles exist (it answers any other id with 404),
    // and the cards its most-read list is made of.
    let manifest = serde_json::json!({
        "most_read_title": content.site.messages.text(Msg::MostRead),
        "articles": articles
            .iter()
            .map(|a| serde_json::json!({ "id": a.id, "card": card(a) }))
            .collect::<Vec<_>>(),
    });
    files.insert("manifest.json".into(), manifest.to_string());
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

/// Every file read back with the app's own decoders and checks, as a reader's browser will
/// read it, on `jobs` threads. A file the app would refuse ("This story could not be read")
/// or read only in part is a problem of the content it came from, found before anything is
/// published.
pub fn check(files: &Files, content: &Content, jobs: usize) -> Vec<Problem> {
    let all: Vec<(&String, &String)> = files.iter().collect();
    let chunk = all.len().div_ceil(jobs.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = all
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|(path, json)| check_file(path, json, content))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn check_file(path: &str, json: &str, content: &Content) -> Option<Problem> {
    let result = match path {
        "sections.json" => read_back::<Vec<Section>>(json),
        "home.json" => read_back::<Home>(json),
        "rankings.json" | "recommendations.json" => read_back::<CardList>(json),
        p if p.starts_with("sections/") => read_back::<SectionFront>(json),
        p if p.starts_with("articles/") => read_back::<Article>(json),
        _ => Ok(()),
    };
    let message = result.err()?;
    let source = path
        .strip_prefix("articles/")
        .and_then(|p| p.strip_suffix(".json"))
        .and_then(|slug| content.files.get(slug))
        .cloned()
        .unwrap_or_else(|| PathBuf::from("api").join(path));
    Some(Problem::new(
        &source,
        0,
        &format!("api/{path}"),
        format!("the app would not read what press wrote: {message}"),
    ))
}

fn read_back<T: Decode + Validate + serde::Serialize>(json: &str) -> Result<(), String> {
    let read: T = from_str(json)?;
    read.validate().map_err(|e| e.to_string())?;
    let written: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if serde_json::to_value(&read).ok() != Some(written) {
        return Err("it holds more than the app reads (a list longer than the app's limit)".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::read_back;
    use broadsheet::model::CardList;

    const CARD: &str = r#"{"slug":"a","title":"T","section":{"slug":"news","name":"News"},"published_at":"2025-01-01T00:00:00Z"}"#;

    #[test]
    fn a_file_is_read_back_as_the_app_reads_it() {
        assert_eq!(
            read_back::<CardList>(&format!(r#"{{"items":[{CARD}]}}"#)),
            Ok(())
        );
        let long = format!(r#"{{"items":[{}]}}"#, vec![CARD; 101].join(","));
        assert!(read_back::<CardList>(&long)
            .expect_err("too long")
            .contains("longer"));
        let bad_count = CARD.replace(r#""title":"T""#, r#""title":"T","views":9007199254740993"#);
        let error = read_back::<CardList>(&format!(r#"{{"items":[{bad_count}]}}"#))
            .expect_err("beyond 2^53 - 1");
        assert!(error.contains("items[0].views"), "{error}");
        let bad_size = CARD.replace(
            r#""title":"T""#,
            r#""title":"T","image":{"src":"images/a.svg","alt":"A","width":0,"height":1}"#,
        );
        assert!(read_back::<CardList>(&format!(r#"{{"items":[{bad_size}]}}"#)).is_err());
    }
}
