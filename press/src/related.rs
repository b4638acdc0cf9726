//! Related stories, computed: TF-IDF cosine similarity of headline, standfirst and body,
//! plus shared tags. An inverted index keeps it near linear in the number of articles: each
//! article is compared only with articles that share one of its most telling words or a tag.
//! A list with fewer than [`MIN_RELATED`] similar stories is topped up with the newest.

use std::collections::HashMap as StdHashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: a fast hash for the many small keys (words, ids) of the index. The keys come
/// from the publisher's own content, so resistance to hostile collisions is not needed.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type HashMap<K, V> = StdHashMap<K, V, BuildHasherDefault<Fnv>>;

use broadsheet::model::{parse_rfc3339, Article};

/// At most this many related stories per article.
pub const MAX_RELATED: usize = 12;
/// At least this many, when the site has them: few stories of a small site share words.
pub const MIN_RELATED: usize = 8;
/// Words kept per article when looking for neighbours: its most telling ones.
const QUERY_TERMS: usize = 32;
/// How much sharing every tag adds, on top of text similarity in 0..=1.
const TAG_WEIGHT: f64 = 0.5;
/// Entries kept per word and per tag in the index: the strongest.
const POSTINGS: usize = 256;

const STOP: &[&str] = &[
    "about", "after", "again", "also", "and", "are", "been", "before", "being", "but", "can",
    "could", "did", "does", "for", "from", "had", "has", "have", "her", "his", "how", "into",
    "its", "last", "more", "most", "not", "now", "one", "only", "other", "our", "out", "over",
    "said", "says", "she", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "two", "under", "until", "very", "was", "were",
    "what", "when", "where", "which", "while", "who", "will", "with", "would", "year", "years",
    "you", "your",
];

/// The words of `text` that can tell stories apart, lower-cased (borrowed when already so).
pub(crate) fn words(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().nth(2).is_some())
        .map(|w| {
            if w.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            }
        })
        .filter(|w| STOP.binary_search(&w.as_ref()).is_err())
}

