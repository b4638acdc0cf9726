//! Related stories, computed: TF-IDF cosine similarity of headline, standfirst and body,
//! plus shared tags. An inverted index keeps it near linear in the number of articles: each
//! article is compared only with articles that share one of its most telling words or a tag.

use std::collections::HashMap;

use broadsheet::model::Article;

/// At most this many related stories per article.
pub const MAX_RELATED: usize = 12;
/// Words kept per article when looking for neighbours: its most telling ones.
const QUERY_TERMS: usize = 32;
/// How much sharing every tag adds, on top of text similarity in 0..=1.
const TAG_WEIGHT: f64 = 0.5;

const STOP: &[&str] = &[
    "about", "after", "again", "also", "and", "are", "been", "before", "being", "but", "can",
    "could", "did", "does", "for", "from", "had", "has", "have", "her", "his", "how", "into",
    "its", "last", "more", "most", "not", "now", "one", "only", "other", "our", "out", "over",
    "said", "says", "she", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "two", "under", "until", "very", "was", "were",
    "what", "when", "where", "which", "while", "who", "will", "with", "would", "year", "years",
    "you", "your",
];

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
}

/// For each article (by index), the indices of its related articles, best first.
pub fn related(articles: &[Article], texts: &[String]) -> Vec<Vec<usize>> {
    let n = articles.len();
    // Term ids and per-document term counts; the headline counts twice.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut docs: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    for (article, text) in articles.iter().zip(texts) {
        let mut counts: HashMap<u32, f64> = HashMap::new();
        let mut add = |w: String, weight: f64| {
            let next = ids.len() as u32;
            let id = *ids.entry(w).or_insert(next);
            *counts.entry(id).or_default() += weight;
        };
        for w in words(&article.title) {
            add(w, 1.0);
        }
        for w in words(text) {
            add(w, 1.0);
        }
        let mut terms: Vec<(u32, f64)> = counts.into_iter().collect();
        terms.sort_unstable_by_key(|(id, _)| *id);
        docs.push(terms);
    }
    let mut df = vec![0_u32; ids.len()];
    for doc in &docs {
        for (id, _) in doc {
            df[*id as usize] += 1;
        }
    }
    // TF-IDF weights, normalised to unit length.
    let idf = |id: u32| ((n as f64 + 1.0) / (f64::from(df[id as usize]) + 1.0)).ln() + 1.0;
    for doc in &mut docs {
        for (id, w) in doc.iter_mut() {
            *w = (1.0 + w.ln()) * idf(*id);
        }
        let norm = doc.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, w) in doc.iter_mut() {
                *w /= norm;
            }
        }
    }
    // Inverted index over each document's most telling terms only.
    let top: Vec<Vec<(u32, f64)>> = docs
        .iter()
        .map(|doc| {
            let mut d = doc.clone();
            d.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            d.truncate(QUERY_TERMS);
            d
        })
        .collect();
    let mut postings: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
    for (doc, terms) in top.iter().enumerate() {
        for (id, w) in terms {
            postings.entry(*id).or_default().push((doc as u32, *w));
        }
    }
    let mut by_tag: HashMap<&str, Vec<u32>> = HashMap::new();
    for (doc, article) in articles.iter().enumerate() {
        for tag in article.tags.iter().flatten() {
            by_tag
                .entry(tag.slug.as_str())
                .or_default()
                .push(doc as u32);
        }
    }
    // A very common term or tag would pull every article into every comparison: skip those.
    let common = (n / 10).max(200);

    let mut scores: HashMap<u32, f64> = HashMap::new();
    (0..n)
        .map(|doc| {
            scores.clear();
            for (id, w) in &top[doc] {
                let Some(list) = postings.get(id) else {
                    continue;
                };
                if list.len() > common {
                    continue;
                }
                for (other, w2) in list {
                    *scores.entry(*other).or_default() += w * w2;
                }
            }
            for tag in articles[doc].tags.iter().flatten() {
                let Some(list) = by_tag.get(tag.slug.as_str()) else {
                    continue;
                };
                if list.len() > common {
                    continue;
                }
                for other in list {
                    *scores.entry(*other).or_default() += TAG_WEIGHT;
                }
            }
            scores.remove(&(doc as u32));
            let mut ranked: Vec<(u32, f64)> = scores
                .iter()
                .map(|(d, s)| (*d, *s))
                .filter(|(_, s)| *s > 0.0)
                .collect();
            ranked.sort_unstable_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| {
                        let (pa, pb) = (&articles[a.0 as usize], &articles[b.0 as usize]);
                        pb.published_at.cmp(&pa.published_at)
                    })
                    .then_with(|| {
                        articles[a.0 as usize]
                            .slug
                            .cmp(&articles[b.0 as usize].slug)
                    })
            });
            ranked.truncate(MAX_RELATED);
            ranked.into_iter().map(|(d, _)| d as usize).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use broadsheet::model::{Reactions, Section, Tag};

    fn article(slug: &str, title: &str, tags: &[&str]) -> Article {
        Article {
            id: slug.into(),
            slug: slug.into(),
            section: Section {
                slug: "news".into(),
                name: "News".into(),
            },
            title: title.into(),
            standfirst: None,
            published_at: "2026-11-01T00:00:00Z".into(),
            updated_at: None,
            dateline: None,
            byline: None,
            source: None,
            image: None,
            body: Vec::new(),
            contributors: None,
            tags: Some(
                tags.iter()
                    .map(|t| Tag {
                        slug: (*t).into(),
                        name: (*t).into(),
                    })
                    .collect(),
            ),
            views: 0,
            reactions: Reactions::default(),
            related: Vec::new(),
        }
    }

    #[test]
    fn similar_text_and_shared_tags_rank_first_and_never_the_article_itself() {
        let articles = vec![
            article(
                "a",
                "Harbour lights return to the old harbour",
                &["harbour"],
            ),
            article("b", "Old harbour lights switched back on", &[]),
            article("c", "Wheat yields rise in dry summer", &["farming"]),
            article("d", "Bakers complain about flour", &["harbour"]),
        ];
        let texts: Vec<String> = articles.iter().map(|a| a.title.clone()).collect();
        let related = related(&articles, &texts);
        assert_eq!(related[0].first(), Some(&1), "{related:?}");
        assert!(related[0].contains(&3), "shared tag counts");
        assert!(!related[0].contains(&2), "nothing in common");
        for (i, list) in related.iter().enumerate() {
            assert!(!list.contains(&i));
            let mut unique = list.clone();
            unique.dedup();
            assert_eq!(&unique, list);
            assert!(list.len() <= MAX_RELATED);
        }
        assert_eq!(related, super::related(&articles, &texts), "deterministic");
    }
}