/// For each article (by index), the indices of its related articles, best first.
pub fn related(articles: &[Article], texts: &[String]) -> Vec<Vec<usize>> {
    let n = articles.len();
    // Term ids and per-document term counts; the headline counts twice.
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut docs: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    for (article, text) in articles.iter().zip(texts) {
        let mut counts: HashMap<u32, f64> = HashMap::default();
        let mut add = |w: std::borrow::Cow<'_, str>, weight: f64| {
            let id = match ids.get(w.as_ref()) {
                Some(id) => *id,
                None => {
                    let next = ids.len() as u32;
                    ids.insert(w.into_owned(), next);
                    next
                }
            };
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
    let mut postings: HashMap<u32, Vec<(u32, f64)>> = HashMap::default();
    for (doc, terms) in top.iter().enumerate() {
        for (id, w) in terms {
            postings.entry(*id).or_default().push((doc as u32, *w));
        }
    }
    let mut by_tag: HashMap<&str, Vec<u32>> = HashMap::default();
    for (doc, article) in articles.iter().enumerate() {
        for tag in article.tags.iter().flatten() {
            by_tag
                .entry(tag.slug.as_str())
                .or_default()
                .push(doc as u32);
        }
    }
    // Each list keeps only its strongest entries, so comparing one article costs at most
    // QUERY_TERMS x POSTINGS steps however big the site is: the whole pass stays linear.
    for list in postings.values_mut() {
        if list.len() > POSTINGS {
            list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(POSTINGS);
        }
    }
    // Tags shared by a great many articles say little; only the newest of them are kept.
    for list in by_tag.values_mut() {
        if list.len() > POSTINGS {
            list.sort_unstable_by(|a, b| {
                let (pa, pb) = (&articles[*a as usize], &articles[*b as usize]);
                pb.published_at.cmp(&pa.published_at).then(a.cmp(b))
            });
            list.truncate(POSTINGS);
        }
    }
    // Scoring is independent per article: split across the machine's cores.
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8);
    let chunk = n.div_ceil(threads).max(1);
    let (postings, by_tag, top) = (&postings, &by_tag, &top);
    let mut lists: Vec<Vec<usize>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                scope.spawn(move || {
                    score_range(
                        articles,
                        top,
                        postings,
                        by_tag,
                        start..(start + chunk).min(n),
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    fill(&mut lists, articles);
    lists
}

/// Tops up every list shorter than [`MIN_RELATED`]: after its similar stories, the newest of
/// the same section, then the newest of the site; never the story itself, each story once,
/// ties by file order, so every build gives the same lists. Each list costs a few steps.
fn fill(lists: &mut [Vec<usize>], articles: &[Article]) {
    let time = |i: usize| parse_rfc3339(&articles[i].published_at).unwrap_or(i64::MIN);
    let mut newest: Vec<usize> = (0..articles.len()).collect();
    newest.sort_by(|&a, &b| time(b).cmp(&time(a)).then(a.cmp(&b)));
    let mut by_section: HashMap<&str, Vec<usize>> = HashMap::default();
    for &i in &newest {
        by_section
            .entry(articles[i].section.slug.as_str())
            .or_default()
            .push(i);
    }
    for (doc, list) in lists.iter_mut().enumerate() {
        let same = by_section
            .get(articles[doc].section.slug.as_str())
            .map_or(&[][..], Vec::as_slice);
        for &candidate in same.iter().chain(&newest) {
            if list.len() >= MIN_RELATED {
                break;
            }
            if candidate != doc && !list.contains(&candidate) {
                list.push(candidate);
            }
        }
    }
}

/// Related lists for the articles in `range`.
fn score_range(
    articles: &[Article],
    top: &[Vec<(u32, f64)>],
    postings: &HashMap<u32, Vec<(u32, f64)>>,
    by_tag: &HashMap<&str, Vec<u32>>,
    range: std::ops::Range<usize>,
) -> Vec<Vec<usize>> {
    let n = articles.len();
    // Scores in a dense array, with the list of entries touched, reset after each article.
    let mut scores = vec![0.0_f64; n];
    let mut touched: Vec<u32> = Vec::new();
    range
        .map(|doc| {
            let mut add = |other: u32, value: f64| {
                let slot = &mut scores[other as usize];
                if *slot == 0.0 {
                    touched.push(other);
                }
                *slot += value;
            };
            for (id, w) in &top[doc] {
                for (other, w2) in postings.get(id).into_iter().flatten() {
                    add(*other, w * w2);
                }
            }
            for tag in articles[doc].tags.iter().flatten() {
                for other in by_tag.get(tag.slug.as_str()).into_iter().flatten() {
                    add(*other, TAG_WEIGHT);
                }
            }
            let mut ranked: Vec<(u32, f64)> = touched
                .iter()
                .map(|&d| (d, scores[d as usize]))
                .filter(|&(d, s)| d as usize != doc && s > 0.0)
                .collect();
            for &d in &touched {
                scores[d as usize] = 0.0;
            }
            touched.clear();
            let order = |a: &(u32, f64), b: &(u32, f64)| {
                b.1.total_cmp(&a.1)
                    .then_with(|| {
                        let (pa, pb) = (&articles[a.0 as usize], &articles[b.0 as usize]);
                        pb.published_at.cmp(&pa.published_at)
                    })
                    .then_with(|| a.0.cmp(&b.0))
            };
            // Only the best few need sorting: pick them out first (linear), then order them.
            if ranked.len() > MAX_RELATED {
                ranked.select_nth_unstable_by(MAX_RELATED, order);
                ranked.truncate(MAX_RELATED);
            }
            ranked.sort_unstable_by(order);
            // A new, small list: collecting `ranked` into itself would keep its whole
            // allocation alive for every article (gigabytes on a big site).
            ranked.iter().map(|&(d, _)| d as usize).collect::<Vec<_>>()
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
        assert_eq!(
            related[0].last(),
            Some(&2),
            "nothing in common: only as a filler, last"
        );
        for (i, list) in related.iter().enumerate() {
            assert!(!list.contains(&i));
            let mut unique = list.clone();
            unique.dedup();
            assert_eq!(&unique, list);
            assert!(list.len() <= MAX_RELATED);
        }
        assert_eq!(related, super::related(&articles, &texts), "deterministic");
    }

    #[test]
    fn a_short_list_is_topped_up_with_the_newest_of_the_section_then_of_the_site() {
        // Regression: on a 25-article site a story's Related showed 2 cards, as few stories
        // shared words with it.
        let mut articles: Vec<Article> = (0..12)
            .map(|i| {
                let mut a = article(&format!("s{i}"), &format!("Unrelated{i} words{i}"), &[]);
                a.published_at = format!("2026-11-{:02}T00:00:00Z", i + 1);
                a
            })
            .collect();
        for a in &mut articles[..4] {
            a.section = Section {
                slug: "world".into(),
                name: "World".into(),
            };
        }
        // Two stories that share words with s0, so its list starts with them.
        articles[10].title = "Harbour lamps relit".into();
        articles[0].title = "Harbour lamps relit again".into();
        articles[5].title = "Harbour lamps relit once more".into();
        let texts: Vec<String> = articles.iter().map(|a| a.title.clone()).collect();
        let related = related(&articles, &texts);
        let slugs = |i: usize| -> Vec<&str> {
            related[i]
                .iter()
                .map(|&j| articles[j].slug.as_str())
                .collect()
        };
        // s0 is in world (s0..s3): its similar stories, then world's newest, then the site's.
        assert_eq!(&slugs(0)[..2], ["s10", "s5"]);
        assert_eq!(slugs(0)[2..], ["s3", "s2", "s1", "s11", "s9", "s8"]);
        for (i, list) in related.iter().enumerate() {
            assert_eq!(list.len(), MIN_RELATED, "{:?}", slugs(i));
            assert!(!list.contains(&i));
            let unique: std::collections::HashSet<_> = list.iter().collect();
            assert_eq!(unique.len(), list.len());
        }
        // A site with fewer stories than that gives every other story, once.
        let few = super::related(&articles[..3], &texts[..3]);
        assert!(few.iter().all(|l| l.len() == 2));
    }
}
